package gdbstub

import (
	"errors"
	"fmt"
	"sync"
)

// fakeTarget is a scripted Target for the transcript tests: a module of
// 0x400 bytes, 0x100 bytes of linear memory, three frames, and a queue of
// stops that Resume hands out in order.
type fakeTarget struct {
	mu          sync.Mutex
	image, mem  []byte
	stop        Stop
	stops       []Stop
	bps         map[Addr]bool
	interrupted chan struct{}
	blockResume bool // Resume waits for Interrupt
	detached    bool
	killed      bool
	noLibs      bool
}

func newFake() *fakeTarget {
	f := &fakeTarget{image: make([]byte, 0x400), mem: make([]byte, 0x100), bps: map[Addr]bool{},
		interrupted: make(chan struct{}, 1)}
	copy(f.image, "\x00asm\x01\x00\x00\x00")
	for i := range f.mem {
		f.mem[i] = byte(i)
	}
	f.image[0x300] = '$' // a byte that x replies must escape
	f.stop = Stop{Kind: StopTrace, PC: ObjectAddr(0, 0x239)}
	return f
}

func (f *fakeTarget) Stopped() Stop { return f.stop }

func (f *fakeTarget) Resume(step bool) Stop {
	if f.blockResume {
		<-f.interrupted
		f.stop = Stop{Kind: StopInterrupt, PC: ObjectAddr(0, 0x250)}
		return f.stop
	}
	if len(f.stops) == 0 {
		f.stop = Stop{Kind: StopExited}
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

func (f *fakeTarget) Kill()        { f.killed = true }
func (f *fakeTarget) Detach() Stop { f.detached = true; return Stop{Kind: StopExited, ExitCode: 3} }

func (f *fakeTarget) ReadMemory(a Addr, p []byte) (int, error) {
	var src []byte
	switch {
	case a.Space() == SpaceObject && a.ID() == 0:
		src = f.image
	case a.Space() == SpaceMemory && a.ID() == 0:
		src = f.mem
	default:
		return 0, fmt.Errorf("no such space at %v", a)
	}
	if int(a.Offset()) >= len(src) {
		return 0, fmt.Errorf("%v is past the end", a)
	}
	return copy(p, src[a.Offset():]), nil
}

func (f *fakeTarget) WriteMemory(a Addr, p []byte) error {
	if a.Space() != SpaceMemory || int(a.Offset())+len(p) > len(f.mem) {
		return errors.New("not writable")
	}
	copy(f.mem[a.Offset():], p)
	return nil
}

func (f *fakeTarget) SetBreakpoint(a Addr) error {
	if a.Space() != SpaceObject {
		return fmt.Errorf("%v is not code", a)
	}
	f.bps[a] = true
	return nil
}

func (f *fakeTarget) ClearBreakpoint(a Addr) error {
	if !f.bps[a] {
		return fmt.Errorf("no breakpoint at %v", a)
	}
	delete(f.bps, a)
	return nil
}

func (f *fakeTarget) Libraries() Libraries {
	if f.noLibs {
		return nil
	}
	return f
}

func (f *fakeTarget) LoadedModules() []Library {
	return []Library{{Name: "/tmp/prog.wasm", Base: ObjectAddr(0, 0)}}
}

func (f *fakeTarget) Wasm() Wasm                 { return f }
func (f *fakeTarget) MemoryWriter() MemoryWriter { return f }

func (f *fakeTarget) CallStack() []Addr {
	return []Addr{f.stop.PC, ObjectAddr(0, 0x25f), ObjectAddr(0, 0x1db)}
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
