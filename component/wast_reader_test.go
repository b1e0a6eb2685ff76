package component

import (
	"testing"

	"wdbg/component/abi"
)

// TestWastReader: the s-expression reader of the conformance harness
// handles comments, string escapes and the value forms.
func TestWastReader(t *testing.T) {
	src := `;; a line comment
(; a (; nested ;) block comment ;)
(component $c (export "a\u{263a}\41\n"))
(assert_return (invoke "f" (record.const (field "s" str.const "v=") (field "n" u32.const 7)))
  (list.const (variant.const "x" (s8.const -1)) (variant.const "y")))`
	forms, err := parseWast(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(forms) != 2 || forms[0].head() != "component" || forms[1].head() != "assert_return" {
		t.Fatalf("forms = %v", forms)
	}
	if s := forms[0].list[2].list[1].str; s != "a☺A\n" {
		t.Errorf("string = %q", s)
	}
	if forms[1].line != 4 || src[forms[0].start:forms[0].end] != `(component $c (export "a\u{263a}\41\n"))` {
		t.Errorf("positions: line %d, text %q", forms[1].line, src[forms[0].start:forms[0].end])
	}
	rec := &abi.RecordType{Fields: []abi.FieldType{{Label: "n", Type: abi.U32Type}, {Label: "s", Type: abi.StringType}}}
	v, err := wastValue(rec, forms[1].list[1].list[2])
	if err != nil || abi.Format(rec, v) != `{n: 7, s: "v="}` {
		t.Errorf("record = %v, %v", v, err)
	}
	vt := &abi.ListType{Elem: &abi.VariantType{Cases: []abi.CaseType{{Label: "x", Type: abi.S8Type}, {Label: "y"}}}}
	ft := &funcType{Results: []abi.Type{vt}}
	got := []abi.Value{abi.List{abi.Variant{Case: 0, Payload: abi.S8(-1)}, abi.Variant{Case: 1}}}
	if msg := compareResults(ft, got, forms[1].list[2:]); msg != "" {
		t.Errorf("equal results differ: %s", msg)
	}
	got = []abi.Value{abi.List{abi.Variant{Case: 0, Payload: abi.S8(1)}, abi.Variant{Case: 1}}}
	if msg := compareResults(ft, got, forms[1].list[2:]); msg == "" {
		t.Errorf("different results compare equal")
	}
	for _, bad := range []string{`(a "unterminated`, `(a (; open`, `(a`, `)`} {
		if _, err := parseWast(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
