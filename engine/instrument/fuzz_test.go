package instrument_test

import (
	"os"
	"path/filepath"
	"testing"

	"wdbg/engine/instrument"
	"wdbg/internal/e2e"
	"wdbg/internal/wasmbin"
)

// FuzzRewrite instruments arbitrary decodable modules, in both site
// layouts: Rewrite returns an error or a module that decodes again, and
// never panics.
func FuzzRewrite(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(e2e.RepoRoot(), "internal", "wasmbin", "testdata", "*.wasm"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b, false)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, every bool) {
		m, err := wasmbin.Decode(b)
		if err != nil {
			return
		}
		res, err := instrument.Rewrite(m, instrument.Config{EveryInstruction: every, ModuleName: "fuzz"})
		if err != nil {
			return
		}
		if _, err := wasmbin.Decode(res.Bytes); err != nil {
			t.Fatalf("the rewritten module does not decode: %v", err)
		}
	})
}
