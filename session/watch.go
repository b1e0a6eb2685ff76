package session

import (
	"bytes"
	"errors"
	"fmt"

	"wdbg/cexpr"
)

// This file holds breakpoint conditions and software watchpoints.
//
// A watchpoint is checked at every stop site the guest reaches (the resume
// request is widened to ArmAll), so it stops at the first site after the
// value changed: after the statement that changed it, as gdb's software
// watchpoints do. An expression that is an lvalue in linear memory is
// checked by comparing its bytes; any other expression over globals is
// evaluated anew at each site. An expression that uses a frame's locals is
// valid only while that frame lives: when it returns, the watchpoint is
// deleted, as in gdb.

// watch is the state of a watchpoint.
type watch struct {
	expr *cexpr.Expr
	// An lvalue in memory: its address and size.
	lvalue     bool
	addr, size uint64
	mod        ModuleID
	inst       InstanceID
	// scoped: the expression uses locals of the frame at depth; it goes out
	// of scope when that frame returns.
	scoped bool
	depth  int
	// old is the value at the last check; nil until the first check of a
	// run.
	old    []byte
	oldVal cexpr.Value
	hasOld bool
	run    int // the run the baseline belongs to
}

// WatchStop describes a watchpoint that stopped the program.
type WatchStop struct {
	ID   int
	Expr string
	Old  string // formatted as gdb's print does
	New  string
	// OutOfScope: the frame the expression belongs to returned; the
	// watchpoint was deleted.
	OutOfScope bool
}

// Watch sets a software watchpoint on an expression evaluated in the
// selected frame (gdb's watch).
func (s *Session) Watch(expr string) (*Breakpoint, error) {
	env, err := s.env(s.selected)
	if err != nil {
		return nil, err
	}
	e, err := cexpr.Parse(expr, cexpr.TypeNames(env))
	if err != nil {
		return nil, err
	}
	env.usedLocal = false
	v, err := e.Eval(env)
	if err != nil {
		return nil, err
	}
	w := &watch{expr: e, mod: env.mod.ID, inst: env.inst}
	if env.usedLocal {
		if env.frame == nil || env.frame.raw == nil {
			return nil, errors.New("cannot watch an expression over locals without a frame")
		}
		w.scoped, w.depth = true, env.frame.raw.Depth
	}
	if loc := v.Loc; loc.Kind == cexpr.InMemory && !cexpr.IsBitfield(v) {
		w.lvalue, w.addr, w.size = true, loc.Addr, uint64(v.Type.Size())
		if w.size == 0 || w.size > 1<<16 {
			return nil, fmt.Errorf("cannot watch %s: it is %d bytes", expr, w.size)
		}
	} else if env.usedLocal {
		return nil, fmt.Errorf("cannot watch %s: at this pc it is not an object in linear memory (the optimizer keeps it in a wasm local); watch a global or an object in memory, or build at -O0", expr)
	}
	snap := cexpr.Snapshot(env, v)
	w.oldVal, w.hasOld, w.run = snap, true, s.runSeq
	w.old = w.bytesOf(snap)
	s.bps.nextID++
	bp := &Breakpoint{ID: s.bps.nextID, Kind: KindWatchpoint, Spec: expr, Enabled: true, watch: w}
	s.bps.list = append(s.bps.list, bp)
	s.events.publish(BreakpointsChanged{})
	return bp, nil
}

func (w *watch) bytesOf(v cexpr.Value) []byte {
	b, _ := cexpr.RawBytes(v)
	return b
}

// probeMemory is linear memory as a probe sees it.
type probeMemory struct{ r MemoryReader }

func (m probeMemory) ReadMemory(addr uint64, p []byte) error {
	n, err := m.r.ReadMemory(addr, p)
	if err != nil {
		return err
	}
	if n < len(p) {
		return fmt.Errorf("address 0x%x is past the end of memory", addr+uint64(n))
	}
	return nil
}

func (probeMemory) WriteMemory(uint64, []byte) error {
	return errors.New("cannot write memory while the program runs")
}

// watchRun is a resume request widened for the enabled watchpoints.
type watchRun struct {
	req   ResumeRequest
	fired *firedWatch
}

type firedWatch struct {
	bp         *Breakpoint
	old, new   cexpr.Value
	outOfScope bool
}

// watchRequest widens req so that the enabled watchpoints are checked at
// every site.
func (s *Session) watchRequest(req ResumeRequest) *watchRun {
	var ws []*Breakpoint
	for _, bp := range s.bps.list {
		if bp.Kind == KindWatchpoint && bp.Enabled {
			ws = append(ws, bp)
		}
	}
	wr := &watchRun{req: req}
	if len(ws) == 0 {
		return wr
	}
	orig := req
	wr.req = ResumeRequest{Arm: ArmAll, StopAt: func(p *Probe) bool {
		for _, bp := range ws {
			if f := s.checkWatch(bp, p); f != nil {
				wr.fired = f
				return true
			}
		}
		switch {
		case orig.Arm == ArmBreakpoints:
			return false
		case orig.StopAt == nil:
			return true
		}
		return orig.StopAt(p)
	}}
	return wr
}

// checkWatch tests one watchpoint at a probe. It runs on the guest's
// goroutine while the guest waits.
func (s *Session) checkWatch(bp *Breakpoint, p *Probe) *firedWatch {
	w := bp.watch
	if p.Module != w.mod || p.Instance != w.inst {
		return nil
	}
	if w.scoped && p.Depth < w.depth {
		return &firedWatch{bp: bp, outOfScope: true}
	}
	var cur cexpr.Value
	var curBytes []byte
	if w.lvalue {
		curBytes = make([]byte, w.size)
		if _, err := p.Memory.ReadMemory(w.addr, curBytes); err != nil {
			return nil
		}
	} else {
		env := &frameEnv{s: s, mod: s.prog.Modules[p.Module], inst: p.Instance, mem: probeMemory{p.Memory}, live: true}
		v, err := w.expr.Eval(env)
		if err != nil {
			return nil
		}
		cur = cexpr.Snapshot(env, v)
		curBytes = w.bytesOf(cur)
	}
	if !w.hasOld || w.run != s.runSeq {
		// The first check of a run takes the baseline.
		w.old, w.hasOld, w.run = curBytes, true, s.runSeq
		if w.lvalue {
			w.oldVal = cexpr.Bytes(w.oldVal.Type, curBytes)
		} else {
			w.oldVal = cur
		}
		return nil
	}
	if bytes.Equal(curBytes, w.old) {
		return nil
	}
	old := w.oldVal
	if w.lvalue {
		cur = cexpr.Bytes(old.Type, curBytes)
	}
	w.old, w.oldVal = curBytes, cur
	return &firedWatch{bp: bp, old: old, new: cur}
}

// watchStop fills in a stop caused by a watchpoint.
func (s *Session) watchStop(st *Stop, f *firedWatch) {
	bp := f.bp
	ws := &WatchStop{ID: bp.ID, Expr: bp.Spec, OutOfScope: f.outOfScope}
	st.Watch = ws
	if f.outOfScope {
		_ = s.DeleteBreakpoint(bp.ID)
		return
	}
	bp.Hits++
	var mem memory = staticMemory{s.prog.Modules[bp.watch.mod]}
	if s.target != nil {
		mem = liveMemory{t: s.target, inst: bp.watch.inst}
	}
	env := &frameEnv{s: s, mod: s.prog.Modules[bp.watch.mod], inst: bp.watch.inst, mem: mem, live: true}
	ws.Old = cexpr.Format(env, f.old, cexpr.Options{TopLevel: true})
	ws.New = cexpr.Format(env, f.new, cexpr.Options{TopLevel: true})
}

// checkCondition checks that a breakpoint condition parses.
func (s *Session) checkCondition(cond string) error {
	if cond == "" {
		return nil
	}
	env, err := s.env(s.selected)
	if err != nil {
		env = &frameEnv{s: s, mod: s.prog.Modules[0], mem: staticMemory{s.prog.Modules[0]}}
	}
	_, err = cexpr.Parse(cond, cexpr.TypeNames(env))
	return err
}

// SetCondition sets or (with "") removes breakpoint id's condition.
func (s *Session) SetCondition(id int, cond string) error {
	bp, ok := s.Breakpoint(id)
	if !ok {
		return fmt.Errorf("No breakpoint number %d.", id)
	}
	if err := s.checkCondition(cond); err != nil {
		return err
	}
	bp.Condition = cond
	s.events.publish(BreakpointsChanged{})
	return nil
}

// testCondition evaluates a breakpoint's condition in frame 0 of a target
// stop that is not yet the session's stop.
func (s *Session) testCondition(ts *TargetStop, bp *Breakpoint) (bool, error) {
	prev, prevSel := s.stop, s.selected
	st := s.newStop(ts, StopBreakpoint, nil)
	s.stop, s.selected = st, 0
	s.setState(StateStopped)
	defer func() {
		st.valid = false
		s.stop, s.selected = prev, prevSel
		s.setState(StateRunning)
	}()
	env, err := s.env(0)
	if err != nil {
		return true, err
	}
	v, err := cexpr.Evaluate(env, bp.Condition)
	if err != nil {
		return true, err
	}
	return cexpr.Truth(env, v)
}
