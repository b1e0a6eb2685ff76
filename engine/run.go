package engine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"wdbg/component"
	"wdbg/session"
)

// TrapError is returned by RunPlain when the guest traps.
type TrapError struct{ Message string }

func (e *TrapError) Error() string { return "wasm trap: " + e.Message }

// RunPlain runs a core module without the debugger: the original bytes, no
// instrumentation, WASI preview 1 from wazero. It returns the guest's exit
// code, or a *TrapError.
func RunPlain(ctx context.Context, image []byte, name string, lc session.LaunchConfig, interpreter bool) (int, error) {
	p, err := CompilePlain(ctx, image, name, interpreter)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	return p.Run(lc)
}

// Plain is a module compiled for running without the debugger.
type Plain struct {
	ctx  context.Context
	rt   wazero.Runtime
	cm   wazero.CompiledModule
	name string
}

// CompilePlain compiles the original module once, for one or more plain
// runs (benchmarks compare against it).
func CompilePlain(ctx context.Context, image []byte, name string, interpreter bool) (*Plain, error) {
	rt := wazero.NewRuntimeWithConfig(ctx, component.RuntimeConfig(interpreter))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	cm, err := rt.CompileModule(ctx, image)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("compile %s: %w", name, err)
	}
	return &Plain{ctx: ctx, rt: rt, cm: cm, name: name}, nil
}

// Close releases the runtime.
func (p *Plain) Close() error { return p.rt.Close(p.ctx) }

// Run instantiates the module and runs its _start.
func (p *Plain) Run(lc session.LaunchConfig) (int, error) {
	mod, err := p.rt.InstantiateModule(p.ctx, p.cm, moduleConfig(lc).WithName(""))
	if err == nil {
		defer mod.Close(p.ctx)
		start := mod.ExportedFunction("_start")
		if start == nil {
			return 0, fmt.Errorf("%s exports no _start function to run", p.name)
		}
		_, err = start.Call(p.ctx)
	}
	var exit *sys.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		return int(exit.ExitCode()), nil
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return 0, &TrapError{Message: strings.TrimPrefix(msg, "wasm error: ")}
}

// moduleConfig is the WASI configuration of a run: only what lc grants.
func moduleConfig(lc session.LaunchConfig) wazero.ModuleConfig {
	mc := wazero.NewModuleConfig().
		WithArgs(lc.Args...).
		WithStdin(orEmpty(lc.Stdin)).
		WithStdout(orDiscard(lc.Stdout)).
		WithStderr(orDiscard(lc.Stderr)).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(rand.Reader).
		WithStartFunctions() // _start is called by the caller, on purpose
	for _, kv := range lc.Env {
		k, v, _ := strings.Cut(kv, "=")
		mc = mc.WithEnv(k, v)
	}
	fs := wazero.NewFSConfig()
	for _, d := range lc.Dirs {
		if d.ReadOnly {
			fs = fs.WithReadOnlyDirMount(d.Host, d.Guest)
		} else {
			fs = fs.WithDirMount(d.Host, d.Guest)
		}
	}
	return mc.WithFSConfig(fs)
}
