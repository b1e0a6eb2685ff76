package component

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	"wdbg/internal/compbin"
	"wdbg/internal/e2e"
	"wdbg/internal/wasmbin"
)

// assembleMultiMemory assembles a text module that uses several memories.
func assembleMultiMemory(t *testing.T, wat string) *wasmbin.Module {
	t.Helper()
	tool := e2e.Tool(t, "wat2wasm")
	src := filepath.Join(t.TempDir(), "m.wat")
	if err := os.WriteFile(src, []byte(wat), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.wasm")
	if b, err := exec.Command(tool, "--enable-multi-memory", src, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasmbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSplitMemories runs a module with an imported and two defined
// memories on wazero, which has one memory per module, through the helper
// modules splitMemories makes: every instruction on memory 2 reaches it,
// memory 2's data segment and export land in its helper, and calls between
// the module's functions still reach the right function.
func TestSplitMemories(t *testing.T) {
	wat, err := os.ReadFile("testdata/memsplit.wat")
	if err != nil {
		t.Fatal(err)
	}
	m := assembleMultiMemory(t, string(wat))
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	// The imported memory (memory 0) comes from a module named "env".
	env := &wasmbin.Module{Mems: []wasmbin.MemType{{Limits: wasmbin.Limits{Min: 1}}},
		Exports: []wasmbin.Export{{Name: "shared", Kind: wasmbin.MemoryKind}}}
	if _, err := rt.InstantiateWithConfig(ctx, env.Encode(), wazero.NewModuleConfig().WithName("env")); err != nil {
		t.Fatal(err)
	}
	helper := func(j int) string { return "m#memory" + string(rune('0'+j)) }
	split, err := splitMemories(m, helper)
	if err != nil || split == nil {
		t.Fatalf("split: %v %v", split, err)
	}
	if len(split.helpers) != 2 || split.memExports["mem-b"] != 2 {
		t.Fatalf("helpers %d, memory exports %v", len(split.helpers), split.memExports)
	}
	for j, h := range split.helpers {
		if _, err := rt.InstantiateWithConfig(ctx, h.Encode(), wazero.NewModuleConfig().WithName(helper(j+1))); err != nil {
			t.Fatalf("helper %d: %v", j+1, err)
		}
	}
	mod, err := rt.InstantiateWithConfig(ctx, split.module.Encode(), wazero.NewModuleConfig().WithName("m"))
	if err != nil {
		t.Fatal(err)
	}
	call := func(name string, args ...uint64) uint64 {
		t.Helper()
		r, err := mod.ExportedFunction(name).Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s%v: %v", name, args, err)
		}
		if len(r) == 0 {
			return 0
		}
		return r[0]
	}
	var got []uint64
	got = append(got, call("peek-b", 15), call("call-peek", 15), call("size-b"))
	call("poke-b", 100, 7)
	got = append(got, call("peek-b", 99), call("peek-a", 100), call("grow-b", 1), call("size-b"))
	call("fill-b", 200, 9, 4)
	got = append(got, call("peek-b", 202))
	call("copy-b", 300, 16, 5)
	got = append(got, call("peek-b", 299))
	want := []uint64{'h', 'h', 2, 7, 0, 2, 3, 9, 'h'}
	if !slices.Equal(got, want) {
		t.Errorf("results %v, want %v", got, want)
	}
	// Memory 2 is the helper's exported memory, with the data segment.
	mem := rt.Module(helper(2)).ExportedMemory(helperMemory)
	if b, ok := mem.Read(16, 5); !ok || string(b) != "hello" {
		t.Errorf("helper memory holds %q", b)
	}
}

// TestSplitMemoriesRefuses: what a helper cannot stand in for is refused
// with the instruction and its place, not run wrongly.
func TestSplitMemoriesRefuses(t *testing.T) {
	m := assembleMultiMemory(t, `(module (memory $a 1) (memory $b 1)
	  (func (memory.copy $a $b (i32.const 0) (i32.const 0) (i32.const 4))))`)
	_, err := splitMemories(m, func(int) string { return "h" })
	if err == nil || !strings.Contains(err.Error(), "function 0 at 0x") ||
		!strings.HasSuffix(err.Error(), "memory.copy from memory 1 to memory 0: a copy between two memories cannot be moved to a helper module") {
		t.Errorf("error: %v", err)
	}
}

// TestSplitMemoriesComponent: a component whose core module has two
// memories runs through the component runtime.
func TestSplitMemoriesComponent(t *testing.T) {
	c, err := compbin.Decode(assemble(t, "../../component/testdata/memsplit-component.wat"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wz := wazero.NewRuntime(ctx)
	defer wz.Close(ctx)
	inst, err := New(wz, anyHost{}).Instantiate(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Exports["run"].Func.Call(ctx)
	if err != nil || len(res) != 1 || fmt.Sprint(res[0]) != "44" {
		t.Fatalf("run = %v, %v; want 44 (42 stored through memory 1, which grew to 2 pages)", res, err)
	}
}
