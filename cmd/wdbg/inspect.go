package main

import (
	"fmt"
	"io"
	"path/filepath"

	"wdbg/component"
	"wdbg/session"
)

// runInspect prints the structure of a module or a component (its
// instance tree, then each core module) without running it:
// wdbg inspect FILE.
func runInspect(argv []string, stdout, stderr io.Writer) int {
	if len(argv) != 1 || argv[0] == "-h" || argv[0] == "--help" {
		fmt.Fprintf(stderr, "usage: wdbg inspect FILE\n")
		if len(argv) == 1 {
			return 0
		}
		return 2
	}
	prog, err := session.LoadFile(argv[0])
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", describe(err))
		return 1
	}
	if c := prog.Component(); c != nil {
		component.Describe(c, filepath.Base(prog.Path)).Write(stdout)
		fmt.Fprintln(stdout)
	}
	for i, m := range prog.Modules {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		m.Describe(stdout)
	}
	for _, w := range prog.Warnings {
		fmt.Fprintf(stderr, "wdbg: warning: %s\n", w)
	}
	return 0
}
