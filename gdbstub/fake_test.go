package gdbstub_test

import (
	"errors"
	"fmt"
	"sync"
	"wdbg/gdbstub"
)

// fakeTarget is a scripted Target for the transcript tests: a module of
// 0x400 bytes, 0x100 bytes of linear memory, three frames, and a queue of
// stops that Resume hands out in order.
type fakeTarget struct {
	mu          sync.Mutex
	image, mem  []byte
	stop        gdbstub.Stop
	stops       []gdbstub.Stop
	bps         map[gdbstub.Addr]bool
	interrupted chan struct{}
	blockResume bool // Resume waits for Interrupt
	detached    bool
	killed      bool
	noLibs      bool
}

func newFake() *fakeTarget {
	f := &fakeTarget{image: make([]byte, 0x400), mem: make([]byte, 0x100), bps: map[gdbstub.Addr]bool{},
		interrupted: make(chan struct{}, 1)}
	copy(f.image, "\x00asm\x01\x00\x00\x00")
	for i := range f.mem {
		f.mem[i] = byte(i)
	}
	f.image[0x300] = '$' // a byte that x replies must escape
	f.stop = gdbstub.Stop{Kind: gdbstub.StopTrace, PC: gdbstub.ObjectAddr(0, 0x239)}
	return f
}

func (f *fakeTarget) Stopped() gdbstub.Stop { return f.stop }

func (f *fakeTarget) Resume(step bool) gdbstub.Stop {
	if f.blockResume {
		<-f.interrupted
		f.stop = gdbstub.Stop{Kind: gdbstub.StopInterrupt, PC: gdbstub.ObjectAddr(0, 0x250)}
		return f.stop
	}
	if len(f.stops) == 0 {
		f.stop = gdbstub.Stop{Kind: gdbstub.StopExited}
		return f.stop
	}
	f.stop, f.stops = f.stops[0], f.stops[1:]
	return f.stop
}

func (f *fakeTarget) Interrupt() {
	select {
	case f.interrupted <- struct{}{}:
	default:
	}
}

func (f *fakeTarget) Kill() { f.killed = true }
func (f *fakeTarget) Detach() gdbstub.Stop {
	f.detached = true
	return gdbstub.Stop{Kind: gdbstub.StopExited, ExitCode: 3}
}

func (f *fakeTarget) ReadMemory(a gdbstub.Addr, p []byte) (int, error) {
	var src []byte
	switch {
	case a.Space() == gdbstub.SpaceObject && a.ID() == 0:
		src = f.image
	case a.Space() == gdbstub.SpaceMemory && a.ID() == 0:
		src = f.mem
	default:
		return 0, fmt.Errorf("no such space at %v", a)
	}
	if int(a.Offset()) >= len(src) {
		return 0, fmt.Errorf("%v is past the end", a)
	}
	return copy(p, src[a.Offset():]), nil
}

func (f *fakeTarget) WriteMemory(a gdbstub.Addr, p []byte) error {
	if a.Space() != gdbstub.SpaceMemory || int(a.Offset())+len(p) > len(f.mem) {
		return errors.New("not writable")
	}
	copy(f.mem[a.Offset():], p)
	return nil
}

func (f *fakeTarget) SetBreakpoint(a gdbstub.Addr) error {
	if a.Space() != gdbstub.SpaceObject {
		return fmt.Errorf("%v is not code", a)
	}
	f.bps[a] = true
	return nil
}

func (f *fakeTarget) ClearBreakpoint(a gdbstub.Addr) error {
	if !f.bps[a] {
		return fmt.Errorf("no breakpoint at %v", a)
	}
	delete(f.bps, a)
	return nil
}

func (f *fakeTarget) Libraries() gdbstub.Libraries {
	if f.noLibs {
		return nil
	}
	return f
}

func (f *fakeTarget) LoadedModules() []gdbstub.Library {
	return []gdbstub.Library{{Name: "/tmp/prog.wasm", Base: gdbstub.ObjectAddr(0, 0)}}
}

func (f *fakeTarget) Wasm() gdbstub.Wasm                 { return f }
func (f *fakeTarget) MemoryWriter() gdbstub.MemoryWriter { return f }

func (f *fakeTarget) CallStack() []gdbstub.Addr {
	return []gdbstub.Addr{f.stop.PC, gdbstub.ObjectAddr(0, 0x25f), gdbstub.ObjectAddr(0, 0x1db)}
}

func (f *fakeTarget) Local(frame, index int) ([]byte, error) {
	if frame > 2 || index > 3 {
		return nil, errors.New("no such local")
	}
	return []byte{byte(frame), byte(index), 0, 0}, nil
}

func (f *fakeTarget) Global(frame, index int) ([]byte, error) {
	if index != 0 {
		return nil, errors.New("no such global")
	}
	return []byte{0x00, 0xfb, 0x01, 0x00}, nil
}

func (f *fakeTarget) StackValue(frame, index int) ([]byte, error) {
	if frame != 0 || index > 1 {
		return nil, errors.New("no such slot")
	}
	return []byte{byte(10 + index), 0, 0, 0, 0, 0, 0, 0}, nil
}
