package launch_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"wdbg/internal/e2e"
	"wdbg/internal/largeprog"
	"wdbg/internal/wasmbin"
	"wdbg/launch"
	"wdbg/session"
)

func largeModule(tb testing.TB) string {
	tb.Helper()
	e2e.Tool(tb, "clang-22")
	path, err := largeprog.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestLargeModuleFirstStop: the large module (thousands of functions, over
// 5 MB of DWARF) loads, instruments, and stops at a source line breakpoint.
func TestLargeModuleFirstStop(t *testing.T) {
	path := largeModule(t)
	s, warnings, err := launch.Open(path, launch.Options{})
	if err != nil || len(warnings) > 0 {
		t.Fatalf("open: %v %v", err, warnings)
	}
	defer s.Kill()
	spec := fmt.Sprintf("%s:%d", largeprog.BreakFile, largeprog.BreakLine())
	if _, err := s.SetBreakpoint(spec, session.BreakOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	f := st.Frames[0]
	if st.Reason != session.StopBreakpoint || f.Func.Name != "u7_f123" || f.Loc.Line != largeprog.BreakLine() {
		t.Fatalf("stopped %v in %s at %s:%d", st.Reason, f.Func.Name, f.Loc.File, f.Loc.Line)
	}
	n := 0
	for _, fn := range s.Program().SortedFunctions() {
		if !fn.Imported {
			n++
		}
	}
	img, _ := os.ReadFile(path)
	m, err := wasmbin.Decode(img)
	if err != nil {
		t.Fatal(err)
	}
	debug := 0
	for _, c := range m.Customs {
		if strings.HasPrefix(c.Name, ".debug_") {
			debug += len(c.Data)
		}
	}
	if n < 2000 || debug < 5<<20 {
		t.Fatalf("the large module has %d functions and %d bytes of debug sections; want >= 2000 and >= 5 MiB", n, debug)
	}
}

// BenchmarkFirstStop measures what a user waits for: from opening the large
// module (decode, DWARF, instrumentation, compilation) to the first
// breakpoint stop. The goal is at most 1 s.
func BenchmarkFirstStop(b *testing.B) {
	path := largeModule(b)
	spec := fmt.Sprintf("%s:%d", largeprog.BreakFile, largeprog.BreakLine())
	var open, firstStop time.Duration
	for b.Loop() {
		t0 := time.Now()
		s, _, err := launch.Open(path, launch.Options{})
		if err != nil {
			b.Fatal(err)
		}
		open += time.Since(t0)
		if _, err := s.SetBreakpoint(spec, session.BreakOptions{}); err != nil {
			b.Fatal(err)
		}
		st, err := s.Run()
		firstStop += time.Since(t0)
		if err != nil || st.Reason != session.StopBreakpoint {
			b.Fatal(st, err)
		}
		s.Kill()
	}
	n := float64(b.N)
	b.ReportMetric(float64(open.Milliseconds())/n, "open-ms")
	b.ReportMetric(float64(firstStop.Milliseconds())/n, "first-stop-ms")
}
