package session

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"

	"wdbg/cexpr"
)

// State is where a session's program is in its life.
type State int

const (
	StateNotStarted State = iota // no run yet, or the last one was killed
	StateStopped                 // paused; Stop() describes where
	StateRunning                 // an execution method is in progress
	StateExited                  // the last run ended; Stop() says how
)

var stateNames = [...]string{"not started", "stopped", "running", "exited"}

func (s State) String() string { return stateNames[s] }

// Config is the program's environment for every run.
type Config struct {
	Args   []string // arguments after argv[0]
	Env    []string
	Dirs   []DirGrant
	Stdin  io.Reader // nil: empty
	Stdout io.Writer // guest stdout is also copied here (nil: events only)
	Stderr io.Writer
}

// Session is a debugging session. See the package documentation for its
// concurrency contract.
type Session struct {
	prog     *Program
	launcher Launcher
	cfg      Config
	events   hub

	// mu guards target and state against Halt, which may run on any
	// goroutine; everything else is touched only by the driving goroutine.
	mu     sync.Mutex
	target Target
	state  State
	// busy: an execution method is in progress (from the moment it is
	// called, launch included). haltPending: Halt came before there was a
	// target to tell.
	busy        bool
	haltPending bool

	stop     *Stop
	stopSeq  int
	selected int // selected frame of the current stop
	bps      breakpoints
	history  []cexpr.Value          // the value history: $1, $2, ...
	conv     map[string]cexpr.Value // convenience variables: $foo
	src      sources

	displays  []*Display
	displayID int
	runSeq    int // counts runs, so that watchpoints take a new baseline

	// traceCalls: print every call across a component boundary. Read by
	// the guest's goroutine when it makes one, so atomic.
	traceCalls atomic.Bool
	// killing: Kill is unwinding the guest; the calls it aborts are not
	// traced.
	killing atomic.Bool
}

// SetTraceCalls turns tracing of calls across component boundaries on or
// off (`set trace-calls`). It takes effect at the next such call, also in
// a run in progress. Each call is reported as an Output event on
// StreamTrace, and written to the program's stdout.
func (s *Session) SetTraceCalls(on bool) { s.traceCalls.Store(on) }

// TraceCalls reports whether boundary calls are traced.
func (s *Session) TraceCalls() bool { return s.traceCalls.Load() }

// StreamTrace is the Output stream of traced boundary calls.
const StreamTrace = 3

// New creates a session for prog whose runs are started by launcher.
func New(prog *Program, launcher Launcher, cfg Config) *Session {
	s := &Session{prog: prog, launcher: launcher, cfg: cfg}
	s.bps.sess = s
	s.src.progDir = filepath.Dir(prog.Path)
	return s
}

// Program returns the program being debugged.
func (s *Session) Program() *Program { return s.prog }

// State returns the session's state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Stop returns the current stop: where the program is paused, or how it
// exited. Nil before the first run.
func (s *Session) Stop() *Stop { return s.stop }

// Args returns the program arguments used by the next run.
func (s *Session) Args() []string { return s.cfg.Args }

// SetArgs sets the program arguments for the next run.
func (s *Session) SetArgs(args []string) { s.cfg.Args = args }

func (s *Session) setState(st State) {
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
}

// Halt asks a running program to stop at its next stop site. It may be
// called from any goroutine at any time and returns at once; the pending
// execution method returns the resulting stop (reason StopHalt). When the
// program is not running it does nothing.
func (s *Session) Halt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.busy {
		return
	}
	if s.target == nil {
		s.haltPending = true // run is still launching
		return
	}
	s.target.Halt()
}

// begin marks an execution method in progress; end undoes it.
func (s *Session) begin() {
	s.mu.Lock()
	s.busy, s.haltPending = true, false
	s.mu.Unlock()
}

func (s *Session) end() {
	s.mu.Lock()
	s.busy, s.haltPending = false, false
	s.mu.Unlock()
}

// Kill ends the current run, if any.
func (s *Session) Kill() error {
	s.killing.Store(true)
	s.mu.Lock()
	t := s.target
	s.target = nil
	s.state = StateNotStarted
	s.mu.Unlock()
	s.invalidate()
	s.stop = nil
	if t == nil {
		return ErrNotRunning
	}
	return t.Kill()
}

// launch starts a new run, killing the previous one.
func (s *Session) launch() error {
	if s.target != nil {
		_ = s.Kill()
	}
	argv0 := s.prog.Modules[0].Name
	cfg := LaunchConfig{
		Args:   append([]string{argv0}, s.cfg.Args...),
		Env:    s.cfg.Env,
		Dirs:   s.cfg.Dirs,
		Stdin:  s.cfg.Stdin,
		Stdout: &outputWriter{stream: 1, to: s.cfg.Stdout, hub: &s.events},
		Stderr: &outputWriter{stream: 2, to: s.cfg.Stderr, hub: &s.events},
	}
	s.killing.Store(false)
	trace := &outputWriter{stream: StreamTrace, to: s.cfg.Stdout, hub: &s.events}
	cfg.Trace = func(line string) { trace.Write([]byte("[call] " + line + "\n")) }
	cfg.Tracing = func() bool { return s.traceCalls.Load() && !s.killing.Load() }
	t, err := s.launcher.Launch(cfg)
	if err != nil {
		return err
	}
	s.runSeq++
	s.mu.Lock()
	s.target = t
	s.state = StateStopped // not yet running: Resume starts it
	if s.haltPending {
		t.Halt()
	}
	s.mu.Unlock()
	for _, bp := range s.bps.list {
		s.bps.arm(bp)
	}
	return nil
}

// Run starts the program (killing a previous run) and runs it until it
// stops or exits.
func (s *Session) Run() (*Stop, error) {
	s.begin()
	defer s.end()
	if err := s.launch(); err != nil {
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmBreakpoints}, StopBreakpoint)
}

// StartInstruction starts the program (killing a previous run) and stops
// it before its first instruction, like gdb's starti.
func (s *Session) StartInstruction() (*Stop, error) {
	s.begin()
	defer s.end()
	if err := s.launch(); err != nil {
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmAll}, StopEntry)
}

// Continue resumes the program until a breakpoint, a trap or the end.
func (s *Session) Continue() (*Stop, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmBreakpoints}, StopBreakpoint)
}

// needStopped returns an error unless the program is paused.
func (s *Session) needStopped() error {
	switch s.State() {
	case StateStopped:
		if s.target == nil {
			return ErrNotRunning
		}
		return nil
	case StateExited:
		return ErrExited
	case StateRunning:
		return errors.New("the program is running")
	}
	return ErrNotRunning
}

// resume runs the target with req until a stop that the session keeps:
// breakpoint hits whose conditions or ignore counts say "go on" are resumed
// transparently. stepReason names a stop that the request itself caused.
func (s *Session) resume(req ResumeRequest, stepReason StopReason) (*Stop, error) {
	var start *Frame // frame 0 where a step starts
	if st := s.stop; st != nil && st.valid && len(st.Frames) > 0 {
		f := st.Frames[0]
		start = &f
	}
	s.mu.Lock()
	s.busy = true
	s.mu.Unlock()
	defer s.end()
	w := s.watchRequest(req)
	for {
		s.invalidate()
		s.setState(StateRunning)
		s.events.publish(Resumed{})
		w.fired = nil
		ts, err := s.target.Resume(w.req)
		if err != nil {
			s.setState(StateStopped)
			return nil, err
		}
		var hits []int
		var note string
		reason := ts.Reason
		if w.fired != nil {
			reason = StopWatch
		}
		switch {
		case reason == StopWatch:
		case ts.Reason == StopBreakpoint:
			hits, note = s.bps.hit(ts, func(bp *Breakpoint) (bool, error) { return s.testCondition(ts, bp) })
			if len(hits) == 0 && len(ts.Frames) > 0 {
				if !ts.StepDone {
					continue // a breakpoint whose condition says go on
				}
				reason = stepReason
			}
		case ts.Reason == StopStep:
			reason = stepReason
		}
		st := s.newStop(ts, reason, hits)
		st.Note = note
		if reason == StopWatch {
			s.watchStop(st, w.fired)
		}
		if reason == StopStep && start != nil && len(st.Frames) > 0 {
			f0 := st.Frames[0]
			st.SameFrame = f0.raw != nil && start.raw != nil && f0.raw.Depth == start.raw.Depth &&
				f0.Loc.Module == start.Loc.Module && f0.Func.Index == start.Func.Index && f0.inline == start.inline
		}
		for _, id := range hits {
			if bp, ok := s.Breakpoint(id); ok && bp.Temporary {
				st.Temporary = true
			}
		}
		if reason == StopExited {
			s.mu.Lock()
			t := s.target
			s.target = nil
			s.state = StateExited
			s.mu.Unlock()
			if t != nil {
				_ = t.Kill()
			}
			s.stop = st
			s.events.publish(Exited{Stop: st})
			return st, nil
		}
		s.setState(StateStopped)
		s.stop = st
		s.selected = 0
		s.bps.afterStop(hits)
		s.events.publish(Stopped{Stop: st})
		return st, nil
	}
}

// invalidate ends the current stop's validity: its live views fail from now
// on.
func (s *Session) invalidate() {
	if s.stop != nil {
		s.stop.valid = false
	}
}

// target returns the running target for stopped-state reads.
func (s *Session) stoppedTarget() (Target, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	return s.target, nil
}

// errorf builds a user-facing error.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
