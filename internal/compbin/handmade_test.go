package compbin

import (
	"errors"
	"strings"
	"testing"
)

// Hand-assembled binaries, for encodings that jco does not produce and for
// exact error messages.

var preamble = []byte("\x00asm\x0d\x00\x01\x00")

// comp builds a component from sections given as id and payload.
func comp(sections ...[]byte) []byte {
	b := append([]byte(nil), preamble...)
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// sec encodes a section whose payload is small (one-byte size).
func sec(id byte, payload ...byte) []byte {
	return append([]byte{id, byte(len(payload))}, payload...)
}

func TestHandMade(t *testing.T) {
	b := comp(
		// type section: fixed list, map, backpressure-era func async, resource without dtor
		sec(7, 4,
			0x67, 0x7d, 0x04, // (list u8 4)
			0x63, 0x73, 0x79, // (map string u32)
			0x43, 0x00, 0x01, 0x00, // (func async)
			0x3f, 0x7f, 0x00, // (resource (rep i32))
		),
		// canon section: legacy backpressure.set, context.get i32 0, thread.yield cancellable,
		// waitable-set.wait cancellable (memory 2), thread.spawn-indirect shared 1 2
		sec(8, 5,
			0x08,
			0x0a, 0x7f, 0x00,
			0x0c, 0x01,
			0x20, 0x01, 0x02,
			0x41, 0x01, 0x01, 0x02,
		),
		// import with attributes: (import "x" (implements "a:b/c") (versionsuffix "-rc") (func (type 2)))
		sec(10, 1, 0x02, 0x01, 'x', 0x02, 0x00, 0x05, 'a', ':', 'b', '/', 'c', 0x01, 0x03, '-', 'r', 'c', 0x01, 0x02),
		// value section: (value u32 7), and a start section using it
		sec(12, 1, 0x79, 0x01, 0x07),
		sec(9, 0x00, 0x01, 0x00, 0x01),
	)
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ty := range c.Types {
		types = append(types, ty.String())
	}
	if got, want := strings.Join(types, " "), "(list u8 4) (map string u32) (func async) (resource (rep i32))"; got != want {
		t.Errorf("types: %s\nwant   %s", got, want)
	}
	var canons []string
	for _, cn := range c.Canons {
		canons = append(canons, cn.String())
	}
	if got, want := strings.Join(canons, "; "), "backpressure.set; context.get i32 0; thread.yield cancellable; waitable-set.wait (memory 2) cancellable; thread.spawn-indirect (type 1) (table 2) shared"; got != want {
		t.Errorf("canons: %s\nwant    %s", got, want)
	}
	im := c.Imports[0]
	if im.Name.Name != "x" || len(im.Name.Attrs) != 2 || im.Name.Attrs[0] != (NameAttr{AttrImplements, "a:b/c"}) || im.Name.Attrs[1] != (NameAttr{AttrVersionSuffix, "-rc"}) || im.Type.String() != "func (type 2)" {
		t.Errorf("import: %+v", im)
	}
	if len(c.Values) != 1 || c.Values[0].Type.Prim != PrimU32 || string(c.Values[0].Bytes) != "\x07" || c.Values[0].Index != 0 {
		t.Errorf("values: %+v", c.Values)
	}
	if len(c.Starts) != 1 || c.Starts[0].Func != 0 || len(c.Starts[0].Args) != 1 || c.Starts[0].Results != 1 || c.IndexSpaceLen(SortValue) != 2 {
		t.Errorf("start: %+v, %d values", c.Starts, c.IndexSpaceLen(SortValue))
	}
	if c.IndexSpaceLen(SortCoreFunc) != 5 || c.IndexSpaceLen(SortType) != 4 || c.IndexSpaceLen(SortFunc) != 1 {
		t.Errorf("index spaces: core func %d, type %d, func %d", c.IndexSpaceLen(SortCoreFunc), c.IndexSpaceLen(SortType), c.IndexSpaceLen(SortFunc))
	}
	want := `component: 73 bytes, version 0x0d, 5 sections
  definitions: 4 types, 5 canons, 1 start, 1 value
  import func 0 "x" (implements "a:b/c") (versionsuffix "-rc"): func (type 2)
`
	if got := c.Summary(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
		is   error
	}{
		{nil, "compbin: preamble at 0x0: unexpected end of data in preamble", ErrTruncated},
		{[]byte("\x00asm\x01\x00\x00\x00"), "compbin: preamble at 0x4: this is a core module, not a component", ErrNotComponent},
		{[]byte("\x00asm\x0c\x00\x01\x00"), "compbin: preamble at 0x4: unsupported component version 0x0c (want 0x0d)", ErrVersion},
		{[]byte("\x00ASM\x0d\x00\x01\x00"), "compbin: preamble at 0x0: bad magic number", ErrNotComponent},
		{[]byte("\x00asm\x0d\x00\x02\x00"), "compbin: preamble at 0x6: unknown layer 2", ErrNotComponent},
		{comp(sec(13)), "compbin: preamble at 0x8: unknown section id 13", ErrMalformed},
		{comp([]byte{7, 5, 1}), "compbin: preamble at 0x9: type section size 5 larger than the 1 bytes left", ErrTruncated},
		{comp(sec(7, 1, 0x55)), "compbin: type section at 0xb: unknown defined type 0x55", ErrMalformed},
		{comp(sec(7, 1, 0x73, 0x00)), "compbin: type section at 0xc: 1 unused bytes at the end of the section", ErrMalformed},
		{comp(sec(7, 0xff, 0xff, 0xff, 0xff, 0x0f)), "compbin: type section at 0xa: vector length 4294967295 larger than the 0 bytes left", ErrTruncated},
		{comp(sec(7, 1, 0x72, 0x01, 0x10, 'a')), "compbin: type section at 0xd: name length 16 larger than the 1 bytes left", ErrTruncated},
		{comp(sec(7, 1, 0x70, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)), "compbin: type section at 0xc: integer too large or LEB128 too long", ErrMalformed},
		{comp(sec(8, 1, 0x99)), "compbin: canon section at 0xb: unknown canonical definition 0x99", ErrMalformed},
		{comp(sec(8, 1, 0x00, 0x00, 0x00, 0x01, 0x0a)), "compbin: canon section at 0xf: unknown canonical option 0x0a", ErrMalformed},
		{comp(sec(8, 1, 0x20, 0x02, 0x00)), "compbin: canon section at 0xc: invalid cancellable flag 0x02", ErrMalformed},
		{comp(sec(10, 1, 0x00, 0x01, 0xff, 0x01, 0x00)), "compbin: import section at 0xc: name is not valid UTF-8", ErrMalformed},
		{comp(sec(11, 1, 0x00, 0x01, 'e', 0x06, 0x00, 0x00)), "compbin: export section at 0xe: unknown sort 0x06", ErrMalformed},
		{comp(sec(6, 1, 0x03, 0x03, 0x00)), "compbin: alias section at 0xc: unknown alias target 0x03", ErrMalformed},
		{comp(sec(1, 'x')), "compbin: core module section at 0xa: embedded core module does not start with the wasm magic number", ErrMalformed},
		{comp(sec(4, preamble[:7]...)), "compbin: preamble at 0x11: unexpected end of data in preamble", ErrTruncated},
		{comp(sec(4, comp(sec(7, 1, 0x42, 0x01, 0x03))...)), "compbin: type section at 0x17: import declaration in an instance type", ErrMalformed},
		{comp(sec(3, 1, 0x50, 0x01, 0x02, 0x12, 0x00, 0x00)), "compbin: core type section at 0xe: core alias in a module type must be of sort type (0x10), got 0x12", ErrMalformed},
	} {
		_, err := Decode(tc.in)
		if err == nil || err.Error() != tc.want || !errors.Is(err, tc.is) {
			t.Errorf("Decode(% x):\n got  %v\n want %s (%v)", tc.in, err, tc.want, tc.is)
		}
	}
}

func TestIsComponent(t *testing.T) {
	for in, want := range map[string]bool{
		"":                           false,
		"\x00asm\x0d\x00\x01\x00":    true,
		"\x00asm\x0e\x00\x01\x00...": true, // a future version is still a component
		"\x00asm\x01\x00\x00\x00":    false,
		"\x00asm\x0d\x00\x01":        false,
	} {
		if got := IsComponent([]byte(in)); got != want {
			t.Errorf("IsComponent(%q) = %v", in, got)
		}
	}
}

// TestDeepNesting checks that hostile nesting is an error, not a stack
// overflow.
func TestDeepNesting(t *testing.T) {
	// instance types nested 10,000 deep: 0x42 0x01 0x01 (one type decl) ...
	var inner []byte
	for range 10000 {
		inner = append([]byte{0x42, 0x01, 0x01}, inner...)
	}
	inner = append(inner, 0x73)
	payload := append([]byte{0x01}, inner...)
	b := append(append([]byte(nil), preamble...), 7)
	b = appendU32(b, uint32(len(payload)))
	b = append(b, payload...)
	if _, err := Decode(b); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep types: %v", err)
	}
	// components nested 200 deep.
	c := append([]byte(nil), preamble...)
	for range 200 {
		n := append(append([]byte(nil), preamble...), 4)
		n = appendU32(n, uint32(len(c)))
		c = append(n, c...)
	}
	if _, err := Decode(c); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep components: %v", err)
	}
}

func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func TestLEB(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		bits uint
		want int64
		ok   bool
	}{
		{[]byte{0x7f}, 33, -1, true},
		{[]byte{0x3f}, 33, 63, true},
		{[]byte{0xc0, 0x00}, 33, 64, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, 0xffffffff, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 33, 0, false},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 33, -(1 << 32), true},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x60}, 33, 0, false},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 33, 0, false},
	} {
		var got int64
		ok := func() (ok bool) {
			defer func() {
				if e := recover(); e != nil {
					ok = false
				}
			}()
			r := &reader{b: tc.in, end: len(tc.in)}
			got = r.sleb(tc.bits)
			return r.eof()
		}()
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("sleb(% x) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
