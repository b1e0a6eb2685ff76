package session

import "sync"

// Event is something that happened in the session, delivered to
// subscribers. The set of events is closed: Stopped, Resumed, Output,
// Exited, BreakpointsChanged.
type Event interface{ isEvent() }

// Stopped: the program stopped (not after exiting; see Exited).
type Stopped struct{ Stop *Stop }

// Resumed: the program started running.
type Resumed struct{}

// Output: the guest wrote to stdout (Stream 1) or stderr (Stream 2), or
// a traced boundary call was reported (StreamTrace).
type Output struct {
	Stream int
	Data   []byte
}

// Exited: the program ended; Stop describes how.
type Exited struct{ Stop *Stop }

// BreakpointsChanged: a breakpoint was set, deleted, enabled or disabled.
type BreakpointsChanged struct{}

func (Stopped) isEvent()            {}
func (Resumed) isEvent()            {}
func (Output) isEvent()             {}
func (Exited) isEvent()             {}
func (BreakpointsChanged) isEvent() {}

// hub fans events out to subscribers.
//
// Each subscriber has an unbounded queue drained by its own goroutine into
// its channel, so publishing never blocks the session or the guest; the
// cost of a slow subscriber is memory, never a stall or a lost event.
type hub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	mu     sync.Mutex
	cond   *sync.Cond
	queue  []Event
	closed bool
	ch     chan Event
	done   chan struct{} // closed when the subscription ends
}

// Subscribe returns a channel of the session's events and a function that
// ends the subscription (and closes the channel). Safe to call at any time.
func (s *Session) Subscribe() (<-chan Event, func()) {
	return s.events.subscribe()
}

func (h *hub) subscribe() (<-chan Event, func()) {
	sub := &subscriber{ch: make(chan Event), done: make(chan struct{})}
	sub.cond = sync.NewCond(&sub.mu)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*subscriber]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	go sub.pump()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, sub)
			h.mu.Unlock()
			sub.mu.Lock()
			sub.closed = true
			sub.cond.Signal()
			sub.mu.Unlock()
			close(sub.done)
		})
	}
}

func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		sub.mu.Lock()
		sub.queue = append(sub.queue, e)
		sub.cond.Signal()
		sub.mu.Unlock()
	}
}

// pump moves queued events to the channel until the subscription ends.
// A subscriber that stops reading blocks only this goroutine.
func (sub *subscriber) pump() {
	defer close(sub.ch)
	for {
		sub.mu.Lock()
		for len(sub.queue) == 0 && !sub.closed {
			sub.cond.Wait()
		}
		if sub.closed {
			sub.mu.Unlock()
			return
		}
		e := sub.queue[0]
		sub.queue[0] = nil
		sub.queue = sub.queue[1:]
		sub.mu.Unlock()
		select {
		case sub.ch <- e:
		case <-sub.done:
			return
		}
	}
}

// outputWriter is the io.Writer handed to the guest for one stream: it
// copies to the front end's writer (if any) and publishes Output events.
type outputWriter struct {
	stream int
	to     interface{ Write([]byte) (int, error) }
	hub    *hub
}

func (w *outputWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if w.to != nil {
		if _, err := w.to.Write(p); err != nil {
			return 0, err
		}
	}
	w.hub.publish(Output{Stream: w.stream, Data: append([]byte(nil), p...)})
	return len(p), nil
}
