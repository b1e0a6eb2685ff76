package compbin

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The tests build real components at test time (binaries are never
// committed): testdata/hello.c with clang-22 and `jco new --wasi-command`,
// and testdata/*.wat with `jco parse`. A missing tool skips them, or fails
// them when WDBG_E2E=required (scripts/test.sh sets it, so CI does).

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var scratch string // a directory shared by the tests of this package

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "compbin-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func e2eRequired() bool { return os.Getenv("WDBG_E2E") == "required" }

// tool returns the path of an external tool, or ends the test: failing it
// when WDBG_E2E=required, skipping it otherwise.
func tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if e2eRequired() {
		t.Fatalf("%s is required (WDBG_E2E=required) but not installed", name)
	}
	t.Skipf("%s is not installed; skipping (install clang-22 and `npm install -g @bytecodealliance/jco`)", name)
	return ""
}

// testComponent is a component built from testdata.
type testComponent struct {
	name string // "hello", "types", "async"
	path string // the .wasm in scratch
	bin  []byte
}

var (
	buildOnce  sync.Once
	built      []testComponent
	buildError error
)

// components builds (once) and returns every test component.
func components(t testing.TB) []testComponent {
	t.Helper()
	clang := tool(t, "clang-22")
	jco := tool(t, "jco")
	buildOnce.Do(func() { built, buildError = buildComponents(clang, jco) })
	if buildError != nil {
		t.Fatal(buildError)
	}
	return built
}

func run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return nil
}

func buildComponents(clang, jco string) ([]testComponent, error) {
	dir := filepath.Join(scratch, "components")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	obj := filepath.Join(dir, "hello.o")
	core := filepath.Join(dir, "hello.core.wasm")
	hello := filepath.Join(dir, "hello.wasm")
	steps := [][]string{
		{clang, "--target=wasm32-wasi", "--sysroot=/usr", "-Wno-deprecated", "-g", "-c", filepath.Join("testdata", "hello.c"), "-o", obj},
		{clang, "--target=wasm32-wasi", "--sysroot=/usr", "-Wno-deprecated", obj, "-o", core},
		{jco, "new", core, "--wasi-command", "-o", hello},
	}
	for _, s := range steps {
		if err := run(s[0], s[1:]...); err != nil {
			return nil, err
		}
	}
	out := []testComponent{{name: "hello", path: hello}}
	for _, name := range []string{"types", "async"} {
		p := filepath.Join(dir, name+".wasm")
		if err := run(jco, "parse", filepath.Join("testdata", name+".wat"), "-o", p); err != nil {
			return nil, err
		}
		out = append(out, testComponent{name: name, path: p})
	}
	for i := range out {
		b, err := os.ReadFile(out[i].path)
		if err != nil {
			return nil, err
		}
		out[i].bin = b
	}
	return out, nil
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b bytes.Buffer
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
