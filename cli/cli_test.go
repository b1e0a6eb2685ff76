package cli_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdbg/cli"
	"wdbg/engine"
	"wdbg/internal/e2e"
	"wdbg/launch"
	"wdbg/session"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestScripts runs each testdata/script/*.txt against its fixture and
// compares the whole transcript with the .golden file next to it.
//
// A script's first lines set it up:
//
//	# fixture: c/ledger/ledger.O0.wasm
//	# args: carol
//	# stdin: some text
//	# all-locals              (capture every wasm local: engine.Config.AllLocals)
//
// and every other non-empty line is a command. The transcript echoes each
// command after a "(wdbg) " prompt, then its output and error.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			for _, eng := range []string{"compiler", "interpreter"} {
				got := runScript(t, f, eng == "interpreter")
				golden := strings.TrimSuffix(f, ".txt") + ".golden"
				if *update && eng == "compiler" {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s transcript differs from %s (run with -update to accept):\n%s", eng, golden, diff(string(want), got))
				}
			}
		})
	}
}

func runScript(t *testing.T, path string, interp bool) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fixture, stdin string
	var args []string
	var eng engine.Config
	var cmds []string
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "# fixture: "):
			fixture = strings.TrimPrefix(l, "# fixture: ")
		case strings.HasPrefix(l, "# args: "):
			args = strings.Fields(strings.TrimPrefix(l, "# args: "))
		case strings.HasPrefix(l, "# stdin: "):
			stdin = strings.TrimPrefix(l, "# stdin: ") + "\n"
		case l == "# all-locals":
			eng.AllLocals = true
		case strings.HasPrefix(l, "#"), strings.TrimSpace(l) == "":
		default:
			cmds = append(cmds, l)
		}
	}
	var out bytes.Buffer
	s, _, err := launch.Open(e2e.Fixture(fixture), launch.Options{
		Session: session.Config{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out},
		Engine:  engine.Config{Interpreter: interp, AllLocals: eng.AllLocals},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	in := cli.New(s, &out)
	for _, c := range cmds {
		fmt.Fprintf(&out, "(wdbg) %s\n", c)
		if err := in.Exec(c); err != nil {
			fmt.Fprintf(&out, "error: %v\n", err)
		}
	}
	return strings.ReplaceAll(out.String(), e2e.RepoRoot(), "$ROOT")
}

// diff shows the first differing lines of two texts.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, wl, gl)
		}
	}
	return "(no difference found)"
}

// TestGeneratedDoc fails when docs/commands.md is stale.
func TestGeneratedDoc(t *testing.T) {
	var b bytes.Buffer
	cli.WriteMarkdown(&b)
	path := filepath.Join(e2e.RepoRoot(), "docs", "commands.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(have, b.Bytes()) {
		t.Fatalf("docs/commands.md needs to be regenerated: run `go generate ./cli` (or go test ./cli -update)")
	}
}

// TestUnknownCommand: an unknown or ambiguous command is one clear error.
func TestUnknownCommand(t *testing.T) {
	s, _, err := launch.Open(e2e.Fixture("c/fib/fib.O0.wasm"), launch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := cli.New(s, &bytes.Buffer{})
	for line, want := range map[string]string{
		"frobnicate":      `undefined command: "frobnicate".  Try "help"`,
		"/tmp/wdbg x":     `undefined command: a command starts with its name.  Try "help"`,
		"info frobnicate": `undefined info command: "frobnicate".  Try "help info"`,
		"info":            `"info" must be followed by the name of a subcommand.  Try "help info"`,
		"dis":             `ambiguous command "dis": disable, disassemble, display`,
		"x/4q 0":          `Invalid number "4q".`,
		"break nosuch":    `function "nosuch" not defined`,
		"continue":        `The program is not being run.`,
		"bt":              `The program is not being run.`,
	} {
		err := in.Exec(line)
		if err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", line, err, want)
		}
	}
}
