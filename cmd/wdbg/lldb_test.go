package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"wdbg/internal/e2e"
	"wdbg/internal/largeprog"
)

// The gdb remote stub, tried with the real lldb-22 client. These tests
// install nothing: scripts/test.sh does, and with WDBG_E2E=required a
// missing lldb-22 fails them.

// stub is a running `wdbg --gdb`.
type stub struct {
	cmd    *exec.Cmd
	addr   string
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listening = regexp.MustCompile(`waiting for a debugger on (\S+) `)

// startStub runs wdbg --gdb on a free loopback port with extra arguments
// and waits until it listens.
func startStub(t testing.TB, args ...string) *stub {
	t.Helper()
	bin := e2e.Binary(t)
	s := &stub{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"--gdb", "127.0.0.1:0"}, args...)...)
	s.cmd.Stdout = s.stdout
	pr, pw := io.Pipe()
	s.cmd.Stderr = pw
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			fmt.Fprintln(s.stderr, sc.Text())
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	go func() { s.done <- s.cmd.Wait(); pw.Close() }()
	select {
	case s.addr = <-addr:
	case err := <-s.done:
		t.Fatalf("wdbg --gdb exited before listening: %v\n%s", err, s.stderr)
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Fatalf("wdbg --gdb did not listen within 30s\n%s", s.stderr)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// wait returns the stub's exit code once it ends.
func (s *stub) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("wdbg --gdb: %v", err)
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatalf("wdbg --gdb did not end\nstderr:\n%s", s.stderr)
	}
	return -1
}

// lldb runs lldb-22 in batch mode with the commands.
func lldb(t *testing.T, cmds ...string) string {
	t.Helper()
	bin := e2e.Tool(t, "lldb-22")
	var args []string
	for _, c := range cmds {
		args = append(args, "-o", c)
	}
	cmd := exec.Command(bin, append([]string{"-b", "--no-lldbinit"}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=dumb")
	out, _ := runWithTimeout(cmd, 120*time.Second)
	return out
}

func runWithTimeout(cmd *exec.Cmd, d time.Duration) (string, error) {
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return out.String() + "\n(timed out)", fmt.Errorf("timed out after %v", d)
	}
}

// fileCheck checks output against FileCheck patterns.
func fileCheck(t *testing.T, checkFile, output string) {
	t.Helper()
	fc := e2e.Tool(t, "FileCheck")
	cmd := exec.Command(fc, "--dump-input=never", checkFile)
	cmd.Stdin = strings.NewReader(output)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("FileCheck %s: %v\n%s\nLLDB's output:\n%s", filepath.Base(checkFile), err, out, output)
	}
}

// TestLLDB debugs the point fixture from lldb-22 through the stub, at -O0
// and at -O1: breakpoints by line and by function, step, next, finish, bt
// over three frames, variables in two frames, a global, the pc, memory,
// breakpoint deletion, and the exit status.
func TestLLDB(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "lldb", "session.lldb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opt    string
		args   []string
		status int
		output string
	}{
		{"O0", nil, 0, "sum=12 counter=19\n"},
		{"O1", []string{"--", "x"}, 1, "sum=15 counter=22\n"},
	} {
		t.Run(tc.opt, func(t *testing.T) {
			e2e.Tool(t, "lldb-22")
			wasm := e2e.Fixture("c/point/point." + tc.opt + ".wasm")
			s := startStub(t, append([]string{wasm}, tc.args...)...)
			cmds := []string{"process connect --plugin wasm connect://" + s.addr}
			for _, l := range strings.Split(strings.TrimSpace(string(script)), "\n") {
				cmds = append(cmds, l)
			}
			out := lldb(t, cmds...)
			fileCheck(t, filepath.Join("testdata", "lldb", tc.opt+".check"), out)
			if code := s.wait(t); code != tc.status {
				t.Errorf("wdbg exited with %d, want the guest's status %d\nstderr:\n%s", code, tc.status, s.stderr)
			}
			if got := s.stdout.String(); got != tc.output {
				t.Errorf("guest output %q, want %q", got, tc.output)
			}
		})
	}
}

// TestLLDBInterrupt halts a guest spinning in a loop with no calls from
// LLDB's Python API (process.Stop(), what Ctrl-C does), checks the stop
// reason is SIGINT and the pc is in main, then kills it.
func TestLLDBInterrupt(t *testing.T) {
	e2e.Tool(t, "lldb-22")
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = e2e.Tool(t, "python3")
	}
	if err := exec.Command(py, "-c", "import lldb").Run(); err != nil {
		if e2e.Required() {
			t.Fatalf("%s cannot import lldb (python3-lldb-22 is required; scripts/test.sh installs it)", py)
		}
		t.Skip("python3 lldb module missing")
	}
	s := startStub(t, e2e.Fixture("c/loop/loop.O0.wasm"))
	cmd := exec.Command(py, filepath.Join("testdata", "lldb", "interrupt.py"), s.addr)
	out, err := runWithTimeout(cmd, 120*time.Second)
	want := "stop: signal SIGINT\nfunction: main\nkilled: exited\n"
	if err != nil || out != want {
		t.Errorf("interrupt.py: %v\ngot:\n%s\nwant:\n%s\nstub stderr:\n%s", err, out, want, s.stderr)
	}
	if code := s.wait(t); code != 137 {
		t.Errorf("wdbg exited with %d after a kill, want 137", code)
	}
}

// TestLLDBLaunch uses LLDB's launch flow: wdbg as the wasm platform's
// runtime, started by `process launch` with the port in --gdb-port=;
// and stepi, which is exact under --gdb.
func TestLLDBLaunch(t *testing.T) {
	e2e.Tool(t, "lldb-22")
	bin := e2e.Binary(t)
	wasm := e2e.Fixture("c/point/point.O0.wasm")
	out := lldb(t,
		"settings set platform.plugin.wasm.runtime-path "+bin,
		"settings set -- platform.plugin.wasm.port-arg --gdb-port=",
		"target create "+wasm,
		"breakpoint set -n add",
		"process launch",
		"frame variable k",
		"thread step-inst",
		"thread step-inst",
		"breakpoint delete 1",
		"continue")
	fileCheck(t, filepath.Join("testdata", "lldb", "launch.check"), out)
}

// TestGDBStubConnections talks to a real stub over TCP: garbage gets
// replies and the connection survives, a client that drops leaves the
// program stopped for the next one, and k ends it.
func TestGDBStubConnections(t *testing.T) {
	s := startStub(t, e2e.Fixture("c/point/point.O0.wasm"))
	first := converse(t, s.addr, "garbage\x00\xff", "?", "$zz#00", "qWasmLocal:zz", "m0,4")
	if !strings.HasPrefix(first[0], "T05thread:1;") || first[2] != "E01" || first[3] != "00000000" {
		t.Errorf("first connection: %q", first)
	}
	second := converse(t, s.addr, "?", "k")
	if second[0] != first[0] || second[1] != "X09" {
		t.Errorf("second connection: %q (first stop %q)", second, first[0])
	}
	if code := s.wait(t); code != 137 {
		t.Errorf("wdbg exited with %d after k, want 137", code)
	}
}

// converse sends each item (a packet payload, or raw bytes if it does not
// look like one) on a new connection and returns the replies to packets.
func converse(t *testing.T, addr string, items ...string) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rd := bufio.NewReader(c)
	var replies []string
	for _, it := range items {
		raw := it
		isPacket := !strings.ContainsAny(it, "\x00$")
		if isPacket {
			var sum byte
			for i := 0; i < len(it); i++ {
				sum += it[i]
			}
			raw = fmt.Sprintf("$%s#%02x", it, sum)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(c, raw); err != nil {
			t.Fatal(err)
		}
		if !isPacket && !strings.HasPrefix(it, "$") {
			continue
		}
		if strings.HasPrefix(it, "$") {
			// A bad checksum in ack mode: the stub asks for a resend.
			if b, err := rd.ReadByte(); err != nil || b != '-' {
				t.Fatalf("after %q: got %q, %v; want '-'", it, b, err)
			}
			replies = append(replies, "-")
			continue
		}
		for {
			b, err := rd.ReadByte()
			if err != nil {
				t.Fatalf("reply to %q: %v", it, err)
			}
			if b == '$' {
				break
			}
		}
		line, err := rd.ReadString('#')
		if err != nil {
			t.Fatal(err)
		}
		rd.Discard(2)
		replies = append(replies, strings.TrimSuffix(line, "#"))
	}
	return replies
}

// TestGDBStubLoopback: the stub refuses a non-loopback address unless
// told otherwise.
func TestGDBStubLoopback(t *testing.T) {
	bin := e2e.Binary(t)
	out, err := exec.Command(bin, "--gdb", "0.0.0.0:0", e2e.Fixture("c/point/point.O0.wasm")).CombinedOutput()
	want := "wdbg: --gdb 0.0.0.0:0 is not a loopback address: anyone who can connect controls the guest; add --gdb-allow-remote to allow it\n"
	if err == nil || string(out) != want {
		t.Errorf("got %v, %q; want exit 2 and %q", err, out, want)
	}
}

// BenchmarkLLDBNext measures LLDB's `next` over the stub: the median (and
// worst) of 50 steps over loop.c's loop, each timed from LLDB's Python API
// call to the stop. Run it with -benchtime=1x; the target is a median
// under 20 ms.
func BenchmarkLLDBNext(b *testing.B) {
	py := "/usr/bin/python3"
	for range b.N {
		s := startStub(b, e2e.Fixture("c/loop/loop.O0.wasm"))
		out, err := runWithTimeout(exec.Command(py, filepath.Join("testdata", "lldb", "nextbench.py"), s.addr), 120*time.Second)
		if err != nil {
			b.Fatalf("nextbench.py: %v\n%s", err, out)
		}
		var ds []float64
		for _, l := range strings.Fields(out) {
			var d float64
			if _, err := fmt.Sscan(l, &d); err != nil {
				b.Fatalf("nextbench.py printed %q", out)
			}
			ds = append(ds, d*1000)
		}
		if len(ds) != 50 {
			b.Fatalf("nextbench.py printed %d timings", len(ds))
		}
		sort.Float64s(ds)
		b.ReportMetric((ds[24]+ds[25])/2, "median-ms/next")
		b.ReportMetric(ds[49], "worst-ms/next")
	}
}

// TestLLDBWrite changes a variable from LLDB (`expr s = 99`, an M packet)
// and checks that the guest computes with the new value.
func TestLLDBWrite(t *testing.T) {
	e2e.Tool(t, "lldb-22")
	s := startStub(t, e2e.Fixture("c/point/point.O0.wasm"))
	out := lldb(t, "process connect --plugin wasm connect://"+s.addr,
		"breakpoint set -f point.c -l 20", "continue", "expr s = 99", "expr s + 1",
		"breakpoint delete 1", "continue")
	if !strings.Contains(out, "(int) $0 = 99\n") || !strings.Contains(out, "(int) $1 = 100\n") {
		t.Errorf("LLDB's output:\n%s", out)
	}
	if code := s.wait(t); code != 1 {
		t.Errorf("wdbg exited with %d, want 1 (s is no longer 12)", code)
	}
	if got, want := s.stdout.String(), "sum=99 counter=106\n"; got != want {
		t.Errorf("guest output %q, want %q", got, want)
	}
}

// TestGDBStubDetach: after D the guest runs on to its end, with its exit
// status and output; --log-output=gdbwire logs the packets.
func TestGDBStubDetach(t *testing.T) {
	s := startStub(t, "--log-output=gdbwire", e2e.Fixture("c/point/point.O0.wasm"))
	if r := converse(t, s.addr, "D"); r[0] != "OK" {
		t.Fatalf("D: %q", r)
	}
	if code := s.wait(t); code != 0 {
		t.Errorf("wdbg exited with %d, want 0", code)
	}
	if got, want := s.stdout.String(), "sum=12 counter=19\n"; got != want {
		t.Errorf("guest output %q, want %q", got, want)
	}
	if log := s.stderr.String(); !strings.Contains(log, "gdbwire: <- D\ngdbwire: -> OK\n") {
		t.Errorf("packet log lacks the D exchange:\n%s", log)
	}
}

// TestLLDBComponent: LLDB debugs inside a component. Each core module is
// a library of its own, read from the stub; a file:line breakpoint
// resolves in the module that holds the file.
func TestLLDBComponent(t *testing.T) {
	e2e.Tool(t, "lldb-22")
	s := startStub(t, e2e.Fixture("component/cmd/cmd.wasm"), "--", "5", "abc")
	out := lldb(t, "process connect --plugin wasm connect://"+s.addr,
		"image list", "breakpoint set -f cmd.c -l 21", "continue", "bt 2", "frame variable",
		"breakpoint delete 1", "continue")
	fileCheck(t, filepath.Join("testdata", "lldb", "component.check"), out)
	if code := s.wait(t); code != 0 {
		t.Errorf("wdbg exited with %d, want 0", code)
	}
	if got, want := s.stdout.String(), "arg 1: 5\narg 2: abc\nnumbers: 1, sum: 5, longest: abc\n"; got != want {
		t.Errorf("guest output %q, want %q", got, want)
	}
}

// BenchmarkFirstStopCLI measures what a user waits for on the large module
// (2,408 functions, over 5 MB of DWARF): a fresh `wdbg --batch` process,
// from its start to the first breakpoint stop (its exit included). Unlike
// launch.BenchmarkFirstStop, no iteration profits from a warm process.
// The target is 1 s.
func BenchmarkFirstStopCLI(b *testing.B) {
	e2e.Tool(b, "clang-22")
	path, err := largeprog.Build()
	if err != nil {
		b.Fatal(err)
	}
	bin := e2e.Binary(b)
	spec := fmt.Sprintf("%s:%d", largeprog.BreakFile, largeprog.BreakLine())
	var total time.Duration
	for range b.N {
		t0 := time.Now()
		out, err := exec.Command(bin, "--batch", "-ex", "break "+spec, "-ex", "run", "-ex", "kill", path).CombinedOutput()
		total += time.Since(t0)
		if err != nil || !strings.Contains(string(out), "\nBreakpoint 1, ") {
			b.Fatalf("%v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "first-stop-ms")
}
