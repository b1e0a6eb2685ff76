package main

import (
	"context"
	"fmt"
	"io"

	"wdbg/component"
	"wdbg/internal/compbin"
	"wdbg/session"
	"wdbg/wasi"
)

// runComponent is `wdbg run` for a component: it links the component
// against the WASI 0.2 host and runs it as a wasi:cli/command.
func runComponent(image []byte, name string, lc session.LaunchConfig, interpreter bool, trace io.Writer) (int, error) {
	c, err := compbin.Decode(image)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	var dirs []wasi.Dir
	for _, d := range lc.Dirs {
		dirs = append(dirs, wasi.Dir{Host: d.Host, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	var stdin io.Reader = lc.Stdin
	host := wasi.New(wasi.Config{Args: lc.Args, Env: lc.Env, Stdin: stdin, Stdout: lc.Stdout, Stderr: lc.Stderr, Dirs: dirs})
	opts := component.RunOptions{Interpreter: interpreter}
	if trace != nil {
		opts.Trace = func(e component.CallEvent) { fmt.Fprintln(trace, e) }
	}
	code, err := component.Run(context.Background(), c, host, opts)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return code, nil
}
