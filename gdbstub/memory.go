package gdbstub

import (
	"encoding/hex"
	"fmt"
)

// Memory: reads of linear memory and of module bytes (m, x), and writes
// of linear memory (M).
var memoryHandlers = map[string]handler{
	"m": (*conn).readMemoryHex,
	"x": (*conn).readMemoryBinary,
	"M": (*conn).writeMemory,
}

// read reads what an m or x packet asks for, at most half a packet (a hex
// reply doubles it).
func (cn *conn) read(args string) ([]byte, error) {
	m, err := ParseMemArgs(args)
	if err != nil {
		return nil, err
	}
	n := min(m.Len, cn.srv.packetSize()/2)
	buf := make([]byte, n)
	got, err := cn.t.ReadMemory(m.Addr, buf)
	if got == 0 && n > 0 {
		if err == nil {
			err = fmt.Errorf("nothing to read at %v", m.Addr)
		}
		return nil, errCode(3, err)
	}
	return buf[:got], nil
}

func (cn *conn) readMemoryHex(args string) ([]byte, action, error) {
	b, err := cn.read(args)
	if err != nil {
		return nil, actNone, err
	}
	return []byte(hex.EncodeToString(b)), actNone, nil
}

// readMemoryBinary answers x in LLDB's form: the raw bytes, escaped on the
// wire. "x0,0" probes for support and gets OK.
func (cn *conn) readMemoryBinary(args string) ([]byte, action, error) {
	if m, err := ParseMemArgs(args); err == nil && m.Len == 0 {
		return []byte("OK"), actNone, nil
	}
	b, err := cn.read(args)
	if err != nil {
		return nil, actNone, err
	}
	return b, actNone, nil
}

func (cn *conn) writeMemory(args string) ([]byte, action, error) {
	m, data, err := ParseMemWrite(args)
	if err != nil {
		return nil, actNone, err
	}
	w := cn.t.MemoryWriter()
	if w == nil {
		return nil, actNone, ErrUnsupported
	}
	if err := w.WriteMemory(m.Addr, data); err != nil {
		return nil, actNone, errCode(3, err)
	}
	return []byte("OK"), actNone, nil
}
