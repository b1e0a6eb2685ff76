package component

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/e2e"
)

// assembleWat assembles component texts with jco (testdata/assemble.mjs).
func assembleWat(t *testing.T, texts ...string) [][]byte {
	t.Helper()
	node := e2e.Tool(t, "node")
	e2e.Tool(t, "jco")
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v", err)
	}
	dir := t.TempDir()
	for i, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".wat"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, filepath.Join("testdata", "assemble.mjs"), strings.TrimSpace(string(out)), dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node assemble.mjs: %v\n%s", err, msg)
	}
	var bins [][]byte
	for i := range texts {
		b, err := os.ReadFile(filepath.Join(dir, string(rune('a'+i))+".wasm"))
		if err != nil {
			msg, _ := os.ReadFile(filepath.Join(dir, string(rune('a'+i))+".err"))
			t.Fatalf("component %d: %s", i, msg)
		}
		bins = append(bins, b)
	}
	return bins
}

// TestStartFunction: a component start function runs once, during
// instantiation, and its trap fails the instantiation.
func TestStartFunction(t *testing.T) {
	const counter = `(component
  (core module $M
    (global $n (mut i32) (i32.const 0))
    (func (export "bump") (global.set $n (i32.add (global.get $n) (i32.const 1))))
    (func (export "get") (result i32) (global.get $n)))
  (core instance $m (instantiate $M))
  (func $bump (canon lift (core func $m "bump")))
  (func (export "get") (result u32) (canon lift (core func $m "get")))
  (start $bump))`
	const trapping = `(component
  (core module $M (func (export "boom") unreachable))
  (core instance $m (instantiate $M))
  (func $boom (canon lift (core func $m "boom")))
  (start $boom))`
	bins := assembleWat(t, counter, trapping)
	ctx := context.Background()
	run := func(b []byte) (*Instance, error) {
		wz := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
		t.Cleanup(func() { wz.Close(ctx) })
		c, err := compbin.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return New(wz, nil).Instantiate(ctx, c)
	}
	inst, err := run(bins[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Exports["get"].Func.Call(ctx)
	if err != nil || len(res) != 1 || res[0] != abi.U32(1) {
		t.Errorf("get() = %v, %v; want 1 (the start function ran once)", res, err)
	}
	if _, err := run(bins[1]); err == nil || !strings.Contains(err.Error(), "start function") || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("instantiating a component whose start function traps: %v", err)
	}
}
