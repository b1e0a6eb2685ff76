package gdbstub

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The packet parsers: pure functions from a payload (after its command
// letters) to its arguments. Every error says which part was wrong.

// parseHexUint parses a hex number of at most 64 bits.
func parseHexUint(s, what string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("missing %s", what)
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q: want a hex number", what, s)
	}
	return v, nil
}

// parseDecUint parses a decimal number that fits in an int.
func parseDecUint(s, what string) (int, error) {
	v, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q: want a decimal number", what, s)
	}
	return int(v), nil
}

// MemArgs are the arguments of m, x and M: "ADDR,LENGTH".
type MemArgs struct {
	Addr Addr
	Len  int
}

// maxMemLen bounds a memory read or write; replies are limited by the
// advertised PacketSize anyway.
const maxMemLen = 1 << 20

// ParseMemArgs parses "ADDR,LENGTH" (both hex).
func ParseMemArgs(s string) (MemArgs, error) {
	a, l, ok := strings.Cut(s, ",")
	if !ok {
		return MemArgs{}, fmt.Errorf("memory packet %q: want ADDR,LENGTH", s)
	}
	addr, err := parseHexUint(a, "address")
	if err != nil {
		return MemArgs{}, err
	}
	n, err := parseHexUint(l, "length")
	if err != nil {
		return MemArgs{}, err
	}
	if n > maxMemLen {
		return MemArgs{}, fmt.Errorf("length 0x%x is larger than 0x%x", n, maxMemLen)
	}
	return MemArgs{Addr: Addr(addr), Len: int(n)}, nil
}

// ParseMemWrite parses M's "ADDR,LENGTH:HEXBYTES".
func ParseMemWrite(s string) (MemArgs, []byte, error) {
	head, data, ok := strings.Cut(s, ":")
	if !ok {
		return MemArgs{}, nil, fmt.Errorf("memory write %q: want ADDR,LENGTH:BYTES", s)
	}
	args, err := ParseMemArgs(head)
	if err != nil {
		return MemArgs{}, nil, err
	}
	b, err := hex.DecodeString(data)
	if err != nil {
		return MemArgs{}, nil, fmt.Errorf("memory write data: %v", err)
	}
	if len(b) != args.Len {
		return MemArgs{}, nil, fmt.Errorf("memory write of %d bytes carries %d", args.Len, len(b))
	}
	return args, b, nil
}

// BreakArgs are the arguments of Z and z: "TYPE,ADDR,KIND".
type BreakArgs struct {
	Type int // 0 software, 1 hardware, 2-4 watchpoints
	Addr Addr
	Kind uint64
}

// ParseBreak parses the arguments of Z and z.
func ParseBreak(s string) (BreakArgs, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 3 {
		return BreakArgs{}, fmt.Errorf("breakpoint packet %q: want TYPE,ADDR,KIND", s)
	}
	if len(parts[0]) != 1 || parts[0][0] < '0' || parts[0][0] > '4' {
		return BreakArgs{}, fmt.Errorf("breakpoint type %q: want 0-4", parts[0])
	}
	addr, err := parseHexUint(parts[1], "breakpoint address")
	if err != nil {
		return BreakArgs{}, err
	}
	kind, err := parseHexUint(strings.SplitN(parts[2], ";", 2)[0], "breakpoint kind")
	if err != nil {
		return BreakArgs{}, err
	}
	return BreakArgs{Type: int(parts[0][0] - '0'), Addr: Addr(addr), Kind: kind}, nil
}

// FrameIndex are the arguments of qWasmLocal, qWasmGlobal and
// qWasmStackValue: "FRAME;INDEX", both decimal.
type FrameIndex struct {
	Frame, Index int
}

// ParseFrameIndex parses "FRAME;INDEX".
func ParseFrameIndex(s string) (FrameIndex, error) {
	f, i, ok := strings.Cut(s, ";")
	if !ok {
		return FrameIndex{}, fmt.Errorf("%q: want FRAME;INDEX", s)
	}
	frame, err := parseDecUint(f, "frame")
	if err != nil {
		return FrameIndex{}, err
	}
	index, err := parseDecUint(strings.TrimSuffix(i, ";"), "index")
	if err != nil {
		return FrameIndex{}, err
	}
	return FrameIndex{Frame: frame, Index: index}, nil
}

// XferArgs are the arguments of qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH.
type XferArgs struct {
	Object, Annex string
	Offset, Len   int
}

// ParseXferRead parses what follows "qXfer:".
func ParseXferRead(s string) (XferArgs, error) {
	parts := strings.SplitN(s, ":", 4)
	if len(parts) != 4 || parts[1] != "read" {
		return XferArgs{}, fmt.Errorf("qXfer %q: want OBJECT:read:ANNEX:OFFSET,LENGTH", s)
	}
	m, err := ParseMemArgs(parts[3])
	if err != nil {
		return XferArgs{}, fmt.Errorf("qXfer: %w", err)
	}
	if uint64(m.Addr) > maxMemLen {
		return XferArgs{}, fmt.Errorf("qXfer offset 0x%x out of range", uint64(m.Addr))
	}
	return XferArgs{Object: parts[0], Annex: parts[2], Offset: int(m.Addr), Len: m.Len}, nil
}

// Action is what vCont (or c, s, C, S) asks the thread to do.
type Action int

const (
	ActionContinue Action = iota
	ActionStep
)

// ParseVCont parses "vCont;ACTION[:TID]..." and returns the action for
// thread tid (or the default action). Signals (C/S) are accepted and
// dropped: a wasm guest has none to deliver.
func ParseVCont(s string, tid uint64) (Action, error) {
	rest, ok := strings.CutPrefix(s, "vCont;")
	if !ok || rest == "" {
		return 0, fmt.Errorf("%q: want vCont;ACTION[:THREAD]...", s)
	}
	var def *Action
	for _, item := range strings.Split(rest, ";") {
		act, thread, hasThread := strings.Cut(item, ":")
		if act == "" {
			return 0, fmt.Errorf("vCont: empty action in %q", s)
		}
		var a Action
		switch act[0] {
		case 'c', 'C':
			a = ActionContinue
		case 's', 'S':
			a = ActionStep
		default:
			return 0, fmt.Errorf("vCont action %q is not supported (want c, C, s or S)", act)
		}
		if len(act) > 1 && (act[0] == 'c' || act[0] == 's') {
			return 0, fmt.Errorf("vCont action %q: unexpected %q", act, act[1:])
		}
		if !hasThread || thread == "-1" {
			if def == nil {
				def = &a
			}
			continue
		}
		t, err := parseThreadID(thread)
		if err != nil {
			return 0, fmt.Errorf("vCont: %w", err)
		}
		if t == tid || t == 0 { // 0: any thread
			return a, nil
		}
	}
	if def == nil {
		return 0, fmt.Errorf("vCont %q: no action for thread %x", s, tid)
	}
	return *def, nil
}

// parseThreadID parses a thread id: hex, or "pPID.TID" (multiprocess).
func parseThreadID(s string) (uint64, error) {
	if p, ok := strings.CutPrefix(s, "p"); ok {
		_, t, ok := strings.Cut(p, ".")
		if !ok {
			return 0, fmt.Errorf("thread id %q: want pPID.TID", s)
		}
		s = t
	}
	if s == "-1" || s == "0" {
		return 0, nil // any thread
	}
	return parseHexUint(s, "thread id")
}

// ParseRegister parses p's "REG[;thread:TID;]" and returns the register
// number.
func ParseRegister(s string) (int, error) {
	reg, _, _ := strings.Cut(s, ";")
	n, err := parseHexUint(reg, "register number")
	if err != nil {
		return 0, err
	}
	if n > 1<<16 {
		return 0, fmt.Errorf("register number 0x%x out of range", n)
	}
	return int(n), nil
}

// ErrUnsupported marks a packet the stub does not implement: its reply is
// the empty packet.
var ErrUnsupported = errors.New("unsupported packet")

// hexText hex-encodes text for qHostInfo's triple and descriptions.
func hexText(s string) string { return hex.EncodeToString([]byte(s)) }

// le64 is the little-endian hex of a 64-bit value (a pc as a register).
func le64(v uint64) string {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}

// command splits a payload into its command name and arguments, in the
// few shapes the protocol uses: single letters (m, M, Z, ...), q/Q queries
// up to ':' or the end, and v packets up to ';' or '?'.
func command(p []byte) (name, args string) {
	s := string(p)
	if s == "" {
		return "", ""
	}
	switch s[0] {
	case 'q', 'Q':
		for _, pre := range []string{"qWasmCallStack", "qWasmLocal", "qWasmGlobal", "qWasmStackValue", "qRegisterInfo", "qThreadStopInfo", "qMemoryRegionInfo", "qXfer", "qSupported", "qModuleInfo", "qSymbol", "jThreadExtendedInfo"} {
			if rest, ok := strings.CutPrefix(s, pre); ok {
				return pre, strings.TrimPrefix(rest, ":")
			}
		}
		if i := strings.IndexByte(s, ':'); i >= 0 {
			return s[:i], s[i+1:]
		}
		return s, ""
	case 'v':
		if i := strings.IndexAny(s, ";?:"); i >= 0 {
			return s[:i], s[i:]
		}
		return s, ""
	case 'j', '_':
		if i := strings.IndexByte(s, ':'); i >= 0 {
			return s[:i], s[i+1:]
		}
		return s, ""
	}
	return s[:1], s[1:]
}
