package main_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestInspect checks the whole output of wdbg inspect on fixtures with and
// without DWARF, and its errors.
func TestInspect(t *testing.T) {
	for _, c := range []struct{ name, fixture string }{
		{"point_O0", "c/point/point.O0.wasm"},
		{"trap_O2", "c/trap/trap.O2.wasm"},
		{"component_cmd", "component/cmd/cmd.wasm"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := wdbg(t, "", "inspect", fixture(c.fixture))
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden := filepath.Join("testdata", "inspect_"+c.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("wdbg inspect %s differs from %s (run with -update to accept):\n%s", c.fixture, golden, out)
			}
		})
	}
	bad := filepath.Join(t.TempDir(), "bad.wasm")
	os.WriteFile(bad, []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01"), 0o644)
	_, errOut, code := wdbg(t, "", "inspect", bad)
	if want := "wdbg: " + bad + ": type section at offset 0x8: section size 5 runs past the end of the module (1 bytes left): unexpected end of data\n"; code != 1 || errOut != want {
		t.Errorf("inspect of a truncated module: exit %d, stderr %q; want exit 1, %q", code, errOut, want)
	}
}
