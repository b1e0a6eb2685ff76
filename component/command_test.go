package component_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"wdbg/component"
	"wdbg/internal/compbin"
	"wdbg/internal/e2e"
	"wdbg/wasi"
)

// TestRunCommandFixture runs the jco-built C command component of the
// fixtures on the runtime, both engines: real toolchain output must link
// (and pass the validation checks the runtime does) and run.
func TestRunCommandFixture(t *testing.T) {
	b, err := os.ReadFile(e2e.Fixture("component/cmd/cmd.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, interp := range []bool{true, false} {
		var out, errb bytes.Buffer
		host := wasi.New(wasi.Config{Args: []string{"cmd", "1", "22", "hello"}, Stdout: &out, Stderr: &errb})
		code, err := component.Run(context.Background(), c, host, component.RunOptions{Interpreter: interp})
		if err != nil {
			t.Fatalf("interpreter=%v: %v", interp, err)
		}
		want := "arg 1: 1\narg 2: 22\narg 3: hello\nnumbers: 2, sum: 23, longest: hello\n"
		if code != 0 || out.String() != want {
			t.Errorf("interpreter=%v: status %d, stdout %q, stderr %q; want 0, %q", interp, code, out.String(), errb.String(), want)
		}
	}
}
