package component

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
)

// FuzzInstantiate links arbitrary (decodable) components against the WASI
// host: whatever the input, Instantiate returns an error or an instance,
// and never panics.
func FuzzInstantiate(f *testing.F) {
	// Small seeds: the fuzzer mutates them quickly (a whole C component
	// takes seconds per run under the interpreter).
	f.Add(assemble(f, "component/compose/compose.wat"))
	f.Add(assemble(f, "../../component/testdata/memsplit-component.wat"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := compbin.Decode(b)
		if err != nil {
			return
		}
		ctx := context.Background()
		wz := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
		defer wz.Close(ctx)
		r := New(wz, anyHost{})
		if _, err := r.Instantiate(ctx, c); err == nil {
			_ = r.IsCommand()
		}
	})
}

// anyHost provides every import: functions that trap, and a fresh resource
// type per name, so fuzzed components get past their imports.
type anyHost struct{}

func (anyHost) Instance(name string) HostInstance { return anyInstance{} }

func (anyHost) ImportFunc(name string) HostFunc { return anyInstance{}.Func(name) }

func (anyHost) ImportResource(name string) *abi.ResourceType { return &abi.ResourceType{Name: name} }

type anyInstance struct{}

func (anyInstance) Func(name string) HostFunc {
	return func(context.Context, *Call, []abi.Value) ([]abi.Value, error) {
		return nil, &abi.Trap{Msg: "fuzz host: " + name}
	}
}

func (anyInstance) Resource(name string) *abi.ResourceType { return &abi.ResourceType{Name: name} }
