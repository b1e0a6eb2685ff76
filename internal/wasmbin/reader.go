package wasmbin

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// reader is a cursor over a byte slice. Every failure it returns is an
// *offsetError carrying the offset of the item that failed (base+pos),
// which Decode and DecodeBody turn into errors naming the section or the
// function.
type reader struct {
	b    []byte
	pos  int
	base int // offset reported for b[0]: 0 for a file, the code offset for a body
}

func (r *reader) remaining() int { return len(r.b) - r.pos }

func (r *reader) errAt(pos int, err error) error {
	return &offsetError{off: r.base + pos, err: err}
}

func (r *reader) errorf(pos int, format string, args ...any) error {
	return r.errAt(pos, fmt.Errorf(format, args...))
}

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.errAt(r.pos, ErrTruncated)
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, r.errAt(r.pos, ErrTruncated)
	}
	// Cap the slice so an append by a caller cannot overwrite what follows.
	s := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return s, nil
}

func (r *reader) uleb(bits int) (uint64, error) {
	v, n, err := readUleb(r.b[r.pos:], bits)
	if err != nil {
		return 0, r.errAt(r.pos, err)
	}
	r.pos += n
	return v, nil
}

func (r *reader) sleb(bits int) (int64, error) {
	v, n, err := readSleb(r.b[r.pos:], bits)
	if err != nil {
		return 0, r.errAt(r.pos, err)
	}
	r.pos += n
	return v, nil
}

func (r *reader) u32() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

func (r *reader) u64() (uint64, error) { return r.uleb(64) }

// count reads a vector length and checks it against the bytes left,
// assuming every element takes at least minSize bytes. This is what keeps
// a hostile length field from making us allocate gigabytes.
func (r *reader) count(minSize int) (int, error) {
	start := r.pos
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		return 0, r.errorf(start, "vector length %d exceeds the %d bytes left: %w", n, r.remaining(), ErrTruncated)
	}
	return int(n), nil
}

func (r *reader) name() (string, error) {
	start := r.pos
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	if uint64(n) > uint64(r.remaining()) {
		return "", r.errorf(start, "name length %d exceeds the %d bytes left: %w", n, r.remaining(), ErrTruncated)
	}
	b, _ := r.bytes(int(n))
	if !utf8.Valid(b) {
		return "", r.errorf(start, "name is not valid UTF-8")
	}
	return string(b), nil
}

func (r *reader) u32le() (uint32, error) {
	b, err := r.bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (r *reader) u64le() (uint64, error) {
	b, err := r.bytes(8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

var errGCType = fmt.Errorf("GC proposal types are %w", ErrUnsupported)

// valType reads a value type. Typed references (0x63/0x64, from the
// function-references and GC proposals) are reported as unsupported, not
// as garbage, so the user knows why their module is refused.
func (r *reader) valType() (ValType, error) {
	start := r.pos
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch t := ValType(c); t {
	case I32, I64, F32, F64, V128, FuncRef, ExternRef, ExnRef:
		return t, nil
	}
	return 0, r.errAt(start, badValType(c))
}

func badValType(c byte) error {
	switch {
	case c == 0x63 || c == 0x64:
		return fmt.Errorf("typed reference type 0x%02x (function references/GC proposal) is %w", c, ErrUnsupported)
	case c >= 0x6a && c <= 0x74:
		return fmt.Errorf("GC heap type 0x%02x is %w", c, ErrUnsupported)
	}
	return fmt.Errorf("invalid value type 0x%02x", c)
}

// limits reads the limits of a memory (mem=true) or table.
func (r *reader) limits(mem bool) (Limits, error) {
	start := r.pos
	flags, err := r.byte()
	if err != nil {
		return Limits{}, err
	}
	if flags > 7 || (!mem && flags&2 != 0) {
		return Limits{}, r.errorf(start, "invalid limits flags 0x%02x", flags)
	}
	l := Limits{HasMax: flags&1 != 0, Shared: flags&2 != 0, Is64: flags&4 != 0}
	bits := 32
	if l.Is64 {
		bits = 64
	}
	if l.Min, err = r.uleb(bits); err != nil {
		return Limits{}, err
	}
	if l.HasMax {
		if l.Max, err = r.uleb(bits); err != nil {
			return Limits{}, err
		}
	}
	return l, nil
}

func (r *reader) tableType() (TableType, error) {
	start := r.pos
	if r.pos < len(r.b) && r.b[r.pos] == 0x40 {
		// 0x40 0x00 introduces a table with an initialiser expression
		// (function-references proposal).
		return TableType{}, r.errorf(start, "table with initializer expression is %w", ErrUnsupported)
	}
	t, err := r.valType()
	if err != nil {
		return TableType{}, err
	}
	if !t.IsRef() {
		return TableType{}, r.errorf(start, "table element type %s is not a reference type", t)
	}
	l, err := r.limits(false)
	if err != nil {
		return TableType{}, err
	}
	return TableType{Elem: t, Limits: l}, nil
}

func (r *reader) globalType() (GlobalType, error) {
	t, err := r.valType()
	if err != nil {
		return GlobalType{}, err
	}
	start := r.pos
	mut, err := r.byte()
	if err != nil {
		return GlobalType{}, err
	}
	if mut > 1 {
		return GlobalType{}, r.errorf(start, "invalid global mutability 0x%02x", mut)
	}
	return GlobalType{Type: t, Mutable: mut == 1}, nil
}

// tagType reads a tag type: the reserved attribute 0 and a type index.
func (r *reader) tagType() (uint32, error) {
	start := r.pos
	attr, err := r.byte()
	if err != nil {
		return 0, err
	}
	if attr != 0 {
		return 0, r.errorf(start, "invalid tag attribute 0x%02x", attr)
	}
	return r.u32()
}

// asOffsetError extracts the position and cause from a reader error.
func asOffsetError(err error) (int, error, bool) {
	var oe *offsetError
	if errors.As(err, &oe) {
		return oe.off, oe.err, true
	}
	return 0, err, false
}
