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

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds cmd/wdbg once per test binary and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wdbg-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "wdbg")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/wdbg")
		cmd.Dir = RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatalf("build wdbg: %v", buildErr)
	}
	return binPath
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

var (
	jsOnce sync.Once
	jsPath string
	jsErr  error
)

// JSComponent builds the JavaScript component fixture (component/js: a
// custom WIT interface implemented in JavaScript, QuickJS inside) with
// `jco componentize`, once per test binary, and returns its path. It is
// built rather than committed because it is 1.6 MB.
func JSComponent(t testing.TB) string {
	t.Helper()
	jco := Tool(t, "jco")
	jsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wdbg-js-")
		if err != nil {
			jsErr = err
			return
		}
		jsPath = filepath.Join(dir, "shapes.wasm")
		src := Fixture("component/js")
		cmd := exec.Command(jco, "componentize", filepath.Join(src, "shapes.js"), "--backend", "qjs", "--backend-qjs-disable-async",
			"--wit", filepath.Join(src, "wit", "shapes.wit"), "--world-name", "shapes-js", "-o", jsPath)
		if out, err := cmd.CombinedOutput(); err != nil {
			jsErr = &buildError{out: string(out), err: err}
		}
	})
	if jsErr != nil {
		t.Fatalf("jco componentize: %v", jsErr)
	}
	return jsPath
}
