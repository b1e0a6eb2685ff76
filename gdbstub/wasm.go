package gdbstub

import (
	"encoding/hex"
	"errors"
	"strings"
)

// LLDB's WebAssembly packets: the call stack, and locals, globals and
// operand-stack values of a frame.
var wasmHandlers = map[string]handler{
	"qWasmCallStack":  (*conn).qWasmCallStack,
	"qWasmLocal":      wasmValue(Wasm.Local),
	"qWasmGlobal":     wasmValue(Wasm.Global),
	"qWasmStackValue": wasmValue(Wasm.StackValue),
}

// qWasmCallStack lists the frames' pcs as little-endian 64-bit hex,
// innermost first.
func (cn *conn) qWasmCallStack(args string) ([]byte, action, error) {
	w := cn.t.Wasm()
	if w == nil {
		return nil, actNone, ErrUnsupported
	}
	if t, err := parseThreadID(args); err != nil || (t != threadID && t != 0) {
		if err == nil {
			err = errCode(1, errors.New("no such thread"))
		}
		return nil, actNone, err
	}
	var b strings.Builder
	for _, pc := range w.CallStack() {
		b.WriteString(le64(uint64(pc)))
	}
	return []byte(b.String()), actNone, nil
}

// wasmValue answers a FRAME;INDEX query with the value's bytes.
func wasmValue(get func(Wasm, int, int) ([]byte, error)) handler {
	return func(cn *conn, args string) ([]byte, action, error) {
		w := cn.t.Wasm()
		if w == nil {
			return nil, actNone, ErrUnsupported
		}
		fi, err := ParseFrameIndex(args)
		if err != nil {
			return nil, actNone, err
		}
		v, err := get(w, fi.Frame, fi.Index)
		if err != nil {
			return nil, actNone, errCode(3, err)
		}
		return []byte(hex.EncodeToString(v)), actNone, nil
	}
}
