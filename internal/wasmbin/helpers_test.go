package wasmbin

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// update rewrites generated test files (goldens, allops.wat) instead of
// comparing against them: go test ./internal/wasmbin -update
var update = flag.Bool("update", false, "rewrite golden files and generated WAT")

// require-style helpers: like testify's require, without the dependency
// (wazero's internal/testing/require does the same).

func requireNoError(t testing.TB, err error, context ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%sunexpected error: %v", prefix(context), err)
	}
}

func requireError(t testing.TB, err error, context ...any) {
	t.Helper()
	if err == nil {
		t.Fatalf("%sexpected an error, got nil", prefix(context))
	}
}

func requireErrorIs(t testing.TB, err, target error, context ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%sexpected error wrapping %q, got %v", prefix(context), target, err)
	}
}

func requireEqualError(t testing.TB, err error, want string, context ...any) {
	t.Helper()
	if err == nil {
		t.Fatalf("%sexpected error %q, got nil", prefix(context), want)
	}
	if err.Error() != want {
		t.Fatalf("%swrong error:\n got: %s\nwant: %s", prefix(context), err, want)
	}
}

func requireEqual[T any](t testing.TB, want, got T, context ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%snot equal:\nwant: %#v\n got: %#v", prefix(context), want, got)
	}
}

func requireTrue(t testing.TB, cond bool, context ...any) {
	t.Helper()
	if !cond {
		t.Fatalf("%scondition is false", prefix(context))
	}
}

func prefix(context []any) string {
	if len(context) == 0 {
		return ""
	}
	if f, ok := context[0].(string); ok {
		return fmt.Sprintf(f, context[1:]...) + ": "
	}
	return fmt.Sprint(context...) + ": "
}

// fixturePaths are the real clang builds shared by the whole repository.
func fixturePaths(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("../../fixtures/testdata/c/*/*.wasm")
	requireNoError(t, err)
	if len(paths) == 0 {
		t.Fatal("no fixture modules found under fixtures/testdata/c")
	}
	return paths
}

// testdataModules are the modules checked in next to these tests.
func testdataModules(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.wasm")
	requireNoError(t, err)
	if len(paths) == 0 {
		t.Fatal("no modules in testdata")
	}
	return paths
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	requireNoError(t, err)
	return b
}

func mustDecode(t testing.TB, b []byte) *Module {
	t.Helper()
	m, err := Decode(b)
	requireNoError(t, err, "decode")
	return m
}

// normalized returns a copy of m without the fields that describe where
// things were in the file, which legitimately change when a module is
// re-encoded (LEB widths, section placement).
func normalized(m *Module) *Module {
	n := *m
	n.Sections = nil
	n.CodeStart = 0
	n.Warnings = nil
	n.Code = slices.Clone(m.Code)
	for i := range n.Code {
		n.Code[i].Start, n.Code[i].BodyStart, n.Code[i].End = 0, 0, 0
	}
	n.Customs = slices.Clone(m.Customs)
	for i := range n.Customs {
		n.Customs[i].Offset = 0
	}
	return &n
}

// requireSameModule compares two modules structurally, ignoring layout,
// and names the first field that differs.
func requireSameModule(t testing.TB, want, got *Module, context ...any) {
	t.Helper()
	if diff := moduleDiff(normalized(want), normalized(got)); diff != "" {
		t.Fatalf("%smodules differ: %s", prefix(context), diff)
	}
}

func moduleDiff(a, b *Module) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		name := va.Type().Field(i).Name
		if fa.Kind() == reflect.Slice && fa.Len() == fb.Len() {
			for j := range fa.Len() {
				if !reflect.DeepEqual(fa.Index(j).Interface(), fb.Index(j).Interface()) {
					return fmt.Sprintf("%s[%d]:\n  %#v\nvs\n  %#v", name, j, fa.Index(j).Interface(), fb.Index(j).Interface())
				}
			}
		}
		return fmt.Sprintf("%s:\n  %#v\nvs\n  %#v", name, fa.Interface(), fb.Interface())
	}
	return ""
}

// wabtFeatures are the proposals the test modules use, as in
// testdata/build.sh. Not --enable-all: with function references on, wabt
// 1.0.32 types ref.func as a typed reference and rejects funcref code.
var wabtFeatures = []string{"--enable-exceptions", "--enable-threads", "--enable-tail-call",
	"--enable-memory64", "--enable-multi-memory", "--enable-extended-const", "--enable-relaxed-simd"}

// wasmValidate runs wabt's validator on b. The project's test script
// installs wabt, so a missing tool is a failure, not a skip.
func wasmValidate(t testing.TB, b []byte, name string) {
	t.Helper()
	tool, err := exec.LookPath("wasm-validate")
	if err != nil {
		t.Fatalf("wasm-validate (wabt) is required by this test: %v", err)
	}
	path := filepath.Join(t.TempDir(), strings.ReplaceAll(filepath.Base(name), "/", "_"))
	requireNoError(t, os.WriteFile(path, b, 0o644))
	out, err := exec.Command(tool, append(wabtFeatures, path)...).CombinedOutput()
	if err != nil {
		t.Fatalf("wasm-validate rejected the re-encoding of %s: %v\n%s", name, err, out)
	}
}

// typeFunction runs the Typer over a whole function and checks that the
// final stack is exactly the function's results.
func typeFunction(t testing.TB, m *Module, defIdx int, instrs []Instr) {
	t.Helper()
	ty, err := NewTyper(m, defIdx)
	requireNoError(t, err)
	for i := range instrs {
		if err := ty.Step(&instrs[i]); err != nil {
			t.Fatalf("function %d: %v", m.NumImportedFuncs()+defIdx, err)
		}
	}
	requireTrue(t, ty.Done(), "function %d: typer not done after the last instruction", defIdx)
	ft, _ := m.FuncType(uint32(m.NumImportedFuncs() + defIdx))
	if !sameTypes(ft.Results, ty.Stack()) {
		t.Fatalf("function %d: final stack %s, want results %s", defIdx, valTypeList(ty.Stack()), valTypeList(ft.Results))
	}
}

// decodeCodeEntry decodes the output of EncodeCode: locals, then the
// instructions.
func decodeCodeEntry(b []byte) ([]LocalDecl, []Instr, error) {
	r := &reader{b: b}
	n, err := r.count(2)
	if err != nil {
		return nil, nil, err
	}
	var locals []LocalDecl
	for range n {
		c, err := r.u32()
		if err != nil {
			return nil, nil, err
		}
		vt, err := r.valType()
		if err != nil {
			return nil, nil, err
		}
		locals = append(locals, LocalDecl{Count: c, Type: vt})
	}
	instrs, err := DecodeBody(b[r.pos:], CodeOffset(r.pos))
	return locals, instrs, err
}

// withoutOffsets returns instrs with Off cleared, for comparing
// instruction streams whose encodings differ in width.
func withoutOffsets(instrs []Instr) []Instr {
	out := slices.Clone(instrs)
	for i := range out {
		out[i].Off = 0
	}
	return out
}
