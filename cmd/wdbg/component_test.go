package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wdbg/internal/e2e"
)

// updateComponent rewrites this file's golden files. (The external test
// package's -update is a different flag: both live in one test binary.)
var updateComponent = flag.Bool("update-component", false, "rewrite testdata/trace_cmd.golden and testdata/wit_js.golden")

// runWdbg runs the wdbg binary and returns stdout, stderr and the exit code.
func runWdbg(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runCmd(t, exec.Command(e2e.Binary(t), args...))
}

func runCmd(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// TestComponentRunLikeJco: the C command component prints the same, on
// stdout and stderr, and exits with the same status under `wdbg run` as
// under `jco run` (the reference runtime, on node).
func TestComponentRunLikeJco(t *testing.T) {
	jco := e2e.Tool(t, "jco")
	comp := e2e.Fixture("component/cmd/cmd.wasm")
	args := []string{"1", "22", "hello", "exit=3"}
	wout, werr, wcode := runWdbg(t, append([]string{"run", comp, "--"}, args...)...)
	jcmd := exec.Command(jco, append([]string{"run", comp}, args...)...)
	jcmd.Dir = t.TempDir() // jco run grants the current directory
	jout, jerr, jcode := runCmd(t, jcmd)
	if wout != jout || werr != jerr || wcode != jcode {
		t.Errorf("wdbg run: status %d\n%s%s\njco run: status %d\n%s%s", wcode, wout, werr, jcode, jout, jerr)
	}
	want := "arg 1: 1\narg 2: 22\narg 3: hello\nnumbers: 2, sum: 23, longest: hello\n"
	if wout != want || werr != "cmd: done, status 3\n" || wcode != 1 {
		// WASI 0.2's exit takes a result: the preview 1 adapter turns
		// every non-zero status into an error, which exits with 1.
		t.Errorf("wdbg run: status %d, stdout %q, stderr %q; want 1, %q", wcode, wout, werr, want)
	}
}

// TestComponentRunGrants: the guest sees an environment variable and a
// directory only when they are granted.
func TestComponentRunGrants(t *testing.T) {
	comp := e2e.Fixture("component/cmd/cmd.wasm")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.txt"), []byte("first\nsecond\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GREETING", "from the host, never seen")
	out, _, code := runWdbg(t, "run", comp, "--", "x")
	if want := "arg 1: x\nnumbers: 0, sum: 0, longest: x\n"; out != want || code != 0 {
		t.Errorf("without grants: status %d, %q; want 0, %q", code, out, want)
	}
	out, _, code = runWdbg(t, "run", "--env", "GREETING=hi", "--dir", dir+":/data:ro", comp, "--", "x")
	want := "arg 1: x\nnumbers: 0, sum: 0, longest: x\nGREETING=hi\nin.txt: first\nin.txt: second\n"
	if out != want || code != 0 {
		t.Errorf("with grants: status %d, %q; want 0, %q", code, out, want)
	}
}

// TestComponentLinkErrors: a malformed component and an import the host
// does not provide each get one error naming the place and the reason.
func TestComponentLinkErrors(t *testing.T) {
	dir := t.TempDir()
	image, err := os.ReadFile(e2e.Fixture("component/cmd/cmd.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.wasm")
	os.WriteFile(cut, image[:130000], 0o644)
	_, errOut, code := runWdbg(t, "run", cut)
	// The component is cut in the middle of its first core module.
	if want := "wdbg: cut.wasm: compbin: preamble at 0xcc9: core module section size 226939 larger than the 126724 bytes left\n"; code != 1 || errOut != want {
		t.Errorf("truncated component: status %d, %q; want 1, %q", code, errOut, want)
	}

	jco := e2e.Tool(t, "jco")
	wat := filepath.Join(dir, "unknown.wat")
	os.WriteFile(wat, []byte(`(component
  (import "example:demo/missing@1.0.0" (instance (export "f" (func))))
)`), 0o644)
	bin := filepath.Join(dir, "unknown.wasm")
	if out, err := exec.Command(jco, "parse", wat, "-o", bin).CombinedOutput(); err != nil {
		t.Fatalf("jco parse: %v\n%s", err, out)
	}
	_, errOut, code = runWdbg(t, "run", bin)
	if want := "wdbg: unknown.wasm: component root at 0x1b: import \"example:demo/missing@1.0.0\": the host does not provide it\n"; code != 1 || errOut != want {
		t.Errorf("unknown import: status %d, %q; want 1, %q", code, errOut, want)
	}

	// Under the debugger the same component (given a core module, so that
	// there is something to debug) does not start, and run fails.
	os.WriteFile(wat, []byte(`(component
  (import "example:demo/missing@1.0.0" (instance (export "f" (func))))
  (core module $m)
  (core instance (instantiate $m))
)`), 0o644)
	if out, err := exec.Command(jco, "parse", wat, "-o", bin).CombinedOutput(); err != nil {
		t.Fatalf("jco parse: %v\n%s", err, out)
	}
	out, errOut, code := runWdbg(t, "--batch", "-ex", "run", bin)
	if want := "Cannot run the program: component root at 0x1b: import \"example:demo/missing@1.0.0\": the host does not provide it.\n"; code != 1 || out != "" || errOut != want {
		t.Errorf("debugging a component that does not link: status %d, stdout %q, stderr %q; want 1, \"\", %q", code, out, errOut, want)
	}
}

// TestTraceCalls: `wdbg run --trace-calls` prints every call across the
// component's boundary with its values in WIT syntax (whole stderr
// compared with a golden file; -update-component rewrites it).
func TestTraceCalls(t *testing.T) {
	_, errOut, code := runWdbg(t, "run", "--trace-calls", e2e.Fixture("component/cmd/cmd.wasm"), "--", "5")
	if code != 0 {
		t.Fatalf("status %d\n%s", code, errOut)
	}
	golden := filepath.Join("testdata", "trace_cmd.golden")
	if *updateComponent {
		os.WriteFile(golden, []byte(errOut), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if errOut != string(want) {
		t.Errorf("trace differs from %s (run with -update-component):\n%s", golden, errOut)
	}
}

// TestComponentFilesystem: a component changes its preopen through the
// WASI 0.2 host (mkdir, write, rename, list, read, unlink, rmdir), and
// cannot reach outside it; a read-only grant refuses the changes.
func TestComponentFilesystem(t *testing.T) {
	comp := e2e.Fixture("component/fsops/fsops.wasm")
	parent := t.TempDir()
	dir := filepath.Join(parent, "data")
	os.Mkdir(dir, 0o755)
	out, errOut, code := runWdbg(t, "run", "--dir", dir+":/data", comp)
	want := `mkdir /data/sub: ok
rename a.txt b.txt: ok
entry: b.txt
b.txt: moved and read back
rmdir non-empty: Directory not empty
unlink b.txt: ok
rmdir /data/sub: ok
open ../escape: Operation not permitted
`
	if code != 0 || out != want {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the preopen is not empty afterwards: %v", ents)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape.txt")); err == nil {
		t.Error("the guest wrote outside its preopen")
	}
	out, _, _ = runWdbg(t, "run", "--dir", dir+":/data:ro", comp)
	if want := "mkdir /data/sub: Read-only file system\n"; !strings.HasPrefix(out, want) {
		t.Errorf("read-only grant: stdout %q, want it to start with %q", out, want)
	}
}

// TestComponentWITOfJS: `info wit` on a toolchain-built component (jco
// componentize, JavaScript on QuickJS) gives back the interface it was
// built from, wit/shapes.wit, with its records, enum, variant, resource
// and functions; the imports are the WASI the toolchain added.
func TestComponentWITOfJS(t *testing.T) {
	out, errOut, code := runWdbg(t, "--batch", "-ex", "info wit", e2e.JSComponent(t))
	if code != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", code, errOut)
	}
	// The exports, which come from the fixture's WIT; the imports are
	// WASI's, whatever version the toolchain picked.
	i := strings.Index(out, "  export init:")
	if i < 0 {
		t.Fatalf("no exports in:\n%s", out)
	}
	golden := filepath.Join("testdata", "wit_js.golden")
	if *updateComponent {
		if err := os.WriteFile(golden, []byte(out[i:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out[i:] != string(want) {
		t.Errorf("info wit exports differ from %s (run with -update-component to accept):\n%s", golden, out[i:])
	}
}
