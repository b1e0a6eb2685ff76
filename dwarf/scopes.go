package dwarf

import (
	"debug/dwarf"
	"fmt"
	"sort"
)

// Func is a subprogram. A concrete function has code: Ranges, Low and
// High. A function that exists only inlined into others has Inlined set and
// no code; its instances are InlinedCalls whose Func it is.
type Func struct {
	Name          string
	LinkageName   string
	QualifiedName string // C++: "ns::Class::name"; otherwise Name
	Low, High     CodeOffset
	Ranges        [][2]CodeOffset // [Low, High) pairs, sorted; Low is the address of the locals declaration, not an instruction
	DeclFile      *File
	DeclLine      int
	FrameBase     Expr
	Params        []*Var
	Scope         *Scope // the outermost lexical scope: the function's locals and nested blocks
	Inlined       bool   // abstract instance: the function was inlined everywhere it is used
	CU            *CU
	Type          Type // return type, nil for void
	External      bool

	off    dwarf.Offset
	origin dwarf.Offset   // DW_AT_abstract_origin or DW_AT_specification, 0 if none
	calls  []*InlinedCall // instances of this (abstract) function, by InlinedCalls
}

// Contains reports whether pc is in one of f's ranges.
func (f *Func) Contains(pc CodeOffset) bool { return inRanges(f.Ranges, pc) }

// Scope is a lexical scope: a function body, a block, or the body of an
// inlined call.
type Scope struct {
	Ranges   [][2]CodeOffset
	Vars     []*Var // in declaration order; for an inlined call, its parameters (IsParam) first
	Children []*Scope
	Inline   *InlinedCall // non-nil for the scope of an inlined call (DW_TAG_inlined_subroutine)
}

// InlinedCall is one place where a function was inlined.
type InlinedCall struct {
	Func     *Func // the abstract origin: Name, Params (without locations), DeclFile...; nil if the producer named none
	CallFile *File
	CallLine int
	CallCol  int
	Ranges   [][2]CodeOffset
	Scope    *Scope // the scope of the inlined body
	Caller   *Func  // the concrete function it was inlined into

	off dwarf.Offset
}

// Var is a variable or parameter.
type Var struct {
	Name          string
	QualifiedName string // C++ globals: "ns::name"; otherwise Name
	Type          Type   // *Unknown if the producer gave none
	Loc           Location
	IsParam       bool
	DeclFile      *File
	DeclLine      int
	Const         *ConstValue // DW_AT_const_value: the variable is this constant everywhere
	CU            *CU
	Artificial    bool // compiler-made, such as C++ "this"

	off    dwarf.Offset
	origin dwarf.Offset
}

// ConstValue is the value of DW_AT_const_value.
type ConstValue struct {
	// Int is the value of an integer constant, sign- or zero-extended
	// according to the variable's type.
	Int int64
	// Bytes is the object representation of a block or string constant
	// (nil for an integer constant).
	Bytes []byte
}

func inRanges(rs [][2]CodeOffset, pc CodeOffset) bool {
	for _, r := range rs {
		if r[0] <= pc && pc < r[1] {
			return true
		}
	}
	return false
}

// decodeCU decodes the scopes, variables and types of a compile unit, once.
func (d *Data) decodeCU(cu *CU) {
	if cu == nil || cu.decoded.Load() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.decodeCULocked(cu)
}

func (d *Data) decodeCULocked(cu *CU) {
	if cu.decoded.Load() {
		return
	}
	var pending []*CU
	func() {
		defer func() {
			if p := recover(); p != nil {
				d.noteErr(panicError("decode compile unit "+cu.Name, p))
			}
		}()
		dc := &cuDecoder{d: d, cu: cu}
		dc.run()
		pending = dc.otherCUs
	}()
	cu.decoded.Store(true)
	// Abstract origins in other units (LTO): decode those too, so that
	// every Func reachable from this unit is complete.
	for _, o := range pending {
		d.decodeCULocked(o)
	}
}

type cuDecoder struct {
	d        *Data
	cu       *CU
	r        *dwarf.Reader
	inlines  []*Scope // inlined call scopes, for merging parameters
	funcs    []*Func
	otherCUs []*CU
	depth    int // of scope recursion
}

func (dc *cuDecoder) run() {
	d, cu := dc.d, dc.cu
	if d.dw == nil {
		return
	}
	dc.r = d.dw.Reader()
	dc.r.Seek(cu.off)
	e, err := dc.r.Next()
	if err != nil || e == nil || !e.Children {
		d.noteErr(err)
		return
	}
	dc.walk(0)
	for _, f := range dc.funcs {
		if f.origin != 0 {
			if o := dc.originFunc(f.origin); o != nil && o != f {
				f.Params = mergeParams(o.Params, f.Params)
			}
		}
	}
	for _, s := range dc.inlines {
		var params, locals []*Var
		for _, v := range s.Vars {
			if v.IsParam {
				params = append(params, v)
			} else {
				locals = append(locals, v)
			}
		}
		if o := s.Inline.Func; o != nil {
			params = mergeParams(o.Params, params)
		}
		s.Vars = append(params, locals...)
	}
}

// mergeParams orders the parameters of a concrete or inlined instance as
// its abstract origin declares them, adding the ones the instance lacks as
// optimized out.
func mergeParams(abstract, concrete []*Var) []*Var {
	if len(abstract) == 0 {
		return concrete
	}
	byOrigin := map[dwarf.Offset]*Var{}
	for _, v := range concrete {
		if v.origin != 0 {
			byOrigin[v.origin] = v
		}
	}
	out := make([]*Var, 0, len(abstract)+len(concrete))
	used := map[*Var]bool{}
	for _, a := range abstract {
		if v, ok := byOrigin[a.off]; ok {
			out = append(out, v)
			used[v] = true
			continue
		}
		out = append(out, a) // abstract: no location
	}
	for _, v := range concrete {
		if !used[v] {
			out = append(out, v)
		}
	}
	return out
}

// walk decodes the children of the current entry, at namespace level
// (depth counts enclosing namespaces and classes).
func (dc *cuDecoder) walk(depth int) {
	for {
		e, err := dc.r.Next()
		if err != nil {
			dc.d.noteErr(fmt.Errorf("%s: compile unit %s: %w", secInfo, dc.cu.Name, err))
			return
		}
		if e == nil || e.Tag == 0 || e.Offset >= dc.cu.end {
			return
		}
		switch e.Tag {
		case dwarf.TagSubprogram:
			f := dc.d.idx.byOff[e.Offset]
			if f == nil || !e.Children {
				if e.Children {
					dc.cu.skipSubtree(dc.r, e)
				}
				if f != nil {
					dc.fillFunc(f, e)
					f.Scope = &Scope{Ranges: f.Ranges}
				}
				continue
			}
			dc.fillFunc(f, e)
			f.Scope = &Scope{Ranges: f.Ranges}
			dc.scope(f.Scope, f, f, true)
		case dwarf.TagVariable:
			if v := dc.variable(e, false); v != nil && v.Name != "" && (v.Loc.Valid || v.Const != nil) {
				if decl, _ := e.Val(dwarf.AttrDeclaration).(bool); !decl {
					dc.cu.globals = append(dc.cu.globals, v)
				}
			}
			if e.Children {
				dc.cu.skipSubtree(dc.r, e)
			}
		case dwarf.TagNamespace, dwarf.TagStructType, dwarf.TagClassType, dwarf.TagUnionType:
			if e.Children {
				if (e.Tag == dwarf.TagNamespace || dc.cu.qualifiedNames()) && depth < maxScopeDepth {
					dc.walk(depth + 1)
				} else {
					dc.cu.skipSubtree(dc.r, e)
				}
			}
		default:
			if e.Children {
				dc.cu.skipSubtree(dc.r, e)
			}
		}
	}
}

// fillFunc sets what the index left out: declaration, return type.
func (dc *cuDecoder) fillFunc(f *Func, e *dwarf.Entry) {
	dc.funcs = append(dc.funcs, f)
	d := dc.d
	decl, cu := dc.follow(e, dwarf.AttrDeclFile)
	f.DeclFile = fileAt(cu, decl)
	if v, _ := dc.follow(e, dwarf.AttrDeclLine); v != nil {
		f.DeclLine = intAttr(v)
	}
	if v, _ := dc.follow(e, dwarf.AttrType); v != nil {
		if ref, ok := v.(dwarf.Offset); ok {
			f.Type = d.typeAt(ref)
		}
	}
}

// intAttr returns a constant attribute as an int, 0 if it is not one or
// out of range.
func intAttr(v any) int {
	n, ok := v.(int64)
	if !ok || n < 0 || n > 1<<31-1 {
		return 0
	}
	return int(n)
}

func fileAt(cu *CU, v any) *File {
	n, ok := v.(int64)
	if !ok || cu == nil || n < 0 || n >= int64(len(cu.Files)) {
		return nil
	}
	return cu.Files[n]
}

// follow returns attribute attr of e, or of the entries e refers to by
// DW_AT_abstract_origin or DW_AT_specification, with the unit of the entry
// that has it.
func (dc *cuDecoder) follow(e *dwarf.Entry, attr dwarf.Attr) (any, *CU) {
	cu := dc.cu
	for range 8 {
		if v := e.Val(attr); v != nil {
			return v, cu
		}
		ref, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		if !ok {
			ref, ok = e.Val(dwarf.AttrSpecification).(dwarf.Offset)
		}
		if !ok {
			return nil, nil
		}
		next, err := dc.d.entry(ref)
		if err != nil {
			dc.d.noteErr(err)
			return nil, nil
		}
		e, cu = next, dc.d.cuAt(ref)
		if cu != dc.cu && cu != nil && !cu.decoded.Load() && !containsCU(dc.otherCUs, cu) {
			dc.otherCUs = append(dc.otherCUs, cu)
		}
	}
	return nil, nil
}

func containsCU(cs []*CU, c *CU) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// scope decodes the children of a function, block or inlined call into s.
// fn is the function whose parameters the entries at the top of a function
// body are; top is set at that level.
func (dc *cuDecoder) scope(s *Scope, fn, caller *Func, top bool) {
	dc.depth++
	defer func() { dc.depth-- }()
	for {
		e, err := dc.r.Next()
		if err != nil {
			dc.d.noteErr(fmt.Errorf("%s: compile unit %s: %w", secInfo, dc.cu.Name, err))
			return
		}
		if e == nil || e.Tag == 0 || e.Offset >= dc.cu.end {
			return
		}
		switch e.Tag {
		case dwarf.TagFormalParameter, dwarf.TagVariable:
			v := dc.variable(e, e.Tag == dwarf.TagFormalParameter)
			if v != nil {
				if v.IsParam && top {
					fn.Params = append(fn.Params, v)
				} else {
					s.Vars = append(s.Vars, v)
				}
			}
			if e.Children {
				dc.cu.skipSubtree(dc.r, e)
			}
		case dwarf.TagLexDwarfBlock:
			child := &Scope{Ranges: dc.ranges(e, s.Ranges)}
			s.Children = append(s.Children, child)
			if e.Children {
				dc.scopeOrSkip(child, fn, caller)
			}
		case dwarf.TagInlinedSubroutine:
			call := &InlinedCall{Caller: caller, off: e.Offset}
			call.Ranges = dc.ranges(e, nil)
			if ref, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
				call.Func = dc.originFunc(ref)
			}
			call.CallFile = fileAt(dc.cu, e.Val(dwarf.AttrCallFile))
			call.CallLine = intAttr(e.Val(dwarf.AttrCallLine))
			call.CallCol = intAttr(e.Val(dwarf.AttrCallColumn))
			child := &Scope{Ranges: call.Ranges, Inline: call}
			call.Scope = child
			if call.Func != nil {
				call.Func.calls = append(call.Func.calls, call)
			}
			s.Children = append(s.Children, child)
			dc.inlines = append(dc.inlines, child)
			if e.Children {
				dc.scopeOrSkip(child, fn, caller)
			}
		default:
			// Types, labels, call sites, nested functions (decoded on their
			// own through the index when they have code).
			if e.Children {
				dc.cu.skipSubtree(dc.r, e)
			}
		}
	}
}

// maxScopeDepth bounds the nesting of scopes, against corrupt input.
const maxScopeDepth = 256

func (dc *cuDecoder) scopeOrSkip(s *Scope, fn, caller *Func) {
	if dc.depth >= maxScopeDepth {
		dc.d.noteErr(fmt.Errorf("%s: compile unit %s: scopes nested too deeply", secInfo, dc.cu.Name))
		skipChildren(dc.r)
		return
	}
	dc.scope(s, fn, caller, false)
}

// ranges returns the code ranges of a block, or parent's if it has none
// (blocks of abstract instances, and producers that omit them).
func (dc *cuDecoder) ranges(e *dwarf.Entry, parent [][2]CodeOffset) [][2]CodeOffset {
	if e.Val(dwarf.AttrLowpc) == nil && e.Val(dwarf.AttrRanges) == nil {
		return parent
	}
	rs, err := dc.d.entryRanges(dc.cu, e)
	if err != nil {
		dc.d.noteErr(err)
	}
	return rs
}

// originFunc returns the Func of an abstract origin entry, creating one
// for an origin the index did not record.
func (dc *cuDecoder) originFunc(off dwarf.Offset) *Func {
	x := dc.d.idx
	if f, ok := x.byOff[off]; ok {
		if f.CU != dc.cu && !f.CU.decoded.Load() && !containsCU(dc.otherCUs, f.CU) {
			dc.otherCUs = append(dc.otherCUs, f.CU)
		}
		return f
	}
	e, err := dc.d.entry(off)
	if err != nil {
		dc.d.noteErr(err)
		return nil
	}
	name, _ := e.Val(dwarf.AttrName).(string)
	f := &Func{Name: name, QualifiedName: dc.d.qualify(off, name), LinkageName: linkageName(e),
		Inlined: true, CU: dc.d.cuAt(off), off: off}
	if f.CU == nil {
		f.CU = dc.cu
	}
	x.byOff[off] = f // guarded by d.mu, like all lazily built state
	return f
}

// variable decodes a variable or parameter entry.
func (dc *cuDecoder) variable(e *dwarf.Entry, param bool) *Var {
	d := dc.d
	v := &Var{IsParam: param, CU: dc.cu, off: e.Offset}
	if n, _ := dc.follow(e, dwarf.AttrName); n != nil {
		v.Name, _ = n.(string)
	}
	v.QualifiedName = v.Name
	if ref, ok := e.Val(dwarf.AttrSpecification).(dwarf.Offset); ok {
		v.QualifiedName = d.qualify(ref, v.Name)
	} else {
		v.QualifiedName = d.qualify(e.Offset, v.Name)
	}
	if ref, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
		v.origin = ref
	}
	if art, _ := dc.follow(e, dwarf.AttrArtificial); art != nil {
		v.Artificial, _ = art.(bool)
	}
	v.Type = &Unknown{TypeName: "<unknown type>"}
	if t, _ := dc.follow(e, dwarf.AttrType); t != nil {
		if ref, ok := t.(dwarf.Offset); ok {
			v.Type = d.typeAt(ref)
		}
	}
	df, dcu := dc.follow(e, dwarf.AttrDeclFile)
	v.DeclFile = fileAt(dcu, df)
	if l, _ := dc.follow(e, dwarf.AttrDeclLine); l != nil {
		v.DeclLine = intAttr(l)
	}
	if f := e.AttrField(dwarf.AttrLocation); f != nil {
		loc, err := d.location(dc.cu, f)
		if err != nil {
			d.noteErr(fmt.Errorf("location of %s at %#x: %w", v.Name, e.Offset, err))
		}
		v.Loc = loc
	}
	if f := e.AttrField(dwarf.AttrConstValue); f != nil {
		v.Const = constValue(f, v.Type)
	}
	return v
}

// constValue decodes DW_AT_const_value for a variable of type t.
func constValue(f *dwarf.Field, t Type) *ConstValue {
	switch x := f.Val.(type) {
	case int64:
		return &ConstValue{Int: extendConst(x, t)}
	case []byte:
		return &ConstValue{Bytes: x}
	case string:
		return &ConstValue{Bytes: append([]byte(x), 0)}
	}
	return nil
}

// extendConst sign- or zero-extends a constant from the size of t.
func extendConst(v int64, t Type) int64 {
	st := Strip(t)
	size := sizeOf(st)
	if size <= 0 || size >= 8 {
		return v
	}
	bits := uint(size * 8)
	signed := false
	switch b := st.(type) {
	case *Base:
		signed = b.Encoding == EncSigned || b.Encoding == EncSignedChar
	case *Enum:
		signed = b.Signed
	default:
		return v
	}
	u := uint64(v) & (1<<bits - 1)
	if signed && u>>(bits-1) == 1 {
		return int64(u) - 1<<bits
	}
	return int64(u)
}

// InlineChain returns the inlined calls active at pc, innermost first.
// Each is a virtual frame in a backtrace; the last one's Caller is the
// concrete function (FuncAt).
func (d *Data) InlineChain(pc CodeOffset) []*InlinedCall {
	f := d.FuncAt(pc)
	if f == nil || f.Scope == nil {
		return nil
	}
	var chain []*InlinedCall
	s := f.Scope
	for depth := 0; s != nil && depth < 1000; depth++ {
		var next *Scope
		for _, c := range s.Children {
			if inRanges(c.Ranges, pc) {
				next = c
				break
			}
		}
		if next != nil && next.Inline != nil {
			chain = append(chain, next.Inline)
		}
		s = next
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// ScopeVars returns the variables visible at pc in the innermost frame:
// the innermost inlined call at pc if there is one, else the concrete
// function. Locals come innermost scope first; a local hidden by a local
// of the same name in an inner scope is left out. Only scopes whose
// ranges contain pc count. Variables without a location at pc are still
// returned (Loc.At says so).
func (d *Data) ScopeVars(pc CodeOffset) (params, locals []*Var) {
	return d.FrameVars(pc, 0)
}

// FrameVars is ScopeVars for the virtual frames of inlined calls: frame 0
// is the innermost (InlineChain(pc)[0], or the function if nothing is
// inlined at pc), frame len(InlineChain(pc)) the concrete function. It
// returns nothing for a frame that does not exist.
func (d *Data) FrameVars(pc CodeOffset, frame int) (params, locals []*Var) {
	f := d.FuncAt(pc)
	if f == nil || f.Scope == nil || frame < 0 {
		return nil, nil
	}
	// The scopes containing pc, outermost first, and where each frame's
	// scopes start in that path.
	path := []*Scope{f.Scope}
	starts := []int{0}
	s := f.Scope
	for depth := 0; depth < 1000; depth++ {
		var next *Scope
		for _, c := range s.Children {
			if inRanges(c.Ranges, pc) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		path = append(path, next)
		if next.Inline != nil {
			starts = append(starts, len(path)-1)
		}
		s = next
	}
	k := len(starts) - 1 - frame
	if k < 0 {
		return nil, nil
	}
	end := len(path)
	if k+1 < len(starts) {
		end = starts[k+1]
	}
	seg := path[starts[k]:end]
	if k == 0 {
		params = f.Params
	}
	seen := map[string]bool{}
	for i := len(seg) - 1; i >= 0; i-- {
		for _, v := range seg[i].Vars {
			if v.IsParam {
				if i == 0 && k != 0 {
					params = append(params, v)
				}
				continue
			}
			if v.Name != "" && seen[v.Name] {
				continue
			}
			seen[v.Name] = true
			locals = append(locals, v)
		}
	}
	return params, locals
}

// PrologueEnd returns the address after f's prologue, where a breakpoint on
// the function goes: the first prologue_end row in f, else the second
// is_stmt row (gdb's heuristic), else f.Low with false.
func (d *Data) PrologueEnd(f *Func) (CodeOffset, bool) {
	if d == nil || f == nil {
		return 0, false
	}
	if len(f.Ranges) == 0 {
		return f.Low, false
	}
	lo := sort.Search(len(d.rows), func(i int) bool { return d.rows[i].Addr >= f.Low })
	var stmts []CodeOffset
	for i := lo; i < len(d.rows) && d.rows[i].Addr < f.High; i++ {
		r := d.rows[i]
		if r.EndSequence || !f.Contains(r.Addr) {
			continue
		}
		if r.PrologueEnd {
			return r.Addr, true
		}
		if r.IsStmt && (len(stmts) == 0 || stmts[len(stmts)-1] != r.Addr) {
			stmts = append(stmts, r.Addr)
		}
	}
	if len(stmts) >= 2 {
		return stmts[1], true
	}
	return f.Low, false
}

// InlinedCalls returns the places where f was inlined. It decodes every
// compile unit (inlining may cross units under LTO).
func (d *Data) InlinedCalls(f *Func) []*InlinedCall {
	if d == nil || f == nil {
		return nil
	}
	for _, cu := range d.cus {
		d.decodeCU(cu)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*InlinedCall(nil), f.calls...)
}
