// Command wdbg is a debugger and inspector for WebAssembly.
//
//	wdbg [flags] MODULE [-- ARGS...]        debug MODULE in the full-screen UI (--cli: line mode)
//	wdbg --batch -ex CMD -x FILE MODULE     run commands, print what gdb would, exit
//	wdbg --gdb 127.0.0.1:PORT MODULE        serve LLDB (process connect --plugin wasm)
//	wdbg run [flags] MODULE [-- ARGS...]    run MODULE without the debugger
//	wdbg inspect FILE                       print a module's structure without running it
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"wdbg/cli"
	"wdbg/engine"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
	"wdbg/launch"
	"wdbg/session"
	"wdbg/tui"
)

// isTerminal reports whether r (stdin or stdout) is a terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func main() {
	// Go's default GOGC: a larger one was measured slower to the first stop
	// (docs/RATIONALE.md, "Why loading a large module is parallel").
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  wdbg [flags] MODULE [-- ARGS...]       debug MODULE
  wdbg --batch [-ex CMD | -x FILE]... MODULE [-- ARGS...]
  wdbg --gdb 127.0.0.1:PORT MODULE [-- ARGS...]   serve LLDB (process connect --plugin wasm)
  wdbg run [flags] MODULE [-- ARGS...]   run MODULE without the debugger
  wdbg inspect FILE                      print a module's structure

flags:
`

// options are the parsed command line.
type options struct {
	cli, batch       bool
	items            []cli.BatchItem
	dirs             []session.DirGrant
	env              []string
	stdin            string
	interpreter      bool
	everyInstruction bool
	trackCalls       bool
	allLocals        bool
	gdb, gdbPort     string
	gdbAllowRemote   bool
	traceCalls       bool
	logOutput        string
	module           string
	args             []string
}

type dirFlag struct{ o *options }

func (d dirFlag) String() string { return "" }
func (d dirFlag) Set(v string) error {
	host, guest, ok := strings.Cut(v, ":")
	if !ok {
		guest = host
	}
	ro := false
	if g, found := strings.CutSuffix(guest, ":ro"); found {
		guest, ro = g, true
	}
	if host == "" {
		return errors.New("empty host directory")
	}
	abs, err := filepath.Abs(host)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", host)
	}
	if !strings.HasPrefix(guest, "/") {
		guest = "/" + guest
	}
	d.o.dirs = append(d.o.dirs, session.DirGrant{Host: abs, Guest: guest, ReadOnly: ro})
	return nil
}

type listFlag struct {
	add func(string) error
}

func (l listFlag) String() string     { return "" }
func (l listFlag) Set(v string) error { return l.add(v) }

// parse parses flags, which may come before or after MODULE; everything
// after "--" goes to the program.
func parse(name string, argv []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.BoolVar(&o.cli, "cli", false, "use line mode, not the full-screen UI")
	fs.BoolVar(&o.batch, "batch", false, "run the -ex and -x commands, then exit (non-zero if one failed)")
	fs.Var(listFlag{func(v string) error { o.items = append(o.items, cli.BatchItem{Command: v}); return nil }}, "ex", "execute a debugger command (repeatable, in order with -x)")
	fs.Var(listFlag{func(v string) error { o.items = append(o.items, cli.BatchItem{File: v}); return nil }}, "x", "execute debugger commands from a file")
	fs.Var(dirFlag{o}, "dir", "grant the guest a host directory: HOST[:GUEST][:ro] (repeatable)")
	fs.Var(listFlag{func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("--env needs NAME=VALUE, got %q", v)
		}
		o.env = append(o.env, v)
		return nil
	}}, "env", "give the guest an environment variable NAME=VALUE (repeatable)")
	fs.StringVar(&o.stdin, "stdin", "", "give the guest this file as its standard input")
	fs.BoolVar(&o.interpreter, "interpreter", false, "run on wazero's interpreter instead of its compiler")
	fs.BoolVar(&o.everyInstruction, "every-instruction", false, "make every instruction a stop site (exact stepi, slower; the default with --gdb)")
	fs.BoolVar(&o.trackCalls, "track-calls", false, "record every caller's locals (slower; all frames readable after a halt)")
	fs.BoolVar(&o.allLocals, "all-locals", false, "capture every wasm local, not only those DWARF refers to (slower)")

	fs.StringVar(&o.gdb, "gdb", "", "serve the GDB remote protocol (LLDB's wasm dialect) on HOST:PORT, halted until a client connects")
	fs.StringVar(&o.gdbPort, "gdb-port", "", "the same as --gdb 127.0.0.1:PORT (for LLDB's platform.plugin.wasm.port-arg)")
	fs.BoolVar(&o.gdbAllowRemote, "gdb-allow-remote", false, "let --gdb listen on a non-loopback address")
	fs.BoolVar(&o.traceCalls, "trace-calls", false, "wdbg run: print every call across a component boundary, with its values in WIT syntax, to stderr")
	fs.StringVar(&o.logOutput, "log-output", "", "log internals to stderr: gdbwire (the gdb remote packets)")

	rest := argv
	for {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			o.args = append(o.args, rest[1:]...)
			break
		}
		if o.module == "" {
			o.module = rest[0]
			rest = rest[1:]
			continue
		}
		// A second positional argument: the program's arguments start.
		o.args = append(o.args, rest...)
		break
	}
	// A gdb client's single step is one instruction (LLDB's stepi, and its
	// line stepping, rely on it), so --gdb makes every instruction a stop
	// site unless told otherwise.
	if o.gdb != "" || o.gdbPort != "" {
		explicit := false
		fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "every-instruction" })
		if !explicit {
			o.everyInstruction = true
		}
	}
	if o.module == "" {
		fs.Usage()
		return nil, errors.New("no module given")
	}
	switch o.logOutput {
	case "", "gdbwire":
	default:
		return nil, fmt.Errorf("--log-output %q: the only log is gdbwire", o.logOutput)
	}
	return o, nil
}

func run(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(argv) > 0 && argv[0] == "inspect" {
		return runInspect(argv[1:], stdout, stderr)
	}
	if len(argv) > 0 && argv[0] == "run" {
		return runPlain(argv[1:], stdin, stdout, stderr)
	}
	o, err := parse("wdbg", argv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 2
	}
	cfg, closeIn, err := sessionConfig(o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	defer closeIn()
	gdb := o.gdb != "" || o.gdbPort != ""
	useTUI := !gdb && !o.batch && !o.cli && isTerminal(stdin) && isTerminal(stdout)
	if useTUI {
		// The TUI shows guest output in its own pane and owns the terminal:
		// the guest reads stdin only from --stdin.
		cfg.Stdout, cfg.Stderr = nil, nil
		if o.stdin == "" {
			cfg.Stdin = nil
		}
	} else {
		cfg.Stdout, cfg.Stderr = stdout, stderr
	}
	s, warnings, err := launch.Open(o.module, launch.Options{Session: cfg, Engine: engine.Config{
		Interpreter: o.interpreter, EveryInstruction: o.everyInstruction, TrackAllCalls: o.trackCalls,
		AllLocals: o.allLocals,
	}})
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", describe(err))
		return 1
	}
	if !useTUI {
		for _, w := range warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	if gdb {
		return serveGDB(o, s, stdout, stderr)
	}
	in := cli.New(s, stdout)
	if useTUI {
		for _, it := range o.items {
			cli.RunBatch(in, []cli.BatchItem{it}, stderr)
		}
		if err := tui.Run(s, in, stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "wdbg: %v\n", err)
			return 1
		}
		return 0
	}
	if o.batch {
		if !cli.RunBatch(in, o.items, stderr) {
			return 1
		}
		return 0
	}
	// Commands given with -ex run first, then the prompt.
	for _, it := range o.items {
		cli.RunBatch(in, []cli.BatchItem{it}, stderr)
	}
	if err := cli.RunREPL(in, stderr); err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	return 0
}

// describe adds a plain-words explanation to errors people meet first.
func describe(err error) error {
	if errors.Is(err, wasmbin.ErrNotWasm) {
		return fmt.Errorf("%w (not a WebAssembly file)", err)
	}
	return err
}

// sessionConfig builds what the guest is granted. Its standard input is
// --stdin FILE, else wdbg's own standard input unless line mode reads
// commands from it.
func sessionConfig(o *options, stdin io.Reader) (session.Config, func(), error) {
	cfg := session.Config{Args: o.args, Env: o.env, Dirs: o.dirs}
	closeIn := func() {}
	if o.batch || isTerminal(stdin) {
		cfg.Stdin = stdin
	}
	if o.stdin != "" {
		f, err := os.Open(o.stdin)
		if err != nil {
			return cfg, closeIn, err
		}
		cfg.Stdin = f
		closeIn = func() { f.Close() }
	}
	return cfg, closeIn, nil
}

// runPlain is `wdbg run`: the original module, no debugger, the guest's
// exit code as ours.
func runPlain(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parse("wdbg run", argv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 2
	}
	image, err := os.ReadFile(o.module)
	isComponent := err == nil && compbin.IsComponent(image)
	if err == nil && !isComponent {
		// Decode first for the same clear errors as the debugger gives; the
		// module still runs from its original bytes.
		_, err = session.LoadBytes(o.module, image)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", describe(err))
		return 1
	}
	cfg, closeIn, err := sessionConfig(o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	defer closeIn()
	lc := session.LaunchConfig{
		Args: append([]string{filepath.Base(o.module)}, o.args...), Env: cfg.Env, Dirs: cfg.Dirs,
		Stdin: cfg.Stdin, Stdout: stdout, Stderr: stderr,
	}
	if o.stdin == "" {
		lc.Stdin = stdin
	}
	run := engine.RunPlain
	if isComponent {
		run = engine.RunComponent
		if o.traceCalls {
			lc.Trace = func(line string) { fmt.Fprintln(stderr, line) }
		}
	}
	code, err := run(context.Background(), image, filepath.Base(o.module), lc, o.interpreter)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		var trap *engine.TrapError
		if errors.As(err, &trap) {
			return 134 // what a shell reports for SIGABRT: a crash, not an exit code
		}
		return 1
	}
	return code
}
