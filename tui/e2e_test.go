package tui

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"wdbg/internal/e2e"
)

// tmuxSession drives the real wdbg binary in a tmux session, on a tmux
// server of its own.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
	name   string
}

func startTmux(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	id := time.Now().UnixNano()
	tm := &tmuxSession{t: t, tmux: e2e.Tool(t, "tmux"), socket: fmt.Sprintf("wdbg-e2e-%d", id), name: "wdbg"}
	bin := e2e.Binary(t)
	// The shell keeps the pane open after wdbg ends, so that a crash
	// leaves its message on the screen for the failure report.
	script := `"$@"; echo "[wdbg ended with status $?]"; sleep 600`
	cmd := append([]string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", tm.name,
		"-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "env", "TERM=xterm-256color", "sh", "-c", script, "sh", bin}, args...)
	if out, err := exec.Command(tm.tmux, cmd...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command(tm.tmux, "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmuxSession) keys(keys ...string) {
	tm.t.Helper()
	if out, err := exec.Command(tm.tmux, append([]string{"-L", tm.socket, "send-keys", "-t", tm.name}, keys...)...).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// command types a command into the : bar, runs it, and waits until it
// has finished.
func (tm *tmuxSession) command(line string) string {
	tm.t.Helper()
	tm.keys(":")
	tm.waitFor(func(s string) bool { return strings.TrimSpace(lastLine(s)) == ":" }, "the command bar")
	tm.keys("-l", line)
	tm.waitFor(func(s string) bool { return strings.TrimSpace(lastLine(s)) == ":"+line }, "the typed command")
	tm.keys("Enter")
	return tm.waitFor(func(s string) bool {
		l := lastLine(s)
		return !strings.HasPrefix(strings.TrimSpace(l), ":") && !strings.Contains(l, "RUNNING") &&
			strings.Contains(s, "(wdbg) "+line)
	}, "the command "+line+" to finish")
}

func (tm *tmuxSession) capture() string {
	out, err := exec.Command(tm.tmux, "-L", tm.socket, "capture-pane", "-p", "-t", tm.name).Output()
	if err != nil {
		tm.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// waitFor polls the screen until ok, or fails with the screen.
func (tm *tmuxSession) waitFor(ok func(string) bool, what string) string {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.capture()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waiting for %s; the screen is:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lastLine(s string) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return ls[len(ls)-1]
}

// sourceLine returns the source pane's row for line n ("│●▶28  ..."), "" if
// not on screen.
func sourceLine(screen string, n int) string {
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(strings.TrimLeft(l, "│"))
		for _, w := range f[:min(len(f), 3)] {
			if strings.TrimLeft(w, "●○▶") == fmt.Sprint(n) {
				return l
			}
		}
	}
	return ""
}

// TestTmux runs the real binary in tmux and debugs the ledger fixture
// through the command bar only.
func TestTmux(t *testing.T) {
	tm := startTmux(t, 100, 30, e2e.Fixture("c/ledger/ledger.O0.wasm"))
	tm.waitFor(func(s string) bool { return strings.Contains(s, "NOT STARTED") }, "the UI")

	tm.command("break ledger.c:28")
	tm.waitFor(func(s string) bool { return strings.Contains(s, "Breakpoint 1 at") }, "the breakpoint message")
	tm.command("run")
	s := tm.waitFor(func(s string) bool { return strings.Contains(s, "STOPPED") }, "the stop")
	if l := sourceLine(s, 28); !strings.Contains(l, "●") || !strings.Contains(l, "▶") {
		t.Fatalf("line 28 is not marked as the breakpoint and the pc: %q\n%s", l, s)
	}
	if !strings.Contains(s, "breakpoint 1 — apply at ledger.c:28") {
		t.Fatalf("status line:\n%s", s)
	}
	if !strings.Contains(s, "#0 apply") || !strings.Contains(s, "#1 settle") {
		t.Fatalf("stack pane:\n%s", s)
	}
	if !localsShow(s) {
		t.Fatalf("locals pane does not show the frame's values:\n%s", s)
	}

	tm.command("next")
	s = tm.waitFor(func(s string) bool { return strings.Contains(sourceLine(s, 29), "▶") }, "the marker on line 29")
	if strings.Contains(sourceLine(s, 28), "▶") {
		t.Fatalf("the marker stayed on line 28:\n%s", s)
	}

	tm.command("up")
	s = tm.waitFor(func(s string) bool { return strings.Contains(sourceLine(s, 43), "▶") }, "the caller's line 43")

	tm.command("delete")
	tm.command("continue")
	tm.keys("8") // the guest output tab
	s = tm.waitFor(func(s string) bool {
		return strings.Contains(s, "EXITED") && strings.Contains(s, "╭─ 8 Output │")
	}, "the exit and the output tab")
	if !strings.Contains(lastLine(s), "exited with status 0") {
		t.Fatalf("status line does not give the exit status:\n%s", s)
	}
	if !strings.Contains(s, "alice: 115 (4 txns)") {
		t.Fatalf("the output pane does not show the guest's output:\n%s", s)
	}
	tm.keys("q")
	tm.waitFor(func(s string) bool { return !strings.Contains(s, "EXITED") }, "wdbg to quit")
}

// localsShow reports whether the locals pane shows the C values of apply's
// arguments and locals at line 28.
func localsShow(s string) bool {
	for _, want := range []string{"Arguments", "acct = 0x10a90 <accounts>", "k = DEPOSIT", "amount = 100", "Locals", "delta = 100"} {
		if !strings.Contains(s, want) {
			return false
		}
	}
	return true
}
