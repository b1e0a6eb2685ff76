package gdbstub

import (
	"fmt"
	"strings"
)

// Execution control: stop status, resume and step, breakpoints, kill and
// detach.
var execHandlers = map[string]handler{
	"?":               (*conn).status,
	"qThreadStopInfo": (*conn).status,
	"c":               resume(actResume),
	"C":               resume(actResume),
	"s":               resume(actStep),
	"S":               resume(actStep),
	"Z":               (*conn).setBreak,
	"z":               (*conn).clearBreak,
	"k":               (*conn).kill,
	"vKill":           (*conn).kill,
	"D":               (*conn).detach,
	"p":               (*conn).readRegister,
	"g":               (*conn).readRegisters,
}

func (cn *conn) status(string) ([]byte, action, error) {
	return []byte(cn.stopReply(cn.t.Stopped())), actNone, nil
}

// resume handles c, C, s and S. A resume address (c ADDR) cannot be
// honoured: a wasm pc cannot be set.
func resume(act action) handler {
	return func(cn *conn, args string) ([]byte, action, error) {
		if args != "" && !strings.HasPrefix(args, ";") {
			// C and S carry a signal first; c and s an optional address.
			sig, addr, _ := strings.Cut(args, ";")
			if _, err := parseHexUint(sig, "signal or address"); err != nil {
				return nil, actNone, err
			}
			if addr != "" {
				return nil, actNone, fmt.Errorf("resuming at an address is not supported: a wasm pc cannot be set")
			}
		}
		if cn.t.Stopped().Ended() {
			return nil, actNone, fmt.Errorf("the program has ended")
		}
		return nil, act, nil
	}
}

// vCont handles vCont? and vCont;ACTION...
func (cn *conn) vCont(args string) ([]byte, action, error) {
	if args == "?" {
		return []byte("vCont;c;C;s;S"), actNone, nil
	}
	a, err := ParseVCont("vCont"+args, threadID)
	if err != nil {
		return nil, actNone, err
	}
	if cn.t.Stopped().Ended() {
		return nil, actNone, fmt.Errorf("the program has ended")
	}
	if a == ActionStep {
		return nil, actStep, nil
	}
	return nil, actResume, nil
}

func (cn *conn) setBreak(args string) ([]byte, action, error) {
	b, err := ParseBreak(args)
	if err != nil {
		return nil, actNone, err
	}
	if b.Type != 0 {
		return nil, actNone, ErrUnsupported // hardware breakpoints and watchpoints
	}
	if err := cn.t.SetBreakpoint(b.Addr); err != nil {
		return nil, actNone, err
	}
	return []byte("OK"), actNone, nil
}

func (cn *conn) clearBreak(args string) ([]byte, action, error) {
	b, err := ParseBreak(args)
	if err != nil {
		return nil, actNone, err
	}
	if b.Type != 0 {
		return nil, actNone, ErrUnsupported
	}
	if err := cn.t.ClearBreakpoint(b.Addr); err != nil {
		return nil, actNone, err
	}
	return []byte("OK"), actNone, nil
}

// kill answers k with X09, as LLDB expects, and vKill with OK.
func (cn *conn) kill(args string) ([]byte, action, error) {
	if args != "" {
		return []byte("OK"), actKill, nil
	}
	return []byte("X09"), actKill, nil
}

func (cn *conn) detach(string) ([]byte, action, error) {
	return []byte("OK"), actDetach, nil
}

// pc returns the current pc: the innermost wasm frame's, as LLDB reads it
// with p0 (a slipped breakpoint reports its requested address only in the
// stop reply).
func (cn *conn) pc() Addr {
	if w := cn.t.Wasm(); w != nil {
		if cs := w.CallStack(); len(cs) > 0 {
			return cs[0]
		}
	}
	return cn.t.Stopped().PC
}

func (cn *conn) readRegister(args string) ([]byte, action, error) {
	n, err := ParseRegister(args)
	if err != nil {
		return nil, actNone, err
	}
	if n != 0 {
		return nil, actNone, fmt.Errorf("no register %d: pc is the only one", n)
	}
	return []byte(le64(uint64(cn.pc()))), actNone, nil
}

func (cn *conn) readRegisters(string) ([]byte, action, error) {
	return []byte(le64(uint64(cn.pc()))), actNone, nil
}
