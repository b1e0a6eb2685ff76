package component

import (
	"context"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"wdbg/component/abi"
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

// HandleInfo is one entry of a component instance's handle table, for the
// debugger's `info resources`.
type HandleInfo struct {
	// Instance is the component instance whose table holds it.
	Instance string
	// Index is the handle's index in that table (what the guest holds).
	Index uint32
	// Kind is the entry as the spec names it: "own<output-stream>",
	// "borrow<descriptor>", "error-context".
	Kind string
	// Rep is the resource's representation (for a host resource, the
	// host's own id of the object).
	Rep uint32
	// Lends counts the calls the handle is lent to right now.
	Lends int
	// What describes the object, when its owner can: "stdout",
	// "/data/in.txt".
	What string
}

// ResourceDescriber is implemented by hosts that can say what their
// resources are, for the debugger.
type ResourceDescriber interface {
	DescribeResource(rt *abi.ResourceType, rep uint32) string
}

// Handles lists the handle tables of every component instance, the root
// first, in index order.
func (r *Runtime) Handles() []HandleInfo {
	var out []HandleInfo
	desc, _ := r.host.(ResourceDescriber)
	var walk func(in *Instance)
	walk = func(in *Instance) {
		for i, e := range in.abi.Handles.All() {
			h := HandleInfo{Instance: in.Name, Index: i, Kind: e.EntryKind()}
			if rh, ok := e.(*abi.ResourceHandle); ok {
				h.Rep, h.Lends = rh.Rep, rh.NumLends
				if desc != nil && rh.Type.Impl == nil {
					h.What = desc.DescribeResource(rh.Type, rh.Rep)
				}
			}
			out = append(out, h)
		}
		for _, c := range in.Children {
			walk(c)
		}
	}
	if r.Root != nil {
		walk(r.Root)
	}
	return out
}

// boundaryMarker marks the host module of a canon lower whose callee is
// another component's lifted function: "root/app-i/canon12:calls f".
const boundaryMarker = "calls "

// Boundary describes a canon-lowered function that calls into another
// component, from the name of its host module; ok is false for any other
// module (host imports included). A debugger installs a function listener
// on these (the runtime compiles its host modules with the context it is
// given) to record the caller's stack at each crossing.
func Boundary(module string) (caller, callee string, ok bool) {
	i := strings.LastIndex(module, "/canon")
	if i < 0 {
		return "", "", false
	}
	_, rest, found := strings.Cut(module[i:], ":")
	if !found || !strings.HasPrefix(rest, boundaryMarker) {
		return "", "", false
	}
	return module[:i], strings.TrimPrefix(rest, boundaryMarker), true
}
