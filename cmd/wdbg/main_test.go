package main_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"wdbg/internal/e2e"
)

// wdbg runs the real binary and returns its stdout, stderr and exit code.
func wdbg(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(e2e.Binary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func fixture(rel string) string { return e2e.Fixture(rel) }

// TestBadInput: every kind of bad input is one clear line and a non-zero
// exit, never a panic.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.wasm")
	os.WriteFile(garbage, []byte("this is not wasm at all"), 0o644)
	good, _ := os.ReadFile(fixture("c/fib/fib.O0.wasm"))
	truncated := filepath.Join(dir, "truncated.wasm")
	os.WriteFile(truncated, good[:len(good)/2], 0o644)
	empty := filepath.Join(dir, "empty.wasm")
	os.WriteFile(empty, nil, 0o644)

	cases := []struct {
		name string
		args []string
		want string // the whole stderr
		code int
	}{
		{"missing file", []string{"--batch", filepath.Join(dir, "nope.wasm")},
			"wdbg: open " + filepath.Join(dir, "nope.wasm") + ": no such file or directory\n", 1},
		{"garbage", []string{"--batch", garbage},
			"wdbg: " + garbage + ": bad magic number at offset 0 (not a WebAssembly file)\n", 1},
		{"empty", []string{"--batch", empty},
			"wdbg: " + empty + ": bad magic number at offset 0 (not a WebAssembly file)\n", 1},
		{"run garbage", []string{"run", garbage},
			"wdbg: " + garbage + ": bad magic number at offset 0 (not a WebAssembly file)\n", 1},
		{"unknown command", []string{"--batch", "-ex", "frobnicate", fixture("c/fib/fib.O0.wasm")},
			"undefined command: \"frobnicate\".  Try \"help\"\n", 1},
		{"bad location", []string{"--batch", "-ex", "break nosuchfunc", fixture("c/fib/fib.O0.wasm")},
			"function \"nosuchfunc\" not defined\n", 1},
		{"bad address", []string{"--batch", "-ex", "break *0x5", fixture("c/fib/fib.O0.wasm")},
			"no code at address 0x5\n", 1},
		{"no module", []string{"--batch"}, "", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := wdbg(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, stderr)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Fatalf("panic: %s", stderr)
			}
			if c.want != "" && stderr != c.want {
				t.Errorf("stderr = %q, want %q", stderr, c.want)
			}
		})
	}
	t.Run("truncated", func(t *testing.T) {
		_, stderr, code := wdbg(t, "", "--batch", truncated)
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "offset") {
			t.Errorf("exit %d, stderr %q: want one line naming an offset", code, stderr)
		}
	})
}

// TestRunExitCodes: `wdbg run` exits with the guest's code.
func TestRunExitCodes(t *testing.T) {
	out, _, code := wdbg(t, "", "run", fixture("c/ledger/ledger.O0.wasm"))
	if code != 0 || out != "alice: 115 (4 txns)\nbob: 15 (3 txns)\nfees: 2\n" {
		t.Errorf("ledger: code %d output %q", code, out)
	}
	if _, _, code := wdbg(t, "", "run", fixture("c/trap/trap.O0.wasm"), "--", "exit"); code != 7 {
		t.Errorf("exit(7): code %d", code)
	}
	_, stderr, code := wdbg(t, "", "run", fixture("c/trap/trap.O0.wasm"), "--", "div")
	if code != 134 || stderr != "wdbg: wasm trap: integer divide by zero\n" {
		t.Errorf("div: code %d stderr %q", code, stderr)
	}
}

// TestGrants: the guest sees its arguments, the granted environment,
// stdin and preopened directory, and nothing else.
func TestGrants(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("granted file\n"), 0o644)
	for _, mode := range []string{"run", "debug"} {
		t.Run(mode, func(t *testing.T) {
			args := []string{"--env", "WDBG_TEST=yes", "--dir", dir + ":/data", fixture("c/wasi/wasi.O0.wasm"), "--", "one", "two words"}
			if mode == "run" {
				args = append([]string{"run"}, args...)
			} else {
				args = append([]string{"--batch", "-ex", "run"}, args...)
			}
			out, stderr, code := wdbg(t, "typed line\n", args...)
			want := "argv[0]=wasi.O0.wasm\nargv[1]=one\nargv[2]=two words\nWDBG_TEST=yes\nHOME=(unset)\n" +
				"stdin: typed line\nfile: granted file\nopen /etc/passwd: denied\n"
			if mode == "debug" {
				// Batch mode prints what gdb --batch prints: no "Starting program:".
				want += "[Inferior 1 (process 1) exited normally]\n"
			}
			if code != 0 || out != want || stderr != "done\n" {
				t.Errorf("code %d\nstdout %q\nwant   %q\nstderr %q", code, out, want, stderr)
			}
		})
	}
	// Nothing granted: no file, no environment.
	out, _, _ := wdbg(t, "", "run", fixture("c/wasi/wasi.O0.wasm"))
	if !strings.Contains(out, "WDBG_TEST=(unset)\n") || !strings.Contains(out, "open /data/hello.txt: failed\n") {
		t.Errorf("ungranted run saw something: %q", out)
	}
}

// TestInterruptLineMode: Ctrl-C (SIGINT) in line mode halts a guest spinning
// in a loop with no calls, and the prompt comes back.
func TestInterruptLineMode(t *testing.T) {
	cmd := exec.Command(e2e.Binary(t), "--cli", fixture("c/loop/loop.O2.wasm"))
	stdin, _ := cmd.StdinPipe()
	stdoutR, stdoutW := io.Pipe()
	cmd.Stdout = stdoutW
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitFor := func(want string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("output ended before %q; stderr %q", want, stderr.String())
				}
				if strings.Contains(l, want) {
					return
				}
			case <-deadline:
				// Ask the Go runtime for a goroutine dump: it says where
				// wdbg is stuck.
				cmd.Process.Signal(syscall.SIGQUIT)
				time.Sleep(time.Second)
				t.Fatalf("no %q in time; stderr:\n%s", want, stderr.String())
			}
		}
	}
	io.WriteString(stdin, "run\n")
	waitFor("spinning")
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	waitFor("Program received signal SIGINT, Interrupt.")
	io.WriteString(stdin, "bt\n")
	waitFor("#0  0x0000018c in main ()")
	io.WriteString(stdin, "quit\n")
	stdin.Close()
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("wdbg exited with %v; stderr %q", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("wdbg did not quit")
	}
}
