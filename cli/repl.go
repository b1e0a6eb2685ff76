package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/go-delve/liner"
)

// RunREPL runs line mode: a prompt with history and completion. Ctrl-C at
// the prompt discards the line; while the program runs, it halts it.
func RunREPL(in *Interp, stderr io.Writer) error {
	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	line.SetTabCompletionStyle(liner.TabPrints)
	line.SetCompleter(in.Complete)
	hist := historyPath()
	if f, err := os.Open(hist); err == nil {
		_, _ = line.ReadHistory(f)
		f.Close()
	}
	defer func() {
		if f, err := os.Create(hist); err == nil {
			_, _ = line.WriteHistory(f)
			f.Close()
		}
	}()
	in.SetInteractive(func(q string) bool {
		// liner prompts must be one line: print the rest first.
		if i := strings.LastIndexByte(q, '\n'); i >= 0 {
			fmt.Fprint(in.ctx.Out, q[:i+1])
			q = q[i+1:]
		}
		for {
			ans, err := line.Prompt(q)
			if err != nil {
				return false
			}
			switch strings.ToLower(strings.TrimSpace(ans)) {
			case "y", "yes":
				return true
			case "n", "no":
				return false
			}
			fmt.Fprintln(in.ctx.Out, "Please answer y or n.")
		}
	})

	// While a command runs, the terminal is in cooked mode and Ctrl-C is
	// a SIGINT: turn it into a halt.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		for range sig {
			in.Interrupt()
		}
	}()

	for !in.Quit() {
		l, err := line.Prompt("(wdbg) ")
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(in.ctx.Out, "quit")
			_ = in.ctx.Sess.Kill()
			return nil
		case err != nil:
			return err
		}
		if strings.TrimSpace(l) != "" {
			line.AppendHistory(l)
		}
		if err := in.Exec(l); err != nil {
			fmt.Fprintln(stderr, err)
		}
	}
	return nil
}

func historyPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		if os.MkdirAll(filepath.Join(dir, "wdbg"), 0o700) == nil {
			return filepath.Join(dir, "wdbg", "history")
		}
	}
	return filepath.Join(os.TempDir(), "wdbg_history")
}

// BatchItem is one -ex command or -x file, in command-line order.
type BatchItem struct {
	Command string // an -ex command, or
	File    string // an -x file of commands
}

// RunBatch runs the items in order, printing errors to stderr as gdb does,
// then kills the program. It reports whether every command succeeded. A
// failing command in a -x file ends that file, as in gdb.
func RunBatch(in *Interp, items []BatchItem, stderr io.Writer) bool {
	ok := true
	for _, it := range items {
		if in.Quit() {
			break
		}
		if it.File == "" {
			if err := in.Exec(it.Command); err != nil {
				fmt.Fprintln(stderr, err)
				ok = false
			}
			continue
		}
		b, err := os.ReadFile(it.File)
		if err != nil {
			fmt.Fprintln(stderr, err)
			ok = false
			continue
		}
		for n, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) == "" {
				continue // an empty line does not repeat in a script
			}
			if err := in.Exec(l); err != nil {
				fmt.Fprintf(stderr, "%s:%d: Error in sourced command file:\n%v\n", it.File, n+1, err)
				ok = false
				break
			}
		}
	}
	_ = in.ctx.Sess.Kill()
	return ok
}
