package component

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"wdbg/internal/compbin"
)

var updateDescribe = flag.Bool("update-describe", false, "rewrite testdata/describe_cmd.golden")

// TestDescribe prints the structure of the C command component fixture and
// compares it with a golden file.
func TestDescribe(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "fixtures", "testdata", "component", "cmd", "cmd.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	Describe(c, "cmd.wasm").Write(&out)
	golden := filepath.Join("testdata", "describe_cmd.golden")
	if *updateDescribe {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("Describe differs from %s (run with -update-describe):\n%s", golden, out.String())
	}
}
