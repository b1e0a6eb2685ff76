package session

import (
	"path/filepath"
	"runtime"
	"testing"
)

// TestLoadComponent: a jco-built command component loads as a program of
// its core modules, each with its own DWARF.
func TestLoadComponent(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "fixtures", "testdata", "component", "cmd", "cmd.wasm")
	p, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != KindComponent {
		t.Fatalf("kind %v", p.Kind)
	}
	var got []string
	for _, m := range p.Modules {
		got = append(got, m.Name)
		if (m.Debug() != nil) != (m.Name == "main") {
			t.Errorf("module %s: DWARF %v", m.Name, m.Debug() != nil)
		}
	}
	want := []string{"main", "wit-component:adapter:wasi_snapshot_preview1", "wit-component-shim-module", "wit-component-fixup"}
	if len(got) != len(want) {
		t.Fatalf("modules %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("modules %q, want %q", got, want)
		}
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %q", p.Warnings)
	}
}
