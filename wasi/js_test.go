package wasi

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	"wdbg/component"
	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/e2e"
)

// TestJSComponent calls a toolchain-built component's custom interface
// (wit/shapes.wit: strings, lists, records, variants, an enum and a
// resource, implemented in JavaScript on QuickJS) from the host, and checks
// every result in WIT value syntax.
func TestJSComponent(t *testing.T) {
	b, err := os.ReadFile(e2e.JSComponent(t))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wz := wazero.NewRuntimeWithConfig(ctx, component.RuntimeConfig(false))
	defer wz.Close(ctx)
	var stdout, stderr strings.Builder
	inst, err := component.New(wz, New(Config{Stdout: &stdout, Stderr: &stderr})).Instantiate(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	shapes := inst.Exports["local:demo/shapes"].Instance
	if shapes == nil {
		t.Fatalf("no shapes instance among %v", inst.Exports)
	}
	call := func(name string, args ...abi.Value) string {
		t.Helper()
		f := shapes.Exports[name].Func
		if f == nil {
			t.Fatalf("no function %s", name)
		}
		res, err := f.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v (stderr %q)", name, err, stderr.String())
		}
		var out []string
		for i, v := range res {
			out = append(out, abi.Format(f.Type.Results[i], v))
		}
		return strings.Join(out, ", ")
	}
	point := func(x, y int32) abi.Value { return abi.Record{abi.S32(x), abi.S32(y)} }
	got := []string{
		call("area", abi.Variant{Case: 0, Payload: abi.U32(2)}, abi.Variant{Case: 0}),
		call("area", abi.Variant{Case: 1, Payload: point(3, -4)}, abi.Variant{Case: 2}),
		call("area", abi.Variant{Case: 2}, abi.Variant{Case: 1}),
		call("greet", abi.Str("wdbg")),
		call("sum", abi.List{abi.U32(1), abi.U32(2), abi.U32(3), abi.U32(40)}),
		call("corners", point(2, 5)),
	}
	newCounter := shapes.Exports["[constructor]counter"].Func
	ctor, err := newCounter.Call(ctx, abi.U32(5))
	if err != nil {
		t.Fatal(err)
	}
	counter := abi.Format(newCounter.Type.Results[0], ctor[0])
	got = append(got, call("[method]counter.bump", ctor[0]), call("[method]counter.bump", ctor[0]))
	want := []string{
		"12", "24", "0", `"hello, wdbg!"`, "46",
		"[{x: 0, y: 0}, {x: 2, y: 0}, {x: 2, y: 5}, {x: 0, y: 5}]",
		"6", "7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The resource is known by the name the component exports it as.
	if counter != "own<counter>#1" {
		t.Errorf("constructor returned %s, want own<counter>#1", counter)
	}
}
