package cli_test

import (
	"bytes"
	"testing"

	"wdbg/cli"
	"wdbg/internal/e2e"
	"wdbg/launch"
)

// FuzzExec feeds arbitrary command lines to the interpreter, on a program
// stopped at a breakpoint: no line may panic, whatever it asks for.
func FuzzExec(f *testing.F) {
	for _, seed := range []string{
		"break fib", "bt", "x/4xw $sp", "x/s 0", "info locals", "frame 1", "up 3", "down",
		"finish", "stepi 3", "nexti", "disassemble", "info breakpoints", "delete 1-3",
		"x/i $pc", "help info", "ignore 1 2", "echo hi\\n", "x/2g $local0+4", "info frame",
	} {
		f.Add(seed)
	}
	s, _, err := launch.Open(e2e.Fixture("c/fib/fib.O0.wasm"), launch.Options{})
	if err != nil {
		f.Fatal(err)
	}
	in := cli.New(s, &bytes.Buffer{})
	if err := in.Exec("break fib"); err != nil {
		f.Fatal(err)
	}
	if err := in.Exec("run"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var out bytes.Buffer
		in.SetOutput(&out)
		_ = in.Exec(line)
		if in.Quit() || s.Stop() == nil || !s.Stop().Valid() {
			// Keep the program stopped for the next input.
			in = cli.New(s, &bytes.Buffer{})
			_ = in.Exec("break fib")
			_ = in.Exec("run")
		}
	})
}
