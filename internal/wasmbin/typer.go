package wasmbin

import (
	"errors"
	"fmt"
)

// Typer tracks the operand stack through a function body, one instruction
// at a time, following the validation algorithm of the spec's appendix
// (https://webassembly.github.io/spec/core/appendix/algorithm.html).
//
// It is the half of validation an instrumenter needs: before each
// instruction it knows the types on the stack, which of them belong to the
// innermost block, and whether the code is unreachable. It checks operand
// types, label and index ranges and block structure; it does not check
// what does not affect the stack (e.g. that ref.func names a declared
// function or that data.drop has a data count section).
//
// In unreachable code, values whose type nothing constrains are Unknown.
type Typer struct {
	m       *Module
	funcIdx int
	locals  []ValType
	results []ValType
	vals    []ValType
	ctrls   []ctrlFrame
	done    bool
	scratch []ValType

	// Imported entities by kind, so index lookups are O(1).
	impFuncs   []uint32
	impTables  []TableType
	impMems    []MemType
	impGlobals []GlobalType
	impTags    []uint32
}

type ctrlFrame struct {
	op          Op // OpBlock, OpLoop, OpIf, OpElse, OpTry, OpCatch, OpCatchAll, OpTryTable; OpEnd for the function body
	params      []ValType
	results     []ValType
	height      int
	unreachable bool
}

// NewTyper returns a Typer positioned before the first instruction of
// defined function defIdx (an index into m.Funcs and m.Code).
func NewTyper(m *Module, defIdx int) (*Typer, error) {
	if defIdx < 0 || defIdx >= len(m.Funcs) || defIdx >= len(m.Code) {
		return nil, fmt.Errorf("no defined function %d (module has %d)", defIdx, len(m.Code))
	}
	ft, ok := m.typeAt(m.Funcs[defIdx])
	if !ok {
		return nil, fmt.Errorf("function %d: type index %d out of range", m.NumImportedFuncs()+defIdx, m.Funcs[defIdx])
	}
	t := &Typer{m: m, results: ft.Results}
	for i := range m.Imports {
		imp := &m.Imports[i]
		switch imp.Kind {
		case FuncKind:
			t.impFuncs = append(t.impFuncs, imp.Func)
		case TableKind:
			t.impTables = append(t.impTables, imp.Table)
		case MemoryKind:
			t.impMems = append(t.impMems, imp.Mem)
		case GlobalKind:
			t.impGlobals = append(t.impGlobals, imp.Global)
		case TagKind:
			t.impTags = append(t.impTags, imp.Tag)
		}
	}
	t.funcIdx = len(t.impFuncs) + defIdx
	t.locals = m.LocalTypes(defIdx)
	t.ctrls = append(t.ctrls, ctrlFrame{op: OpEnd, results: ft.Results})
	return t, nil
}

// TypeCheck decodes and types the body of defined function defIdx.
func (m *Module) TypeCheck(defIdx int) error {
	instrs, err := m.DecodeFunc(defIdx)
	if err != nil {
		return err
	}
	t, err := NewTyper(m, defIdx)
	if err != nil {
		return err
	}
	for i := range instrs {
		if err := t.Step(&instrs[i]); err != nil {
			return err
		}
	}
	if !t.Done() {
		return fmt.Errorf("function %d: body ends inside a block", t.funcIdx)
	}
	return nil
}

// Stack returns the operand stack before the next instruction, bottom
// first, across all open frames. It is valid until the next Step.
func (t *Typer) Stack() []ValType { return t.vals }

// FrameBase returns the index in Stack() where the innermost control
// frame's operands start.
func (t *Typer) FrameBase() int {
	if len(t.ctrls) == 0 {
		return 0
	}
	return t.ctrls[len(t.ctrls)-1].height
}

// Unreachable reports whether the innermost frame is stack-polymorphic
// (after br, return, unreachable, throw, ...).
func (t *Typer) Unreachable() bool {
	return len(t.ctrls) > 0 && t.ctrls[len(t.ctrls)-1].unreachable
}

// Depth returns the number of open control frames: 1 inside the function
// body only, 0 after its final end.
func (t *Typer) Depth() int { return len(t.ctrls) }

// Done reports whether the function's final end has been stepped over.
func (t *Typer) Done() bool { return t.done }

// LabelTypes returns the types a branch to label depth carries: a loop's
// params, any other block's results. nil if depth is out of range.
func (t *Typer) LabelTypes(depth uint32) []ValType {
	if uint64(depth) >= uint64(len(t.ctrls)) {
		return nil
	}
	return labelTypes(&t.ctrls[len(t.ctrls)-1-int(depth)])
}

func labelTypes(f *ctrlFrame) []ValType {
	if f.op == OpLoop {
		return f.params
	}
	return f.results
}

// Step applies the typing rule of in. A failure is a *CodeError naming the
// function, the instruction's offset and the opcode; after one, the Typer
// should not be used further.
func (t *Typer) Step(in *Instr) error {
	var err error
	if t.done {
		err = errors.New("instruction after the function's final end")
	} else {
		err = t.step(in)
	}
	if err != nil {
		return &CodeError{Func: t.funcIdx, Off: in.Off, File: t.m.FileOffset(in.Off), Err: fmt.Errorf("%s: %w", in.Op, err)}
	}
	return nil
}

// Operand stack primitives, as in the spec's algorithm.

func (t *Typer) push(v ValType) { t.vals = append(t.vals, v) }

func (t *Typer) pushVals(vs []ValType) { t.vals = append(t.vals, vs...) }

func (t *Typer) pop(want ValType) (ValType, error) {
	f := &t.ctrls[len(t.ctrls)-1]
	if len(t.vals) == f.height {
		if f.unreachable {
			return want, nil
		}
		if want == Unknown {
			return 0, errors.New("expected a value but the stack is empty")
		}
		return 0, fmt.Errorf("expected %s but the stack is empty", want)
	}
	got := t.vals[len(t.vals)-1]
	t.vals = t.vals[:len(t.vals)-1]
	if want == Unknown {
		return got, nil
	}
	if got != want && got != Unknown {
		return 0, fmt.Errorf("type mismatch: expected %s, got %s", want, got)
	}
	return want, nil
}

func (t *Typer) popVals(ts []ValType) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := t.pop(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (t *Typer) pushCtrl(op Op, params, results []ValType) {
	t.ctrls = append(t.ctrls, ctrlFrame{op: op, params: params, results: results, height: len(t.vals)})
	t.pushVals(params)
}

func (t *Typer) popCtrl() (ctrlFrame, error) {
	f := t.ctrls[len(t.ctrls)-1]
	if err := t.popVals(f.results); err != nil {
		return f, err
	}
	if len(t.vals) != f.height {
		return f, fmt.Errorf("%d extra values on the stack at the end of the block (block results are %s)",
			len(t.vals)-f.height, valTypeList(f.results))
	}
	t.ctrls = t.ctrls[:len(t.ctrls)-1]
	return f, nil
}

func (t *Typer) setUnreachable() {
	f := &t.ctrls[len(t.ctrls)-1]
	t.vals = t.vals[:f.height]
	f.unreachable = true
}

func (t *Typer) label(l uint32) (*ctrlFrame, error) {
	if uint64(l) >= uint64(len(t.ctrls)) {
		return nil, fmt.Errorf("label %d out of range (%d enclosing blocks)", l, len(t.ctrls))
	}
	return &t.ctrls[len(t.ctrls)-1-int(l)], nil
}

// Index-space lookups.

func (t *Typer) funcType(idx uint32) (FuncType, error) {
	var ti uint32
	if uint64(idx) < uint64(len(t.impFuncs)) {
		ti = t.impFuncs[idx]
	} else if d := uint64(idx) - uint64(len(t.impFuncs)); d < uint64(len(t.m.Funcs)) {
		ti = t.m.Funcs[d]
	} else {
		return FuncType{}, fmt.Errorf("function index %d out of range", idx)
	}
	return t.typeIdx(ti)
}

func (t *Typer) typeIdx(ti uint32) (FuncType, error) {
	ft, ok := t.m.typeAt(ti)
	if !ok {
		return FuncType{}, fmt.Errorf("type index %d out of range", ti)
	}
	return ft, nil
}

func (t *Typer) table(idx uint32) (TableType, error) {
	if uint64(idx) < uint64(len(t.impTables)) {
		return t.impTables[idx], nil
	}
	if d := uint64(idx) - uint64(len(t.impTables)); d < uint64(len(t.m.Tables)) {
		return t.m.Tables[d], nil
	}
	return TableType{}, fmt.Errorf("table index %d out of range", idx)
}

func (t *Typer) mem(idx uint32) (MemType, error) {
	if uint64(idx) < uint64(len(t.impMems)) {
		return t.impMems[idx], nil
	}
	if d := uint64(idx) - uint64(len(t.impMems)); d < uint64(len(t.m.Mems)) {
		return t.m.Mems[d], nil
	}
	return MemType{}, fmt.Errorf("memory index %d out of range", idx)
}

func (t *Typer) global(idx uint32) (GlobalType, error) {
	if uint64(idx) < uint64(len(t.impGlobals)) {
		return t.impGlobals[idx], nil
	}
	if d := uint64(idx) - uint64(len(t.impGlobals)); d < uint64(len(t.m.Globals)) {
		return t.m.Globals[d].Type, nil
	}
	return GlobalType{}, fmt.Errorf("global index %d out of range", idx)
}

func (t *Typer) tag(idx uint32) (FuncType, error) {
	var ti uint32
	if uint64(idx) < uint64(len(t.impTags)) {
		ti = t.impTags[idx]
	} else if d := uint64(idx) - uint64(len(t.impTags)); d < uint64(len(t.m.Tags)) {
		ti = t.m.Tags[d]
	} else {
		return FuncType{}, fmt.Errorf("tag index %d out of range", idx)
	}
	return t.typeIdx(ti)
}

func addrType(l Limits) ValType {
	if l.Is64 {
		return I64
	}
	return I32
}

func minAddr(a, b ValType) ValType {
	if a == I32 || b == I32 {
		return I32
	}
	return I64
}

func (t *Typer) memAddr(idx uint32) (ValType, error) {
	mt, err := t.mem(idx)
	return addrType(mt.Limits), err
}

func (t *Typer) tableAddr(idx uint32) (TableType, ValType, error) {
	tt, err := t.table(idx)
	return tt, addrType(tt.Limits), err
}

// singleResult holds one-element result lists for BlockVal block types,
// so typing a block does not allocate.
var singleResult = func() map[ValType][]ValType {
	m := map[ValType][]ValType{}
	for _, v := range []ValType{I32, I64, F32, F64, V128, FuncRef, ExternRef, ExnRef} {
		m[v] = []ValType{v}
	}
	return m
}()

func (t *Typer) blockSig(bt BlockType) ([]ValType, []ValType, error) {
	switch bt.Kind {
	case BlockEmpty:
		return nil, nil, nil
	case BlockVal:
		if r, ok := singleResult[bt.Val]; ok {
			return nil, r, nil
		}
		return nil, nil, fmt.Errorf("invalid block type %s", bt.Val)
	}
	ft, err := t.typeIdx(bt.TypeIndex)
	return ft.Params, ft.Results, err
}

func (t *Typer) step(in *Instr) error {
	d := lookupOp(in.Op)
	if d == nil {
		return fmt.Errorf("%w", ErrUnknownOpcode)
	}
	if !d.special {
		return t.stepTable(d, in)
	}
	switch in.Op {
	case OpUnreachable:
		t.setUnreachable()

	case OpBlock, OpLoop, OpIf, OpTry, OpTryTable:
		params, results, err := t.blockSig(in.Block)
		if err != nil {
			return err
		}
		if in.Op == OpIf {
			if _, err := t.pop(I32); err != nil {
				return err
			}
		}
		if in.Op == OpTryTable {
			if err := t.checkCatches(in.Catches); err != nil {
				return err
			}
		}
		if err := t.popVals(params); err != nil {
			return err
		}
		t.pushCtrl(in.Op, params, results)

	case OpElse:
		if t.ctrls[len(t.ctrls)-1].op != OpIf {
			return errors.New("else without a matching if")
		}
		f, err := t.popCtrl()
		if err != nil {
			return err
		}
		t.pushCtrl(OpElse, f.params, f.results)

	case OpEnd:
		f, err := t.popCtrl()
		if err != nil {
			return err
		}
		if f.op == OpIf && !sameTypes(f.params, f.results) {
			return fmt.Errorf("if without else must leave its params %s as its results %s", valTypeList(f.params), valTypeList(f.results))
		}
		t.pushVals(f.results)
		if len(t.ctrls) == 0 {
			t.done = true
		}

	case OpCatch, OpCatchAll:
		if op := t.ctrls[len(t.ctrls)-1].op; op != OpTry && op != OpCatch {
			return fmt.Errorf("%s outside a try block", in.Op)
		}
		var params []ValType
		if in.Op == OpCatch {
			tt, err := t.tag(in.Index)
			if err != nil {
				return err
			}
			params = tt.Params
		}
		f, err := t.popCtrl()
		if err != nil {
			return err
		}
		t.pushCtrl(in.Op, params, f.results)

	case OpDelegate:
		if t.ctrls[len(t.ctrls)-1].op != OpTry {
			return errors.New("delegate must end a try block without catches")
		}
		f, err := t.popCtrl()
		if err != nil {
			return err
		}
		if len(t.ctrls) == 0 {
			return errors.New("delegate closes the function body")
		}
		if _, err := t.label(in.Index); err != nil {
			return err
		}
		t.pushVals(f.results)

	case OpRethrow:
		f, err := t.label(in.Index)
		if err != nil {
			return err
		}
		if f.op != OpCatch && f.op != OpCatchAll {
			return fmt.Errorf("label %d is not a catch block", in.Index)
		}
		t.setUnreachable()

	case OpThrow:
		tt, err := t.tag(in.Index)
		if err != nil {
			return err
		}
		if err := t.popVals(tt.Params); err != nil {
			return err
		}
		t.setUnreachable()

	case OpThrowRef:
		if _, err := t.pop(ExnRef); err != nil {
			return err
		}
		t.setUnreachable()

	case OpBr:
		f, err := t.label(in.Index)
		if err != nil {
			return err
		}
		if err := t.popVals(labelTypes(f)); err != nil {
			return err
		}
		t.setUnreachable()

	case OpBrIf:
		f, err := t.label(in.Index)
		if err != nil {
			return err
		}
		if _, err := t.pop(I32); err != nil {
			return err
		}
		lt := labelTypes(f)
		if err := t.popVals(lt); err != nil {
			return err
		}
		t.pushVals(lt)

	case OpBrTable:
		return t.brTable(in)

	case OpReturn:
		if err := t.popVals(t.results); err != nil {
			return err
		}
		t.setUnreachable()

	case OpCall, OpReturnCall:
		ft, err := t.funcType(in.Index)
		if err != nil {
			return err
		}
		return t.call(in.Op == OpReturnCall, ft)

	case OpCallIndirect, OpReturnCallIndirect:
		tt, at, err := t.tableAddr(in.Index2)
		if err != nil {
			return err
		}
		if tt.Elem != FuncRef {
			return fmt.Errorf("table %d has element type %s, not funcref", in.Index2, tt.Elem)
		}
		ft, err := t.typeIdx(in.Index)
		if err != nil {
			return err
		}
		if _, err := t.pop(at); err != nil {
			return err
		}
		return t.call(in.Op == OpReturnCallIndirect, ft)

	case OpDrop:
		_, err := t.pop(Unknown)
		return err

	case OpSelect:
		return t.selectUntyped()

	case OpSelectT:
		if len(in.Types) != 1 {
			return fmt.Errorf("typed select must have exactly one type, has %d", len(in.Types))
		}
		vt := in.Types[0]
		if _, err := t.pop(I32); err != nil {
			return err
		}
		if _, err := t.pop(vt); err != nil {
			return err
		}
		if _, err := t.pop(vt); err != nil {
			return err
		}
		t.push(vt)

	case OpLocalGet, OpLocalSet, OpLocalTee:
		if uint64(in.Index) >= uint64(len(t.locals)) {
			return fmt.Errorf("local index %d out of range (%d locals)", in.Index, len(t.locals))
		}
		lt := t.locals[in.Index]
		if in.Op != OpLocalGet {
			if _, err := t.pop(lt); err != nil {
				return err
			}
		}
		if in.Op != OpLocalSet {
			t.push(lt)
		}

	case OpGlobalGet, OpGlobalSet:
		gt, err := t.global(in.Index)
		if err != nil {
			return err
		}
		if in.Op == OpGlobalGet {
			t.push(gt.Type)
			return nil
		}
		if !gt.Mutable {
			return fmt.Errorf("global %d is immutable", in.Index)
		}
		_, err = t.pop(gt.Type)
		return err

	case OpTableGet, OpTableSet, OpTableSize, OpTableGrow, OpTableFill:
		return t.tableOp(in)

	case OpTableCopy:
		_, dt, err := t.tableAddr(in.Index)
		if err != nil {
			return err
		}
		_, st, err := t.tableAddr(in.Index2)
		if err != nil {
			return err
		}
		return t.popAll(dt, st, minAddr(dt, st))

	case OpTableInit:
		if uint64(in.Index) >= uint64(len(t.m.Elems)) {
			return fmt.Errorf("element segment %d out of range", in.Index)
		}
		_, at, err := t.tableAddr(in.Index2)
		if err != nil {
			return err
		}
		return t.popAll(at, I32, I32)

	case OpMemoryInit:
		if uint64(in.Index) >= uint64(len(t.m.Datas)) {
			return fmt.Errorf("data segment %d out of range", in.Index)
		}
		at, err := t.memAddr(in.Index2)
		if err != nil {
			return err
		}
		return t.popAll(at, I32, I32)

	case OpMemoryCopy:
		dt, err := t.memAddr(in.Index)
		if err != nil {
			return err
		}
		st, err := t.memAddr(in.Index2)
		if err != nil {
			return err
		}
		return t.popAll(dt, st, minAddr(dt, st))

	case OpRefNull:
		t.push(ValType(in.Index))

	case OpRefIsNull:
		v, err := t.pop(Unknown)
		if err != nil {
			return err
		}
		if v != Unknown && !v.IsRef() {
			return fmt.Errorf("expected a reference, got %s", v)
		}
		t.push(I32)

	case OpRefFunc:
		if _, err := t.funcType(in.Index); err != nil {
			return err
		}
		t.push(FuncRef)

	default:
		return fmt.Errorf("internal error: no typing rule")
	}
	return nil
}

// popAll pops operands given bottom first.
func (t *Typer) popAll(ts ...ValType) error { return t.popVals(ts) }

func (t *Typer) call(tail bool, ft FuncType) error {
	if err := t.popVals(ft.Params); err != nil {
		return err
	}
	if tail {
		if !sameTypes(ft.Results, t.results) {
			return fmt.Errorf("tail call to a function returning %s from one returning %s", valTypeList(ft.Results), valTypeList(t.results))
		}
		t.setUnreachable()
		return nil
	}
	t.pushVals(ft.Results)
	return nil
}

func (t *Typer) brTable(in *Instr) error {
	if len(in.Labels) == 0 {
		return errors.New("br_table without a default label")
	}
	if _, err := t.pop(I32); err != nil {
		return err
	}
	def, err := t.label(in.Labels[len(in.Labels)-1])
	if err != nil {
		return err
	}
	arity := len(labelTypes(def))
	for _, l := range in.Labels[:len(in.Labels)-1] {
		f, err := t.label(l)
		if err != nil {
			return err
		}
		lt := labelTypes(f)
		if len(lt) != arity {
			return fmt.Errorf("br_table targets have different arities (%d and %d)", len(lt), arity)
		}
		// Pop and push back what was actually there, so each target is
		// checked against the same operands.
		base := len(t.vals)
		if err := t.popVals(lt); err != nil {
			return err
		}
		t.restore(base, lt)
	}
	if err := t.popVals(labelTypes(def)); err != nil {
		return err
	}
	t.setUnreachable()
	return nil
}

// restore undoes popVals(lt) after it succeeded: values that were on the
// stack are still in the backing array; values that came from the
// polymorphic bottom take their type from lt.
func (t *Typer) restore(base int, lt []ValType) {
	popped := base - len(t.vals) // values really taken from the stack
	missing := len(lt) - popped  // values conjured from unreachable bottom
	t.scratch = append(t.scratch[:0], lt[:missing]...)
	t.scratch = append(t.scratch, t.vals[len(t.vals):base]...)
	t.vals = append(t.vals, t.scratch...)
}

func (t *Typer) selectUntyped() error {
	if _, err := t.pop(I32); err != nil {
		return err
	}
	t1, err := t.pop(Unknown)
	if err != nil {
		return err
	}
	t2, err := t.pop(Unknown)
	if err != nil {
		return err
	}
	if t1.IsRef() || t2.IsRef() {
		return errors.New("select without a type needs numeric or vector operands; use select with a result type")
	}
	if t1 != t2 && t1 != Unknown && t2 != Unknown {
		return fmt.Errorf("type mismatch: select operands are %s and %s", t2, t1)
	}
	if t1 == Unknown {
		t1 = t2
	}
	t.push(t1)
	return nil
}

func (t *Typer) tableOp(in *Instr) error {
	tt, at, err := t.tableAddr(in.Index)
	if err != nil {
		return err
	}
	switch in.Op {
	case OpTableGet:
		if _, err := t.pop(at); err != nil {
			return err
		}
		t.push(tt.Elem)
	case OpTableSet:
		return t.popAll(at, tt.Elem)
	case OpTableSize:
		t.push(at)
	case OpTableGrow:
		if err := t.popAll(tt.Elem, at); err != nil {
			return err
		}
		t.push(at)
	case OpTableFill:
		return t.popAll(at, tt.Elem, at)
	}
	return nil
}

func (t *Typer) checkCatches(cs []Catch) error {
	for _, c := range cs {
		f, err := t.label(c.Label)
		if err != nil {
			return err
		}
		var want []ValType
		switch c.Kind {
		case CatchTag, CatchRef:
			tt, err := t.tag(c.Tag)
			if err != nil {
				return err
			}
			want = tt.Params
			if c.Kind == CatchRef {
				want = append(want[:len(want):len(want)], ExnRef)
			}
		case CatchAllRef:
			want = []ValType{ExnRef}
		}
		if lt := labelTypes(f); !sameTypes(lt, want) {
			return fmt.Errorf("catch clause delivers %s to label %d, which expects %s", valTypeList(want), c.Label, valTypeList(lt))
		}
	}
	return nil
}

// stepTable applies a fixed signature from the opcode table, resolving the
// address type placeholder and checking the memory immediates.
func (t *Typer) stepTable(d *opInfo, in *Instr) error {
	at := I32
	switch d.imm {
	case immMem, immMemLane:
		var err error
		if at, err = t.memAddr(in.Mem.Mem); err != nil {
			return err
		}
		if in.Op.Prefix() == prefixAtomic {
			if in.Mem.Align != uint32(d.alignLog) {
				return fmt.Errorf("atomic alignment must be %d, got %s", d.natural, alignString(in.Mem.Align))
			}
		} else if in.Mem.Align > uint32(d.alignLog) {
			return fmt.Errorf("alignment %s is larger than natural alignment %d", alignString(in.Mem.Align), d.natural)
		}
		if at == I32 && in.Mem.Offset > 1<<32-1 {
			return fmt.Errorf("offset %d out of range for a 32-bit memory", in.Mem.Offset)
		}
	case immMemIdx:
		var err error
		if at, err = t.memAddr(in.Index); err != nil {
			return err
		}
	case immData:
		if uint64(in.Index) >= uint64(len(t.m.Datas)) {
			return fmt.Errorf("data segment %d out of range", in.Index)
		}
	case immElem:
		if uint64(in.Index) >= uint64(len(t.m.Elems)) {
			return fmt.Errorf("element segment %d out of range", in.Index)
		}
	}
	switch d.imm {
	case immLane, immMemLane:
		if in.Index >= uint32(d.lanes) {
			return fmt.Errorf("lane index %d out of range (%d lanes)", in.Index, d.lanes)
		}
	case immShuffle:
		for _, l := range in.V128 {
			if l >= 32 {
				return fmt.Errorf("shuffle lane index %d out of range (32 lanes)", l)
			}
		}
	}
	for i := len(d.in) - 1; i >= 0; i-- {
		want := d.in[i]
		if want == tAddr {
			want = at
		}
		if _, err := t.pop(want); err != nil {
			return err
		}
	}
	for _, v := range d.out {
		if v == tAddr {
			v = at
		}
		t.push(v)
	}
	return nil
}

func alignString(a uint32) string {
	if a < 64 {
		return fmt.Sprint(uint64(1) << a)
	}
	return fmt.Sprintf("2**%d", a)
}
