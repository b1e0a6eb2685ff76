package component

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"wdbg/internal/compbin"
)

// CoreHook lets a debugger run its own (instrumented) form of a component's
// core modules. Prepare is called before each core instantiation with the
// module being instantiated; when ok, bytes replace its code and name is
// the wazero module name it gets (the debugger maps frames back by it), and
// imports from the modules in keep (the debugger's probes) are left as
// they are. Instantiated is called with the result.
type CoreHook interface {
	Prepare(m *compbin.CoreModule) (bytes []byte, name string, keep func(module string) bool, ok bool)
	Instantiated(m *compbin.CoreModule, mod api.Module)
}

// SetCoreHook installs h; it must be called before Instantiate.
func (r *Runtime) SetCoreHook(h CoreHook) { r.hook = h }

// SetContext sets the context that calls the runtime makes on its own
// (realloc, destructors) run with; a debugger's probes find their target
// in it. It defaults to context.Background().
func (r *Runtime) SetContext(ctx context.Context) { r.ctx = ctx }

// context returns the runtime's own calls' context.
func (r *Runtime) context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}
