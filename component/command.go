package component

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
)

// RunCommand instantiates the runtime's component as a wasi:cli/command,
// calls its wasi:cli/run export, and returns the exit code: 0 for ok, 1 for
// an error result, or the code a host exit gave.
func (r *Runtime) RunCommand(ctx context.Context) (int, error) {
	run, err := r.commandRun()
	if err != nil {
		return 0, err
	}
	res, err := run.Call(ctx)
	var e *Exit
	if errors.As(err, &e) {
		return e.Code, nil
	}
	if err != nil {
		return 0, err
	}
	if v, ok := res[0].(abi.Variant); ok && v.Case == 0 {
		return 0, nil
	}
	return 1, nil
}

// IsCommand returns nil if the instantiated component is a
// wasi:cli/command, or an error saying why not.
func (r *Runtime) IsCommand() error {
	_, err := r.commandRun()
	return err
}

// commandRun finds wasi:cli/run's run function among the root's exports.
func (r *Runtime) commandRun() (*Func, error) {
	if r.Root == nil {
		return nil, errors.New("the component is not instantiated")
	}
	for name, x := range r.Root.Exports {
		base, ver, _ := strings.Cut(name, "@")
		if base != "wasi:cli/run" || !strings.HasPrefix(ver, "0.2") || x.Instance == nil {
			continue
		}
		run, ok := x.Instance.Exports["run"]
		if !ok || run.Func == nil {
			return nil, fmt.Errorf("%s exports no run function", name)
		}
		if len(run.Func.Type.Params) != 0 || len(run.Func.Type.Results) != 1 {
			return nil, fmt.Errorf("%s#run has type %s, want func() -> result", name, run.Func.Signature())
		}
		return run.Func, nil
	}
	return nil, errors.New("the component is not a command: it exports no wasi:cli/run@0.2 instance")
}

// RunOptions configure Run.
type RunOptions struct {
	// Interpreter runs on wazero's interpreter instead of its compiler.
	Interpreter bool
	// Trace, if set, sees every call across a component boundary.
	Trace func(CallEvent)
}

// Run links c against host on a new wazero runtime, runs it as a
// wasi:cli/command and returns the exit code.
func Run(ctx context.Context, c *compbin.Component, host Host, opts RunOptions) (int, error) {
	wz := wazero.NewRuntimeWithConfig(ctx, RuntimeConfig(opts.Interpreter))
	defer wz.Close(ctx)
	r := New(wz, host)
	r.SetTracer(opts.Trace, nil)
	if _, err := r.Instantiate(ctx, c); err != nil {
		var e *Exit
		if errors.As(err, &e) {
			return e.Code, nil
		}
		return 0, err
	}
	return r.RunCommand(ctx)
}
