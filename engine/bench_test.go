package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"wdbg/engine"
	"wdbg/session"
)

// BenchmarkOverhead runs the CPU-bound fixture (sha256, 16 MiB hashed) as
// the original module on plain wazero and under the debugger with a
// breakpoint in a function that is never reached, alternating the two in
// one run, and reports the ratio debug/plain ("x-plain"). Both exclude
// compilation (cached) and include instantiation.
func BenchmarkOverhead(b *testing.B) {
	for _, opt := range []string{"O2", "O0"} {
		b.Run("sha256_"+opt, func(b *testing.B) {
			benchOverhead(b, fixture("sha256", opt), []string{"16"}, "never_called")
		})
	}
}

func benchOverhead(b *testing.B, path string, args []string, bpFunc string) {
	image, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Base(path)
	plain, err := engine.CompilePlain(context.Background(), image, name, false)
	if err != nil {
		b.Fatal(err)
	}
	defer plain.Close()
	prog, err := session.LoadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	l, err := engine.NewLauncher(prog, engine.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var want bytes.Buffer
	if _, err := plain.Run(session.LaunchConfig{Args: append([]string{name}, args...), Stdout: &want}); err != nil {
		b.Fatal(err)
	}
	var plainTime, debugTime time.Duration
	for b.Loop() {
		var out bytes.Buffer
		t0 := time.Now()
		if _, err := plain.Run(session.LaunchConfig{Args: append([]string{name}, args...), Stdout: &out}); err != nil {
			b.Fatal(err)
		}
		plainTime += time.Since(t0)

		out.Reset()
		s := session.New(prog, l, session.Config{Args: args, Stdout: &out})
		if _, err := s.SetBreakpoint(bpFunc, session.BreakOptions{}); err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		st, err := s.Run()
		debugTime += time.Since(t0)
		if err != nil || st.Reason != session.StopExited || out.String() != want.String() {
			b.Fatalf("debug run: %v %v, output %q", st, err, out.String())
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(plainTime.Milliseconds())/n, "plain-ms/run")
	b.ReportMetric(float64(debugTime.Milliseconds())/n, "debug-ms/run")
	b.ReportMetric(float64(debugTime)/float64(plainTime), "x-plain")
}

// BenchmarkHaltLatency measures the time from Halt to the stop, with the
// guest spinning in a loop that makes no calls.
func BenchmarkHaltLatency(b *testing.B) {
	prog, err := session.LoadFile(fixture("loop", "O2"))
	if err != nil {
		b.Fatal(err)
	}
	l, err := engine.NewLauncher(prog, engine.Config{})
	if err != nil {
		b.Fatal(err)
	}
	s := session.New(prog, l, session.Config{})
	defer s.Kill()
	var worst, total time.Duration
	started := false
	for b.Loop() {
		halted := haltWhenRunning(s, 20*time.Millisecond)
		var st *session.Stop
		if !started {
			st, err = s.Run()
			started = true
		} else {
			st, err = s.Continue()
		}
		d := time.Since(<-halted)
		if err != nil || st.Reason != session.StopHalt {
			b.Fatalf("%v %v", st, err)
		}
		total += d
		worst = max(worst, d)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/halt")
	b.ReportMetric(float64(worst.Microseconds()), "worst-µs")
}
