package component

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/e2e"
)

// assemble builds a fixture's WAT with jco parse into a temp dir.
func assemble(tb testing.TB, rel string) []byte {
	tb.Helper()
	jco := e2e.Tool(tb, "jco")
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "..", "fixtures", "testdata", rel)
	out := filepath.Join(tb.TempDir(), "out.wasm")
	if b, err := exec.Command(jco, "parse", src, "-o", out).CombinedOutput(); err != nil {
		tb.Fatalf("jco parse %s: %v\n%s", rel, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// composeRun instantiates compose.wat and returns its run export.
func composeRun(tb testing.TB, ctx context.Context, wz wazero.Runtime) *Func {
	tb.Helper()
	c, err := compbin.Decode(assemble(tb, "component/compose/compose.wat"))
	if err != nil {
		tb.Fatal(err)
	}
	inst, err := New(wz, nil).Instantiate(ctx, c)
	if err != nil {
		tb.Fatal(err)
	}
	run := inst.Exports["run"].Func
	if run == nil {
		tb.Fatal("no run export")
	}
	return run
}

// TestCompose: a call from one component into another passes a string and
// a list through both canonical ABIs (lower in the caller, lift in the
// callee, with its realloc).
func TestCompose(t *testing.T) {
	ctx := context.Background()
	wz := wazero.NewRuntime(ctx)
	defer wz.Close(ctx)
	run := composeRun(t, ctx, wz)
	res, err := run.Call(ctx, abi.U32(3))
	if err != nil {
		t.Fatal(err)
	}
	// Each call: len("hello, world") + 1+2+3+4 = 22.
	if len(res) != 1 || res[0] != abi.U32(66) {
		t.Fatalf("run(3) = %v, want [66]", res)
	}
}

// BenchmarkCrossComponentCall measures a call from one component into
// another with a string and a list argument, against the same call between
// two functions of one core module (plain wazero), in one run, and reports
// the ratio.
func BenchmarkCrossComponentCall(b *testing.B) {
	ctx := context.Background()
	wz := wazero.NewRuntime(ctx)
	defer wz.Close(ctx)
	run := composeRun(b, ctx, wz)
	core, err := wz.Instantiate(ctx, assemble(b, "component/compose/core.wat"))
	if err != nil {
		b.Fatal(err)
	}
	coreRun := core.ExportedFunction("run")
	const calls = 10000
	b.ResetTimer()
	var compNS, coreNS time.Duration
	for range b.N {
		t0 := time.Now()
		if _, err := run.Call(ctx, abi.U32(calls)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := coreRun.Call(ctx, calls); err != nil {
			b.Fatal(err)
		}
		compNS += t1.Sub(t0)
		coreNS += time.Since(t1)
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*calls) }
	b.ReportMetric(per(compNS), "ns/component-call")
	b.ReportMetric(per(coreNS), "ns/core-call")
	b.ReportMetric(per(compNS)/per(coreNS), "ratio")
}

// TestTraceCompose: a traced call from one component into another shows
// both sides' names and the lifted string and list.
func TestTraceCompose(t *testing.T) {
	ctx := context.Background()
	wz := wazero.NewRuntime(ctx)
	defer wz.Close(ctx)
	c, err := compbin.Decode(assemble(t, "component/compose/compose.wat"))
	if err != nil {
		t.Fatal(err)
	}
	r := New(wz, nil)
	var got []string
	r.SetTracer(func(e CallEvent) { got = append(got, e.String()) }, nil)
	inst, err := r.Instantiate(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Exports["run"].Func.Call(ctx, abi.U32(1)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"host -> run(n: 1)",
		`  root/app-i -> f(s: "hello, world", l: [1, 2, 3, 4])`,
		"  root/app-i <- f = 22",
		"host <- run = 22",
	}
	if len(got) != len(want) {
		t.Fatalf("trace:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("trace:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
