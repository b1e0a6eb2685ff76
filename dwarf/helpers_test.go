package dwarf

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// wasmSections returns the custom sections of a wasm module whose names
// start with ".debug_", and the offset of the code section's payload.
func wasmSections(b []byte) (Sections, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm module")
	}
	secs := Sections{}
	r := newReader("module", b, 8)
	for r.left() > 0 {
		id := r.u8()
		n := r.uleb()
		if r.err != nil || n > uint64(r.left()) {
			return nil, errors.New("bad section header")
		}
		payload := r.bytes(int(n))
		if id != 0 {
			continue
		}
		pr := newReader("custom", payload, 0)
		nl := pr.uleb()
		if pr.err != nil || nl > uint64(pr.left()) {
			return nil, errors.New("bad custom section name")
		}
		name := string(pr.bytes(int(nl)))
		if len(name) > 7 && name[:7] == ".debug_" {
			secs[name] = payload[pr.off:]
		}
	}
	return secs, nil
}

func readSections(t testing.TB, path string) Sections {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := wasmSections(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return secs
}

var loaded sync.Map // path -> *Data

// load loads a module's DWARF once per test binary; Load must not fail on
// the committed modules.
func load(t testing.TB, path string) *Data {
	t.Helper()
	if d, ok := loaded.Load(path); ok {
		return d.(*Data)
	}
	d, err := Load(readSections(t, path))
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	if d == nil {
		t.Fatalf("Load(%s): no DWARF", path)
	}
	loaded.Store(path, d)
	return d
}

// fixtures lists every module the tests check: the project's C fixtures
// and this package's own test programs.
func fixtures(t testing.TB) []string {
	t.Helper()
	a, _ := filepath.Glob("../fixtures/testdata/c/*/*.wasm")
	b, _ := filepath.Glob("testdata/*.wasm")
	all := append(a, b...)
	sort.Strings(all)
	if len(a) == 0 || len(b) == 0 {
		t.Fatal("test modules missing")
	}
	return all
}

func dwarfdump(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("llvm-dwarfdump-22")
	if err != nil {
		t.Fatal("llvm-dwarfdump-22 is required to cross-check this package: ", err)
	}
	return p
}
