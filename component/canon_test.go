package component

import (
	"context"
	"fmt"
	"testing"

	"github.com/tetratelabs/wazero"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
)

// incHost provides the import f(x) = x + 1.
type incHost struct{ anyHost }

func (incHost) ImportFunc(name string) HostFunc {
	return func(_ context.Context, _ *Call, args []abi.Value) ([]abi.Value, error) {
		return []abi.Value{args[0].(abi.U32) + 1}, nil
	}
}

// TestLiftOfLowered: a lifted core function that the runtime made (here
// the lowering of an import) can be called, although it lives in a host
// module, which wazero does not let Go call directly.
func TestLiftOfLowered(t *testing.T) {
	c, err := compbin.Decode(assemble(t, "../../component/testdata/relift.wat"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wz := wazero.NewRuntime(ctx)
	defer wz.Close(ctx)
	inst, err := New(wz, incHost{}).Instantiate(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second call reuses the trampoline
		res, err := inst.Exports["g"].Func.Call(ctx, abi.U32(41))
		if err != nil || len(res) != 1 || fmt.Sprint(res[0]) != "42" {
			t.Fatalf("g(41) = %v, %v; want 42", res, err)
		}
	}
}
