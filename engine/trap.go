package engine

import (
	"errors"
	"strconv"
	"strings"

	"wdbg/engine/instrument"
	"wdbg/session"
)

var errNoMemory = errors.New("the module has no memory")

// postMortem turns an error that unwound the guest (a trap no probe caught,
// such as an out-of-bounds access) into a fatal trap stop. The guest's
// stack is gone; its frames are recovered from wazero's stack trace, which
// gives each frame's offset in the instrumented code because the rewritten
// module carries (synthetic) DWARF. Frame 0's locals are lost; callers that
// were tracked still have theirs on the shadow stack.
func (t *target) postMortem(err error) *session.TargetStop {
	msg, trace, _ := strings.Cut(err.Error(), "\nwasm stack trace:\n")
	msg = strings.TrimPrefix(msg, "wasm error: ")
	stop := &session.TargetStop{Reason: session.StopTrap, Trap: msg, Fatal: true}
	d := int(int32(t.depthG.Get()))
	lines := strings.Split(trace, "\n")
	for i := 0; i < len(lines); i++ {
		fn := strings.TrimPrefix(lines[i], "\t")
		if fn == "" || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "...") {
			continue
		}
		name := fn
		if p := strings.IndexByte(name, '('); p >= 0 {
			name = name[:p]
		}
		off, hasOff := uint64(0), false
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t\t0x") {
			hex, _, _ := strings.Cut(strings.TrimPrefix(lines[i+1], "\t\t0x"), ":")
			if v, err := strconv.ParseUint(hex, 16, 32); err == nil {
				off, hasOff = v, true
			}
			i++
		}
		in := t.instanceByPrefix(name)
		if in == nil || !hasOff {
			stop.Frames = append(stop.Frames, session.RawFrame{Host: name, Depth: d})
			continue
		}
		orig, ok := in.mod.res.Map.Original(instrument.InstrOffset(off))
		if !ok {
			continue
		}
		f, ok := in.mod.src.FuncAt(orig)
		if !ok {
			continue
		}
		rf := session.RawFrame{Module: in.mod.id, Instance: in.id, Func: f.Index, PC: orig, Return: orig, Depth: d}
		if len(stop.Frames) > 0 {
			rf.Return = in.mod.afterCall(orig)
			rf.Locals = t.shadowLocals(in, orig, d)
		}
		stop.Frames = append(stop.Frames, rf)
		d--
	}
	if stop.Frames == nil && msg == "" {
		stop.Trap = err.Error()
	}
	return stop
}

// instanceByPrefix finds the instance whose module name prefixes a wazero
// "module.function" name.
func (t *target) instanceByPrefix(name string) *instance {
	var best *instance
	for _, in := range t.instances {
		n := in.mod.name
		if strings.HasPrefix(name, n+".") && (best == nil || len(n) > len(best.mod.name)) {
			best = in
		}
	}
	return best
}
