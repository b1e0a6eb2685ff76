package abi

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"wdbg/internal/e2e"
)

// TestDifferential runs the same cases through this package and through
// the spec's executable definitions.py (testdata/definitions.py, driven by
// testdata/differential.py under python3) and requires identical results:
// the same lifted values (strings with the same source encoding and code
// units), the same flat values, memory byte for byte, the same realloc
// calls in the same order, the same handle table, and traps in the same
// cases. The cases are hand-picked ones (all string transcodings, char and
// integer boundaries, NaNs, joined variants, bad realloc results, handles)
// plus a few thousand random types and values, some with corrupted memory
// or flat values to compare where each side traps.
//
// python3 is required in CI (WDBG_E2E=required).
func TestDifferential(t *testing.T) {
	t.Parallel()
	python := e2e.Tool(t, "python3")
	cases := differentialCases()
	in := make([]map[string]any, len(cases))
	for i, c := range cases {
		in[i] = c.in
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.json")
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "differential.py"), path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s testdata/differential.py: %v\n%s", python, err, stderr.String())
	}
	var want []any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("decode python output: %v", err)
	}
	if len(want) != len(cases) {
		t.Fatalf("python returned %d results for %d cases", len(want), len(cases))
	}
	counts := map[string]int{}
	failed := 0
	for i, c := range cases {
		got := normalize(t, c.run())
		if !reflect.DeepEqual(got, want[i]) {
			failed++
			if failed <= 10 {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want[i])
				cj, _ := json.Marshal(c.in)
				t.Errorf("case %d %s:\n  case:   %s\n  go:     %s\n  python: %s", i, c.name, cj, gj, wj)
			}
			continue
		}
		if m, ok := want[i].(map[string]any); ok {
			if _, ok := m["error"]; ok {
				t.Errorf("case %d %s: both sides report a bad case: %v", i, c.name, m["error"])
			}
			if _, ok := m["trap"]; ok {
				counts[c.in["op"].(string)+" trap"]++
				continue
			}
		}
		counts[c.in["op"].(string)]++
	}
	if failed > 0 {
		t.Fatalf("%d of %d cases differ", failed, len(cases))
	}
	t.Logf("%d cases agree: %v", len(cases), counts)
}

// normalize round-trips a Go result through JSON so it compares equal to
// the decoded Python result.
func normalize(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// diffCase is one case: in is what differential.py gets, run computes the
// Go result in the same JSON shape.
type diffCase struct {
	name string
	in   map[string]any
	run  func() map[string]any
}

// world is a case's setup: memory, heap, encoding, resources and handles.
type world struct {
	addr      AddrType
	enc       StringEncoding
	mem       []byte
	heap      uint64 // where the heap starts
	realloc   string // "ok", "misalign" or "oob"
	resources []resSpec
	handles   []handleSpec
}

type resSpec struct {
	name     string
	implSelf bool // the instance doing the lift/lower implements the resource
}

type handleSpec struct {
	res string
	rep uint32
	own bool
}

var encNames = map[StringEncoding]string{UTF8: "utf8", UTF16: "utf16", Latin1UTF16: "latin1+utf16"}

func (w world) json(op string) map[string]any {
	res := [][]any{}
	for _, r := range w.resources {
		res = append(res, []any{r.name, r.implSelf})
	}
	hs := [][]any{}
	for _, h := range w.handles {
		hs = append(hs, []any{h.res, h.rep, h.own})
	}
	realloc := w.realloc
	if realloc == "" {
		realloc = "ok"
	}
	return map[string]any{
		"op": op, "addr": w.addr.String(), "enc": encNames[w.enc], "mem": hex.EncodeToString(w.mem),
		"heap": w.heap, "realloc": realloc, "resources": res, "handles": hs,
	}
}

// goWorld is the Go side of a world, built afresh for each run.
type goWorld struct {
	cx    *Context
	heap  *testHeap
	rts   map[string]*ResourceType
	names map[*ResourceType]string
}

func (w world) build(rts map[string]*ResourceType) *goWorld {
	mem := append(ByteMemory(nil), w.mem...)
	h := &testHeap{mem: mem, next: w.heap, mode: w.realloc}
	inst := &Instance{}
	other := &Instance{}
	g := &goWorld{heap: h, rts: rts, names: map[*ResourceType]string{}}
	for _, r := range w.resources {
		rt := rts[r.name]
		rt.Impl = other
		if r.implSelf {
			rt.Impl = inst
		}
		g.names[rt] = r.name
	}
	for _, hs := range w.handles {
		if _, err := inst.Handles.Add(&ResourceHandle{Type: rts[hs.res], Rep: hs.rep, Own: hs.own}); err != nil {
			panic(err)
		}
	}
	g.cx = &Context{
		Options:     Options{StringEncoding: w.enc, Memory: mem, Addr: w.addr, Realloc: h.realloc},
		Instance:    inst,
		BorrowScope: &BorrowScope{},
		Lenders:     &Lenders{},
	}
	return g
}

// result returns the Go result for err, or adds the state differential.py
// reports after an operation.
func (g *goWorld) result(out map[string]any, err error) map[string]any {
	if err != nil {
		if isTrap(err) {
			return map[string]any{"trap": true}
		}
		return map[string]any{"error": err.Error()}
	}
	out["mem"] = hex.EncodeToString(g.heap.mem)
	calls := [][]uint64{}
	for _, c := range g.heap.calls {
		calls = append(calls, c[:])
	}
	out["reallocs"] = calls
	table := [][]any{}
	for i, e := range g.cx.Instance.Handles.All() {
		h := e.(*ResourceHandle)
		table = append(table, []any{i, g.names[h.Type], h.Rep, h.Own, h.NumLends})
	}
	out["table"] = table
	out["num_borrows"] = g.cx.BorrowScope.NumBorrows
	return out
}

// typeJSON encodes a type as differential.py's mk_type reads it.
func typeJSON(t Type) any {
	switch t := t.(type) {
	case PrimType:
		return t.String()
	case *ListType:
		if t.Len > 0 {
			return []any{"list", typeJSON(t.Elem), t.Len}
		}
		return []any{"list", typeJSON(t.Elem)}
	case *RecordType:
		fs := []any{}
		for _, f := range t.Fields {
			fs = append(fs, []any{f.Label, typeJSON(f.Type)})
		}
		return []any{"record", fs}
	case *TupleType:
		ts := []any{}
		for _, u := range t.Types {
			ts = append(ts, typeJSON(u))
		}
		return []any{"tuple", ts}
	case *VariantType:
		cs := []any{}
		for _, c := range t.Cases {
			var ct any
			if c.Type != nil {
				ct = typeJSON(c.Type)
			}
			cs = append(cs, []any{c.Label, ct})
		}
		return []any{"variant", cs}
	case *EnumType:
		return []any{"enum", t.Labels}
	case *OptionType:
		return []any{"option", typeJSON(t.Elem)}
	case *ResultType:
		var ok, err any
		if t.Ok != nil {
			ok = typeJSON(t.Ok)
		}
		if t.Err != nil {
			err = typeJSON(t.Err)
		}
		return []any{"result", ok, err}
	case *FlagsType:
		return []any{"flags", t.Labels}
	case *MapType:
		return []any{"map", typeJSON(t.Key), typeJSON(t.Value)}
	case *OwnType:
		return []any{"own", t.Resource.Name}
	case *BorrowType:
		return []any{"borrow", t.Resource.Name}
	}
	panic(fmt.Sprintf("typeJSON %T", t))
}

// valueJSON encodes a value as differential.py's to_py reads it and its
// from_py writes it: floats as bits, chars as code points, strings as
// [text, encoding, tagged code units], records and tuples as arrays,
// variants as {case, payload}, flags as bits, handles as representations.
func valueJSON(t Type, v Value, addr AddrType) any {
	switch x := v.(type) {
	case Bool:
		return bool(x)
	case S8:
		return int64(x)
	case U8:
		return uint64(x)
	case S16:
		return int64(x)
	case U16:
		return uint64(x)
	case S32:
		return int64(x)
	case U32:
		return uint64(x)
	case S64:
		return int64(x)
	case U64:
		return uint64(x)
	case F32:
		return math.Float32bits(float32(x))
	case F64:
		return math.Float64bits(float64(x))
	case Char:
		return int64(x)
	case String:
		src, units := x.Src, x.CodeUnits
		if units == 0 && x.Text != "" {
			src, units = SourceUTF8, uint64(len(x.Text))
		}
		switch src {
		case SourceUTF16:
			return []any{x.Text, "utf16", units}
		case SourceLatin1:
			return []any{x.Text, "latin1+utf16", units}
		case SourceCompactUTF16:
			return []any{x.Text, "latin1+utf16", units | addr.utf16Tag()}
		}
		return []any{x.Text, "utf8", units}
	case Bytes:
		out := []any{}
		for _, c := range x {
			out = append(out, uint64(c))
		}
		return out
	case List:
		elem, _, _ := listElem(t)
		out := []any{}
		for _, e := range x {
			out = append(out, valueJSON(elem, e, addr))
		}
		return out
	case Record:
		return fieldsJSON(t, x, addr)
	case Tuple:
		return fieldsJSON(t, x, addr)
	case Variant:
		var p any
		if ct := caseType(t, int(x.Case)); ct != nil {
			p = valueJSON(ct, x.Payload, addr)
		}
		return map[string]any{"case": x.Case, "payload": p}
	case Flags:
		return uint64(x)
	case Handle:
		return x.Rep
	}
	panic(fmt.Sprintf("valueJSON %T", v))
}

func fieldsJSON(t Type, vs []Value, addr AddrType) []any {
	out := []any{}
	for i, e := range vs {
		out = append(out, valueJSON(fieldType(t, i), e, addr))
	}
	return out
}

// orEmpty makes a nil slice encode as [] rather than null.
func orEmpty(flat []uint64) []uint64 {
	if flat == nil {
		return []uint64{}
	}
	return flat
}

func coreNames(ts []CoreType) []string {
	out := []string{}
	for _, c := range ts {
		out = append(out, c.String())
	}
	return out
}

// Case builders. Each takes the world and resource types the case uses.

func loadCase(name string, w world, rts map[string]*ResourceType, t Type, ptr uint64) diffCase {
	in := w.json("load")
	in["type"], in["ptr"] = typeJSON(t), ptr
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		v, err := Load(g.cx, t, ptr)
		if err != nil {
			return g.result(nil, err)
		}
		return g.result(map[string]any{"value": valueJSON(t, v, w.addr)}, nil)
	}}
}

func storeCase(name string, w world, rts map[string]*ResourceType, t Type, v Value, ptr uint64) diffCase {
	in := w.json("store")
	in["type"], in["ptr"], in["value"] = typeJSON(t), ptr, valueJSON(t, v, w.addr)
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		return g.result(map[string]any{}, Store(g.cx, t, v, ptr))
	}}
}

func liftCase(name string, w world, rts map[string]*ResourceType, t Type, flat []uint64) diffCase {
	in := w.json("lift")
	in["type"], in["flat"] = typeJSON(t), orEmpty(flat)
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		v, err := Lift(g.cx, t, flat)
		if err != nil {
			return g.result(nil, err)
		}
		return g.result(map[string]any{"value": valueJSON(t, v, w.addr)}, nil)
	}}
}

func lowerCase(name string, w world, rts map[string]*ResourceType, t Type, v Value) diffCase {
	in := w.json("lower")
	in["type"], in["value"] = typeJSON(t), valueJSON(t, v, w.addr)
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		flat, err := Lower(g.cx, t, v)
		if err != nil {
			return g.result(nil, err)
		}
		return g.result(map[string]any{"flat": orEmpty(flat)}, nil)
	}}
}

func liftValuesCase(name string, w world, rts map[string]*ResourceType, ts []Type, maxFlat int, flat []uint64) diffCase {
	in := w.json("lift_values")
	tj := []any{}
	for _, t := range ts {
		tj = append(tj, typeJSON(t))
	}
	in["types"], in["max_flat"], in["flat"] = tj, maxFlat, orEmpty(flat)
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		vs, err := LiftValues(g.cx, maxFlat, ts, flat)
		if err != nil {
			return g.result(nil, err)
		}
		vj := []any{}
		for i, v := range vs {
			vj = append(vj, valueJSON(ts[i], v, w.addr))
		}
		return g.result(map[string]any{"values": vj}, nil)
	}}
}

func lowerValuesCase(name string, w world, rts map[string]*ResourceType, ts []Type, vs []Value, maxFlat int, retptr *uint64) diffCase {
	in := w.json("lower_values")
	tj, vj := []any{}, []any{}
	for i, t := range ts {
		tj = append(tj, typeJSON(t))
		vj = append(vj, valueJSON(t, vs[i], w.addr))
	}
	in["types"], in["values"], in["max_flat"] = tj, vj, maxFlat
	if retptr != nil {
		in["retptr"] = *retptr
	}
	return diffCase{name, in, func() map[string]any {
		g := w.build(rts)
		var flat []uint64
		var err error
		if retptr != nil {
			flat, err = LowerValuesTo(g.cx, maxFlat, ts, vs, *retptr)
		} else {
			flat, err = LowerValues(g.cx, maxFlat, ts, vs)
		}
		if err != nil {
			return g.result(nil, err)
		}
		return g.result(map[string]any{"flat": orEmpty(flat)}, nil)
	}}
}

func layoutCase(name string, t Type) diffCase {
	in := world{resources: []resSpec{{"a", false}, {"b", false}, {"self", true}}}.json("layout")
	in["type"] = typeJSON(t)
	return diffCase{name, in, func() map[string]any {
		return map[string]any{
			"size":  []uint64{Addr32.Size(t), Addr64.Size(t)},
			"align": []uint64{Addr32.Alignment(t), Addr64.Alignment(t)},
			"flat":  [][]string{coreNames(Addr32.Flatten(t)), coreNames(Addr64.Flatten(t))},
		}
	}}
}

func flattenFuncCase(name string, addr AddrType, params, results []Type, c Canon, async, callback bool) diffCase {
	in := world{addr: addr}.json("flatten_func")
	pj, rj := []any{}, []any{}
	for _, t := range params {
		pj = append(pj, typeJSON(t))
	}
	for _, t := range results {
		rj = append(rj, typeJSON(t))
	}
	in["params"], in["results"], in["context"], in["async"], in["callback"] = pj, rj, c.String(), async, callback
	return diffCase{name, in, func() map[string]any {
		ft := FlattenFunc(Options{Addr: addr, Async: async, Callback: callback}, params, results, c)
		return map[string]any{"params": coreNames(ft.Params), "results": coreNames(ft.Results)}
	}}
}

// encodeString returns s encoded as a memory with the given encoding would
// hold it, and the tagged code units.
func encodeString(s string, src SourceEncoding, addr AddrType) ([]byte, uint64) {
	switch src {
	case SourceUTF16:
		b := appendUTF16LE(nil, s)
		return b, uint64(len(b) / 2)
	case SourceCompactUTF16:
		b := appendUTF16LE(nil, s)
		return b, uint64(len(b)/2) | addr.utf16Tag()
	case SourceLatin1:
		b := appendLatin1(nil, s)
		return b, uint64(len(b))
	}
	return []byte(s), uint64(len(s))
}

func fitsLatin1(s string) bool {
	for _, r := range s {
		if r > 0xff {
			return false
		}
	}
	return true
}

func differentialCases() []diffCase {
	var cases []diffCase
	add := func(c ...diffCase) { cases = append(cases, c...) }
	noRes := map[string]*ResourceType{}
	addrs := []AddrType{Addr32, Addr64}
	encs := []StringEncoding{UTF8, UTF16, Latin1UTF16}

	// Every string transcoding, as run_tests.py's test_string: lift from
	// each source encoding, then lower into each destination encoding with
	// the lifted source recorded (which decides the realloc pattern).
	for _, addr := range addrs {
		for _, s := range funStrings {
			for _, src := range []SourceEncoding{SourceUTF8, SourceUTF16, SourceLatin1, SourceCompactUTF16} {
				if src == SourceLatin1 && !fitsLatin1(s) {
					continue
				}
				b, tagged := encodeString(s, src, addr)
				srcEnc := map[SourceEncoding]StringEncoding{SourceUTF8: UTF8, SourceUTF16: UTF16, SourceLatin1: Latin1UTF16, SourceCompactUTF16: Latin1UTF16}[src]
				mem := make([]byte, 8+len(b))
				copy(mem[8:], b)
				w := world{addr: addr, enc: srcEnc, mem: mem}
				name := fmt.Sprintf("string %q from %v (%v)", s, src, addr)
				add(liftCase("lift "+name, w, noRes, StringType, []uint64{8, tagged}))
				v := String{Text: s, Src: src, CodeUnits: tagged &^ addr.utf16Tag()}
				for _, dst := range encs {
					w := world{addr: addr, enc: dst, mem: make([]byte, 16+6*len(s)+8), heap: 8}
					add(lowerCase(fmt.Sprintf("lower %s to %v", name, dst), w, noRes, StringType, v))
					add(storeCase(fmt.Sprintf("store %s to %v", name, dst), w, noRes, StringType, v, 0))
				}
			}
		}
	}

	// Strings that must trap, or not: bad UTF-8 and UTF-16, bounds,
	// alignment, lengths.
	for _, addr := range addrs {
		tag := addr.utf16Tag()
		for _, bad := range [][]byte{{0xff}, {0xc3}, {0xe0, 0x80}, {0xed, 0xa0, 0x80}, {0xc0, 0x80}, {0xf4, 0x90, 0x80, 0x80}, {0xf0, 0x9f, 0x98}, {'a', 0x80}, {0xe2, 0x82, 0xac}} {
			mem := append(make([]byte, 8), bad...)
			add(liftCase(fmt.Sprintf("utf-8 % x (%v)", bad, addr), world{addr: addr, enc: UTF8, mem: mem}, noRes, StringType, []uint64{8, uint64(len(bad))}))
		}
		for _, bad := range [][]uint16{{0xd800}, {0xdc00}, {0xd800, 'a'}, {'a', 0xdfff}, {0xd83d, 0xde00}, {0xdbff, 0xdfff}, {0xd800, 0xd800}} {
			var b []byte
			for _, u := range bad {
				b = append(b, byte(u), byte(u>>8))
			}
			mem := append(make([]byte, 8), b...)
			n := uint64(len(bad))
			add(liftCase(fmt.Sprintf("utf-16 %04x (%v)", bad, addr), world{addr: addr, enc: UTF16, mem: mem}, noRes, StringType, []uint64{8, n}))
			add(liftCase(fmt.Sprintf("latin1+utf16 %04x (%v)", bad, addr), world{addr: addr, enc: Latin1UTF16, mem: mem}, noRes, StringType, []uint64{8, n | tag}))
		}
		mem := []byte("..hello.")
		for _, enc := range encs {
			for _, pl := range [][2]uint64{{0, 0}, {8, 0}, {9, 0}, {0xdeadbeef, 0}, {3, 2}, {2, 3}, {7, 1}, {7, 2}, {0, 1 << 28}, {0, 1<<28 - 1}, {0, tag | 1}, {1, tag}, {0, tag | 4}, {0, tag | 5}, {0, tag - 1}, {0, 1<<32 - 1}} {
				add(liftCase(fmt.Sprintf("string ptr %#x len %#x %v (%v)", pl[0], pl[1], enc, addr), world{addr: addr, enc: enc, mem: mem}, noRes, StringType, pl[:]))
			}
		}
	}

	// Scalars at their boundaries (run_tests.py's test_pairs), chars, NaNs.
	w := world{}
	for _, i := range []uint64{0, 1, 2, 127, 128, 255, 256, 32767, 32768, 65535, 65536, 1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, 1<<64 - 1} {
		for _, p := range []PrimType{BoolType, S8Type, U8Type, S16Type, U16Type, S32Type, U32Type, S64Type, U64Type} {
			if i >= 1<<32 && Flatten(p)[0] == CoreI32 {
				continue
			}
			add(liftCase(fmt.Sprintf("%v %#x", p, i), w, noRes, p, []uint64{i}))
		}
	}
	for _, c := range []uint64{0, 65, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0x10ffff, 0x110000, 0xffffffff} {
		add(liftCase(fmt.Sprintf("char %#x", c), w, noRes, CharType, []uint64{c}))
		var b [4]byte
		b[0], b[1], b[2], b[3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
		add(loadCase(fmt.Sprintf("load char %#x", c), world{mem: b[:]}, noRes, CharType, 0))
	}
	for _, bits := range specialF32 {
		add(liftCase(fmt.Sprintf("f32 %#x", bits), w, noRes, F32Type, []uint64{uint64(bits)}))
		add(loadCase(fmt.Sprintf("load f32 %#x", bits), world{mem: []byte{byte(bits), byte(bits >> 8), byte(bits >> 16), byte(bits >> 24)}}, noRes, F32Type, 0))
		add(lowerCase(fmt.Sprintf("lower f32 %#x", bits), w, noRes, F32Type, F32(math.Float32frombits(bits))))
	}
	for _, bits := range specialF64 {
		add(liftCase(fmt.Sprintf("f64 %#x", bits), w, noRes, F64Type, []uint64{bits}))
		add(lowerCase(fmt.Sprintf("lower f64 %#x", bits), w, noRes, F64Type, F64(math.Float64frombits(bits))))
	}

	// Variants whose payloads join different core types (run_tests.py's
	// variant tests, plus i64/f32/f64 joins), with garbage in unused slots.
	joined := []Type{
		&VariantType{Cases: []CaseType{{"x", U8Type}, {"y", F32Type}, {"z", nil}}},
		&VariantType{Cases: []CaseType{{"a", F32Type}, {"b", U64Type}, {"c", F64Type}, {"d", S8Type}}},
		&VariantType{Cases: []CaseType{{"a", &TupleType{Types: []Type{F32Type, F64Type}}}, {"b", &TupleType{Types: []Type{F64Type, F32Type, U8Type}}}, {"c", StringType}}},
		&OptionType{Elem: F32Type},
		&ResultType{Ok: U8Type, Err: U32Type},
		&ResultType{Ok: F64Type, Err: &ListType{Elem: F32Type, Len: 2}},
		&EnumType{Labels: labels("e", 300)},
		&VariantType{Cases: []CaseType{{"w", U8Type}, {"y", U8Type}}},
	}
	slotVals := []uint64{0, 42, 256, 0x4048f5c3, 0x7fc00001, 0xffffffff, 0x123456789abcdef0, 1<<64 - 1}
	for ti, t := range joined {
		n := int(flatCount(t))
		for d := range uint64(numCases(t) + 1) {
			for k, sv := range slotVals {
				flat := make([]uint64, n)
				flat[0] = d
				for j := 1; j < n; j++ {
					flat[j] = slotVals[(k+j)%len(slotVals)]
					if j == 1 {
						flat[j] = sv
					}
				}
				// Keep i32 and f32 slots 32-bit: the spec asserts that.
				for j, ct := range Addr32.Flatten(t) {
					if ct == CoreI32 || ct == CoreF32 {
						flat[j] &= 0xffffffff
					}
				}
				add(liftCase(fmt.Sprintf("joined %d case %d slot %#x", ti, d, sv), world{mem: make([]byte, 64)}, noRes, t, flat))
			}
		}
		g := newGen(uint64(ti))
		for range 8 {
			add(lowerCase(fmt.Sprintf("lower joined %d", ti), world{mem: make([]byte, 256), heap: 16}, noRes, t, g.value(t)))
		}
	}

	// Flags around the 8/16/32 boundaries, with bits above the labels.
	for _, n := range []int{1, 2, 8, 9, 16, 17, 31, 32} {
		t := &FlagsType{Labels: labels("f", n)}
		for _, bits := range []uint64{0, 1, 0x155, 0xffff, 0x1ffff, 0xffffffff} {
			add(liftCase(fmt.Sprintf("flags %d %#x", n, bits), w, noRes, t, []uint64{bits}))
			mem := []byte{byte(bits), byte(bits >> 8), byte(bits >> 16), byte(bits >> 24)}
			add(loadCase(fmt.Sprintf("load flags %d %#x", n, bits), world{mem: mem}, noRes, t, 0))
		}
	}

	// Lists out of bounds, misaligned, too long; a map.
	for _, addr := range addrs {
		mem := make([]byte, 64)
		for i := range mem {
			mem[i] = byte(i * 7)
		}
		for _, elem := range []Type{U8Type, U16Type, U32Type, U64Type, StringType, &TupleType{Types: []Type{U16Type, U8Type}}} {
			for _, pl := range [][2]uint64{{0, 0}, {0, 4}, {1, 2}, {2, 3}, {60, 1}, {64, 0}, {65, 0}, {0, 1 << 28}, {0, 1<<32 - 1}, {8, 1<<64 - 1}} {
				if addr == Addr32 && pl[1] >= 1<<32 {
					continue
				}
				add(liftCase(fmt.Sprintf("list<%v> %v (%v)", elem, pl, addr), world{addr: addr, mem: mem}, noRes, &ListType{Elem: elem}, pl[:]))
			}
		}
	}
	add(liftCase("map", world{mem: []byte{42, 0xff, 83, 0, 43, 0xff, 84, 0}}, noRes, &MapType{Key: U8Type, Value: U16Type}, []uint64{0, 2}))

	// realloc returning misaligned or out-of-bounds pointers.
	for _, mode := range []string{"misalign", "oob"} {
		for _, addr := range addrs {
			for _, enc := range encs {
				wm := world{addr: addr, enc: enc, mem: make([]byte, 64), heap: 8, realloc: mode}
				for _, s := range []string{"", "abc", "é", "😀", "aé😀"} {
					for _, src := range []SourceEncoding{SourceUTF8, SourceUTF16, SourceLatin1, SourceCompactUTF16} {
						add(lowerCase(fmt.Sprintf("%s realloc %q %v->%v", mode, s, src, enc), wm, noRes, StringType, stringAs(s, src)))
					}
				}
				add(lowerCase(mode+" realloc list<u32>", wm, noRes, &ListType{Elem: U32Type}, List{U32(1), U32(2)}))
				add(lowerCase(mode+" realloc list<u8>", wm, noRes, &ListType{Elem: U8Type}, Bytes{}))
			}
		}
	}

	// Handles: own and borrow lifted from and lowered into a table.
	mkRts := func() map[string]*ResourceType {
		return map[string]*ResourceType{"a": {Name: "a"}, "b": {Name: "b"}, "self": {Name: "self"}}
	}
	rts := mkRts()
	resources := []resSpec{{"a", false}, {"b", false}, {"self", true}}
	handles := []handleSpec{{"a", 10, true}, {"b", 20, true}, {"a", 30, false}, {"self", 40, true}}
	hw := world{mem: make([]byte, 64), heap: 32, resources: resources, handles: handles}
	for i := range uint64(6) {
		for _, t := range []Type{&OwnType{Resource: rts["a"]}, &BorrowType{Resource: rts["a"]}, &OwnType{Resource: rts["self"]}, &BorrowType{Resource: rts["self"]}} {
			add(liftCase(fmt.Sprintf("lift %v index %d", t, i), hw, rts, t, []uint64{i}))
		}
	}
	pair := &TupleType{Types: []Type{&BorrowType{Resource: rts["a"]}, &OwnType{Resource: rts["a"]}}}
	add(liftCase("lend then move", hw, rts, pair, []uint64{1, 1}))
	add(liftCase("move then lend", hw, rts, &TupleType{Types: []Type{&OwnType{Resource: rts["a"]}, &BorrowType{Resource: rts["a"]}}}, []uint64{1, 1}))
	add(liftCase("lend twice", hw, rts, &TupleType{Types: []Type{&BorrowType{Resource: rts["a"]}, &BorrowType{Resource: rts["a"]}}}, []uint64{1, 1}))
	for _, t := range []Type{&OwnType{Resource: rts["b"]}, &BorrowType{Resource: rts["b"]}, &BorrowType{Resource: rts["self"]}} {
		add(lowerCase(fmt.Sprintf("lower %v", t), hw, rts, t, Handle{Rep: 77}))
		add(storeCase(fmt.Sprintf("store %v", t), hw, rts, t, Handle{Rep: 78}, 4))
	}

	// Function types.
	g := newGen(1)
	for i := range 200 {
		params := make([]Type, g.r.IntN(20))
		for j := range params {
			params[j] = g.typ(2)
		}
		results := make([]Type, g.r.IntN(3))
		for j := range results {
			results[j] = g.typ(2)
		}
		addr := addrs[i%2]
		for _, c := range []Canon{CanonLift, CanonLower} {
			for _, async := range []bool{false, true} {
				add(flattenFuncCase(fmt.Sprintf("flatten_func %d %v async=%v", i, c, async), addr, params, results, c, async, async && i%3 == 0))
			}
		}
	}

	// Random types and values: layout, store then load, lower then lift,
	// with the memory or a flat value sometimes corrupted.
	rtsR := mkRts()
	g = newGen(2, rtsR["a"], rtsR["b"], rtsR["self"])
	for i := range 1500 {
		t := g.typ(4)
		if err := Validate(t); err != nil {
			continue
		}
		addr := addrs[i%2]
		enc := encs[(i/2)%3]
		add(layoutCase(fmt.Sprintf("layout %d %v", i, t), t))
		v := g.value(t)
		ptr := alignTo(uint64(g.r.IntN(64)), addr.Alignment(t))
		if ptr+addr.Size(t) > 512 {
			continue
		}
		ws := world{addr: addr, enc: enc, mem: make([]byte, 1024), heap: 512, resources: resources}
		add(storeCase(fmt.Sprintf("store %d %v", i, t), ws, rtsR, t, v, ptr))
		add(lowerCase(fmt.Sprintf("lower %d %v", i, t), ws, rtsR, t, v))

		// Reuse the Go store's memory and handle table as the input of a
		// load (the store itself is compared above).
		gw := ws.build(rtsR)
		if err := Store(gw.cx, t, v, ptr); err == nil {
			wl := ws
			wl.mem = append([]byte(nil), gw.heap.mem...)
			wl.heap = gw.heap.next
			wl.handles = nil
			for _, e := range gw.cx.Instance.Handles.All() {
				h := e.(*ResourceHandle)
				wl.handles = append(wl.handles, handleSpec{gw.names[h.Type], h.Rep, h.Own})
			}
			if g.r.IntN(3) == 0 {
				for range 1 + g.r.IntN(3) {
					wl.mem[g.r.IntN(len(wl.mem))] ^= byte(1 << g.r.IntN(8))
				}
			}
			add(loadCase(fmt.Sprintf("load %d %v", i, t), wl, rtsR, t, ptr))
		}
		gw = ws.build(rtsR)
		if flat, err := Lower(gw.cx, t, v); err == nil {
			wl := ws
			wl.mem = append([]byte(nil), gw.heap.mem...)
			wl.heap = gw.heap.next
			wl.handles = nil
			for _, e := range gw.cx.Instance.Handles.All() {
				h := e.(*ResourceHandle)
				wl.handles = append(wl.handles, handleSpec{gw.names[h.Type], h.Rep, h.Own})
			}
			if len(flat) > 0 && g.r.IntN(3) == 0 {
				j := g.r.IntN(len(flat))
				flat[j] ^= 1 << g.r.IntN(8)
			}
			add(liftCase(fmt.Sprintf("lift %d %v", i, t), wl, rtsR, t, flat))
		}
	}

	// Whole parameter/result lists, flat and spilled.
	g = newGen(3)
	for i := range 300 {
		ts := make([]Type, g.r.IntN(20))
		vs := make([]Value, len(ts))
		for j := range ts {
			ts[j] = g.typ(2)
			vs[j] = g.value(ts[j])
		}
		addr := addrs[i%2]
		maxFlat := []int{MaxFlatParams, MaxFlatResults, MaxFlatAsyncParams, 0}[i%4]
		ws := world{addr: addr, enc: encs[i%3], mem: make([]byte, 2048), heap: 1024}
		add(lowerValuesCase(fmt.Sprintf("lower values %d", i), ws, noRes, ts, vs, maxFlat, nil))
		_, size := addr.Alignment(&TupleType{Types: ts}), addr.Size(&TupleType{Types: ts})
		if len(ts) == 0 {
			size = 0
		}
		retptr := alignTo(uint64(g.r.IntN(32)), 8)
		if i%5 == 0 {
			retptr++ // misaligned, if the values spill to memory
		}
		if retptr+size <= 1024 {
			add(lowerValuesCase(fmt.Sprintf("lower values %d to %#x", i, retptr), ws, noRes, ts, vs, maxFlat, &retptr))
		}
		gw := ws.build(noRes)
		if flat, err := LowerValues(gw.cx, maxFlat, ts, vs); err == nil {
			wl := ws
			wl.mem = append([]byte(nil), gw.heap.mem...)
			wl.heap = gw.heap.next
			add(liftValuesCase(fmt.Sprintf("lift values %d", i), wl, noRes, ts, maxFlat, flat))
			if len(flat) == 1 && flatCountTypes(ts) > uint64(maxFlat) {
				add(liftValuesCase(fmt.Sprintf("lift values %d misaligned", i), wl, noRes, ts, maxFlat, []uint64{flat[0] + 1}))
				add(liftValuesCase(fmt.Sprintf("lift values %d out of bounds", i), wl, noRes, ts, maxFlat, []uint64{uint64(len(wl.mem))}))
			}
		}
	}
	return cases
}

// TestDifferentialCasesAreGood makes sure the generated cases are not
// trivially all traps, independently of python.
func TestDifferentialCasesAreGood(t *testing.T) {
	cases := differentialCases()
	traps, errs := 0, 0
	for _, c := range cases {
		r := c.run()
		if _, ok := r["trap"]; ok {
			traps++
		}
		if e, ok := r["error"]; ok {
			errs++
			if errs < 5 {
				t.Errorf("%s: %v", c.name, e)
			}
		}
	}
	if traps*2 > len(cases) {
		t.Errorf("%d of %d cases trap", traps, len(cases))
	}
	if testing.Verbose() {
		t.Logf("%d cases, %d traps", len(cases), traps)
	}
}
