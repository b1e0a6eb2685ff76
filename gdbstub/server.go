package gdbstub

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// DefaultPacketSize is the PacketSize the stub advertises (hex 0x20000):
// large enough that LLDB reads a module in a few packets.
const DefaultPacketSize = 0x20000

// DefaultTriple is the target triple reported to the client.
const DefaultTriple = "wasm32-unknown-unknown-wasm"

// Server serves a Target to gdb-remote clients, one connection at a time.
type Server struct {
	Target Target
	// Log, if not nil, receives the packet log (--log-output=gdbwire).
	Log io.Writer
	// PacketSize is the largest packet the client may send; replies to
	// memory reads are limited to half of it. 0 means DefaultPacketSize.
	PacketSize int
	// Triple is the target triple; "" means DefaultTriple.
	Triple string
}

// Serve accepts connections on l and serves them one after the other. A
// client that goes away leaves the target stopped for the next one. Serve
// returns when the program has ended (run to its end, killed, or detached
// and finished), with its last stop, or when l fails.
func (s *Server) Serve(l net.Listener) (Stop, error) {
	for {
		c, err := l.Accept()
		if err != nil {
			return Stop{}, fmt.Errorf("gdbstub: accept: %w", err)
		}
		s.logf("client %s connected", c.RemoteAddr())
		end, st, err := s.ServeConn(c)
		c.Close()
		if end {
			return st, nil
		}
		if err != nil {
			s.logf("client %s: %v", c.RemoteAddr(), err)
		}
		s.logf("client %s went away; the program stays stopped for the next one", c.RemoteAddr())
	}
}

// ServeConn serves one client on rw until it detaches, kills the program,
// the program ends, or the connection fails. ended reports whether the
// program is over (final is then its last stop).
func (s *Server) ServeConn(rw io.ReadWriter) (ended bool, final Stop, err error) {
	cn := &conn{srv: s, t: s.Target, wire: NewWire(rw, s.Log)}
	inputs := make(chan Input)
	done := make(chan struct{})
	defer close(done)
	readErr := make(chan error, 1)
	go func() {
		defer close(inputs)
		for {
			in, err := cn.wire.Read()
			if err != nil {
				readErr <- err
				return
			}
			select {
			case inputs <- in:
			case <-done:
				return
			}
		}
	}()
	cn.inputs = inputs
	for {
		in, ok := <-inputs
		if !ok {
			err := <-readErr
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				err = nil
			}
			return false, Stop{}, err
		}
		switch in.Kind {
		case InputInterrupt:
			continue // the target is already stopped
		case InputBad:
			if cn.wire.noAck.Load() {
				if err := cn.wire.Write([]byte("E01")); err != nil {
					return false, Stop{}, err
				}
			}
			continue
		}
		reply, act := cn.handle(in.Payload)
		if reply != nil {
			if err := cn.wire.Write(reply); err != nil {
				return false, Stop{}, err
			}
		}
		if cn.afterReply != nil {
			cn.afterReply()
			cn.afterReply = nil
		}
		switch act {
		case actResume, actStep:
			st, gone := cn.run(act == actStep)
			if gone {
				return false, Stop{}, nil
			}
			if err := cn.wire.Write([]byte(cn.stopReply(st))); err != nil {
				return st.Ended(), st, err
			}
			if st.Ended() {
				return true, st, nil
			}
		case actKill:
			s.Target.Kill()
			return true, Stop{Kind: StopTerminated}, nil
		case actDetach:
			return true, s.Target.Detach(), nil
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, "gdbstub: "+format+"\n", args...)
	}
}

func (s *Server) packetSize() int {
	if s.PacketSize > 0 {
		return s.PacketSize
	}
	return DefaultPacketSize
}

func (s *Server) triple() string {
	if s.Triple != "" {
		return s.Triple
	}
	return DefaultTriple
}

// action is what the connection does after replying to a packet.
type action int

const (
	actNone action = iota
	actResume
	actStep
	actKill
	actDetach
)

// conn is one client connection's state.
type conn struct {
	srv        *Server
	t          Target
	wire       *Wire
	inputs     <-chan Input
	afterReply func() // runs once the current reply is written
}

// threadID is the one thread a wasm guest has.
const threadID = 1

// interruptRetry is how often an interrupt is repeated until the target
// stops: an interrupt that arrives just before the target starts running
// would otherwise be lost.
const interruptRetry = 20 * time.Millisecond

// run resumes the target and waits for it to stop, passing on interrupts.
// If the client goes away meanwhile, the target is interrupted and gone is
// set.
func (cn *conn) run(step bool) (st Stop, gone bool) {
	done := make(chan Stop, 1)
	go func() { done <- cn.t.Resume(step) }()
	var retry <-chan time.Time
	inputs := cn.inputs
	for {
		select {
		case st := <-done:
			return st, gone
		case <-retry:
			cn.t.Interrupt()
		case in, ok := <-inputs:
			switch {
			case !ok:
				gone, inputs = true, nil
			case in.Kind == InputInterrupt:
			default:
				cn.srv.logf("ignored a packet that arrived while the program runs: %q", clip(in.Payload))
				continue
			}
			cn.t.Interrupt()
			if retry == nil {
				tk := time.NewTicker(interruptRetry)
				defer tk.Stop()
				retry = tk.C
			}
		}
	}
}

// stopReply formats a stop for the client.
func (cn *conn) stopReply(st Stop) string {
	switch st.Kind {
	case StopExited:
		return fmt.Sprintf("W%02x", uint8(st.ExitCode))
	case StopTerminated:
		return "X0b"
	}
	sig, reason := 5, "trace"
	switch st.Kind {
	case StopBreakpoint:
		reason = "breakpoint"
	case StopInterrupt:
		sig, reason = 2, "signal"
	case StopException:
		sig, reason = 0x0b, "exception"
	}
	r := fmt.Sprintf("T%02xthread:%x;name:wasm;threads:%x;thread-pcs:%016x;00:%s;reason:%s;",
		sig, threadID, threadID, uint64(st.PC), le64(uint64(st.PC)), reason)
	if st.Description != "" {
		r += "description:" + hexText(st.Description) + ";"
	}
	return r
}

// handler answers one packet; args is what follows the command name.
type handler func(cn *conn, args string) ([]byte, action, error)

// handlers maps command names to handlers; they live in handshake.go,
// exec.go, memory.go and wasm.go, grouped by feature.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{}
	for _, group := range []map[string]handler{handshakeHandlers, execHandlers, memoryHandlers, wasmHandlers} {
		for name, h := range group {
			handlers[name] = h
		}
	}
}

// replyError is an error reply with a specific code.
type replyError struct {
	code byte
	err  error
}

func (e *replyError) Error() string { return e.err.Error() }
func (e *replyError) Unwrap() error { return e.err }

// errCode wraps err to be replied as E<code>.
func errCode(code byte, err error) error { return &replyError{code: code, err: err} }

// handle answers a packet: the reply (nil for none yet) and what to do
// next. A handler's panic is a bug, but it must not take the debugger
// down: it becomes an error reply.
func (cn *conn) handle(p []byte) (reply []byte, act action) {
	name, args := command(p)
	h := handlers[name]
	if h == nil {
		return []byte{}, actNone // unsupported: the empty reply
	}
	defer func() {
		if r := recover(); r != nil {
			cn.srv.logf("internal error answering %q: %v", clip(p), r)
			reply, act = []byte("E7f"), actNone
		}
	}()
	reply, act, err := h(cn, args)
	if err != nil {
		if errors.Is(err, ErrUnsupported) {
			return []byte{}, actNone
		}
		code := byte(1)
		var re *replyError
		if errors.As(err, &re) {
			code = re.code
		}
		cn.srv.logf("%q: %v", clip(p), err)
		return fmt.Appendf(nil, "E%02x", code), actNone
	}
	return reply, act
}
