// Package e2e lets end-to-end tests require external tools (lldb-22, tmux,
// clang-22, wasm-validate, jco) without ever passing silently: when
// WDBG_E2E=required (scripts/test.sh sets it, so CI does) a missing tool
// fails the test; otherwise it is skipped with a message naming the tool.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Required reports whether end-to-end tests must run.
func Required() bool { return os.Getenv("WDBG_E2E") == "required" }

// Tool returns the path of an external tool, or ends the test: failing it
// when end-to-end tests are required, skipping it otherwise.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/lib/llvm-22/bin"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if Required() {
		t.Fatalf("%s is required (WDBG_E2E=required) but not installed; scripts/test.sh installs it", name)
	}
	t.Skipf("%s is not installed; run scripts/test.sh to install it and run this test", name)
	return ""
}

// artifact is something a test binary builds once: the wdbg binary, a
// fixture made by a toolchain.
type artifact struct {
	once sync.Once
	path string
	err  error
}

// get builds the artifact the first time (build returns its path in dir and
// the command that builds it) and returns its path, or ends the test.
func (a *artifact) get(t testing.TB, what string, build func(dir string) (string, *exec.Cmd)) string {
	t.Helper()
	a.once.Do(func() {
		dir, err := os.MkdirTemp("", "wdbg-e2e-")
		if err != nil {
			a.err = err
			return
		}
		path, cmd := build(dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			a.err = &buildError{out: string(out), err: err}
			return
		}
		a.path = path
	})
	if a.err != nil {
		t.Fatalf("%s: %v", what, a.err)
	}
	return a.path
}

var wdbgBinary, jsComponent artifact

// Binary builds cmd/wdbg once per test binary and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	return wdbgBinary.get(t, "build wdbg", func(dir string) (string, *exec.Cmd) {
		path := filepath.Join(dir, "wdbg")
		cmd := exec.Command("go", "build", "-o", path, "./cmd/wdbg")
		cmd.Dir = RepoRoot()
		return path, cmd
	})
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// RepoRoot returns the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Fixture returns the path of a file under fixtures/testdata.
func Fixture(rel string) string {
	return filepath.Join(RepoRoot(), "fixtures", "testdata", rel)
}

// JSComponent builds the JavaScript component fixture (component/js: a
// custom WIT interface implemented in JavaScript, QuickJS inside) with
// `jco componentize`, once per test binary, and returns its path. It is
// built rather than committed because it is 1.6 MB.
func JSComponent(t testing.TB) string {
	t.Helper()
	jco := Tool(t, "jco")
	return jsComponent.get(t, "jco componentize", func(dir string) (string, *exec.Cmd) {
		path := filepath.Join(dir, "shapes.wasm")
		src := Fixture("component/js")
		return path, exec.Command(jco, "componentize", filepath.Join(src, "shapes.js"), "--backend", "qjs", "--backend-qjs-disable-async",
			"--wit", filepath.Join(src, "wit", "shapes.wit"), "--world-name", "shapes-js", "-o", path)
	})
}
