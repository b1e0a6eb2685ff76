package compbin

import (
	"os/exec"
	"testing"
)

// FuzzDecode checks that Decode never panics, and that what it accepts is
// laid out consistently and can be summarised. The seeds are the built test
// components (when clang-22 and jco are installed; with their core modules
// replaced by empty ones, since the fuzzer spends its time minimizing large
// inputs) and hand-made binaries.
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 20s ./internal/compbin
func FuzzDecode(f *testing.F) {
	_, errClang := exec.LookPath("clang-22")
	_, errJco := exec.LookPath("jco")
	if errClang == nil && errJco == nil {
		for _, tc := range components(f) {
			f.Add(skeleton(f, tc.bin))
		}
	}
	f.Add(preamble)
	f.Add(comp(sec(7, 4, 0x67, 0x7d, 0x04, 0x63, 0x73, 0x79, 0x43, 0x00, 0x01, 0x00, 0x3f, 0x7f, 0x00)))
	f.Add(comp(sec(8, 5, 0x08, 0x0a, 0x7f, 0x00, 0x0c, 0x01, 0x20, 0x01, 0x02, 0x41, 0x01, 0x01, 0x02)))
	f.Add(comp(sec(4, comp(sec(7, 1, 0x42, 0x01, 0x04, 0x00, 0x01, 'a', 0x01, 0x00))...)))
	f.Add(comp(sec(0, 14, 'c', 'o', 'm', 'p', 'o', 'n', 'e', 'n', 't', '-', 'n', 'a', 'm', 'e', 0x00, 0x02, 0x01, 'x')))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			if c != nil {
				t.Fatal("a component and an error")
			}
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("%T is not a *DecodeError", err)
			}
			return
		}
		if !IsComponent(b) {
			t.Fatal("decoded, but IsComponent is false")
		}
		checkLayout(t, b, c)
		_ = c.Summary()
		_ = dump(c)
	})
}

// skeleton returns a component with every top-level core module replaced
// by an empty one (its 8-byte preamble).
func skeleton(t testing.TB, b []byte) []byte {
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), b[:8]...)
	for _, s := range c.Sections {
		if s.ID == SectionCoreModule {
			out = append(out, 1, 8)
			out = append(out, "\x00asm\x01\x00\x00\x00"...)
			continue
		}
		out = append(out, b[s.Offset:s.End]...)
	}
	if _, err := Decode(out); err != nil {
		t.Fatalf("skeleton: %v", err)
	}
	return out
}
