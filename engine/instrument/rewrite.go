package instrument

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"wdbg/internal/wasmbin"
	"wdbg/session"
)

// InstrOffset is an offset in the code section of the instrumented module.
// It is only ever converted to an original offset by [OffsetMap.Original].
type InstrOffset uint32

// Import names of the probe interface. The host side (package engine)
// provides these.
const (
	HostModule  = "wdbg"       // probe<N>, trap<N>, enter<N>, leave
	StateModule = "wdbg.state" // the arm, calls and depth globals
)

// AllBit is the bit of $arm and $calls that arms every function.
const AllBit = uint64(1) << 63

// FuncBit returns the bit of $arm and $calls that arms function fn.
func FuncBit(fn uint32) uint64 { return 1 << (fn % 63) }

// Config chooses the stop sites and what their probes pass.
type Config struct {
	// Statements are the DWARF is_stmt rows, sorted by offset. An address
	// that is not an instruction start moves to the next instruction.
	Statements []Statement
	// EveryInstruction makes every reachable instruction a site (exact
	// stepi, at several times the cost).
	EveryInstruction bool
	// Locals, when set, returns the locals of function fn (original index)
	// that a probe (or the shadow stack) captures at original offset pc, or
	// all=true for every local; the others are reported as not captured.
	// Nil captures every local everywhere. Passing fewer locals is most of
	// what makes probes cheap (docs/RATIONALE.md, "Why probes pass only the
	// locals DWARF uses").
	Locals func(fn uint32, pc wasmbin.CodeOffset) (locals []uint32, all bool)
	// ModuleName is written as the module name in the name section. wazero
	// names a stack frame's module by it, and the engine finds a frame's
	// module by that name, so it must be the engine's key for the module
	// (the name the producer gave, often the output file's, may be
	// anything).
	ModuleName string
}

// Statement is a DWARF is_stmt row: an address and the source line it
// starts. Line is any key that is equal for rows of the same file and
// line, 0 if unknown. Within a straight-line run, a row for the line the
// previous statement site started adds no site: stepping by lines stops at
// the first.
type Statement struct {
	Offset wasmbin.CodeOffset
	Line   uint64
}

// Site is a stop site of the instrumented module.
type Site struct {
	Offset wasmbin.CodeOffset // of the original instruction the probe precedes
	Func   uint32             // original function index
	Kind   session.SiteKind
	// NLocals is the number of wasm locals of the function.
	NLocals int
	// Locals are the indices of the locals the probe passes, in order; nil
	// when it passes all NLocals.
	Locals []uint32
	// Stack holds the types of the operand values of the innermost block,
	// bottom first, which the probe passes after the locals.
	Stack []wasmbin.ValType
	// StackBase is the number of operand values below the innermost block,
	// which the probe cannot see: Stack[i] is operand-stack slot StackBase+i.
	StackBase int
	// Trap says what kind of trap a trap probe at this site reports.
	Trap TrapKind
}

// TrapKind says which trap a trap probe guards against.
type TrapKind uint8

const (
	NoTrap TrapKind = iota
	TrapUnreachable
	TrapDivS // i32/i64.div_s: divide by zero, or overflow
	TrapDivU // div_u, rem_s, rem_u: divide by zero only
)

// Result is a rewritten module.
type Result struct {
	Bytes []byte
	// Sites are sorted by offset; a site's index is its id in probe calls.
	Sites []Site
	// Map converts offsets in the instrumented code to original ones.
	Map OffsetMap
	// FuncShift is the number of functions the rewrite imported: original
	// defined function f is instrumented function f+FuncShift.
	FuncShift uint32
	// NumImportedFuncs of the original module.
	NumImportedFuncs uint32
	// GlobalShift is the number of globals the rewrite imported: original
	// defined global g is instrumented global g+GlobalShift.
	GlobalShift      uint32
	NumImportedGlobs uint32
	// ProbeArities lists the N of every probe<N>/trap<N> import, and
	// EnterArities of every enter<N>.
	ProbeArities []int
	EnterArities []int
	// Callees[i] are the functions defined function i calls directly;
	// IndirectCallers marks those that also call through a table.
	Callees         [][]uint32
	IndirectCallers []bool
	// TableFuncs are the functions reachable through tables (the possible
	// targets of call_indirect).
	TableFuncs []uint32
}

// InstrGlobal converts an original global index to the instrumented one.
func (r *Result) InstrGlobal(g uint32) uint32 {
	if g < r.NumImportedGlobs {
		return g
	}
	return g + r.GlobalShift
}

// InstrFunc converts an original function index to the instrumented one.
func (r *Result) InstrFunc(f uint32) uint32 {
	if f < r.NumImportedFuncs {
		return f
	}
	return f + r.FuncShift
}

// OriginalFunc converts an instrumented function index to the original one;
// false for the functions the rewrite imported.
func (r *Result) OriginalFunc(f uint32) (uint32, bool) {
	switch {
	case f < r.NumImportedFuncs:
		return f, true
	case f < r.NumImportedFuncs+r.FuncShift:
		return 0, false
	}
	return f - r.FuncShift, true
}

// SiteAt returns the index of the site at original offset off.
func (r *Result) SiteAt(off wasmbin.CodeOffset) (int, bool) {
	i := sort.Search(len(r.Sites), func(i int) bool { return r.Sites[i].Offset >= off })
	if i < len(r.Sites) && r.Sites[i].Offset == off {
		return i, true
	}
	return 0, false
}

// OffsetMap maps instrumented code offsets to original code offsets.
type OffsetMap struct {
	instr []InstrOffset        // sorted
	orig  []wasmbin.CodeOffset // orig[i] is what instr[i] and the bytes up to instr[i+1] came from
}

// Original returns the original offset of the instruction whose
// instrumented code contains off; false if off is before any mapped code.
func (m *OffsetMap) Original(off InstrOffset) (wasmbin.CodeOffset, bool) {
	i := sort.Search(len(m.instr), func(i int) bool { return m.instr[i] > off })
	if i == 0 {
		return 0, false
	}
	return m.orig[i-1], true
}

// Rewrite instruments m. It does not modify m.
func Rewrite(m *wasmbin.Module, cfg Config) (*Result, error) {
	rw := &rewriter{
		src: m, cfg: cfg,
		probeTypes: map[int]bool{}, enterTypes: map[int]bool{},
	}
	return rw.run()
}

type rewriter struct {
	src *wasmbin.Module
	cfg Config
	res Result

	nImpFuncs, nImpGlobs uint32
	// New imports, known only after every body was rewritten; bodies refer
	// to them through placeholder indices patched in fixup.
	probeTypes map[int]bool
	enterTypes map[int]bool
	bodies     []funcOut
	typesMu    sync.Mutex         // guards types and typeIndex: functions are rewritten in parallel
	types      []wasmbin.FuncType // the output type section
	typeIndex  map[string]uint32
}

// funcOut is a rewritten function before final index assignment.
// Functions are rewritten in parallel, so each keeps its own sites (ids
// local to the function until merge adds the ids of the functions before
// it) and its own sets of probe arities.
//
// The body is encoded as it is written: a large module's rewrite is several
// megabytes of code, and holding it as decoded instructions cost hundreds of
// megabytes of pointer-bearing memory (and most of the instrumentation time
// in copying and garbage collection). What is not known while a function is
// rewritten (site ids, block type indices, function indices) is written as
// a padded LEB128 slot and patched in place.
type funcOut struct {
	locals []wasmbin.LocalDecl
	body   []byte
	// marks map the body back to original code: the bytes from marks[i].at
	// up to the next mark came from the original instruction at
	// marks[i].orig.
	marks   []mark
	sites   []Site
	patches []patch
	probeN  map[int]bool
	enterN  map[int]bool
	// types are the block types the function needs, which patchType slots
	// refer to by position here until merge gives each its index in the
	// type section (in function order, so the output does not depend on the
	// workers' timing).
	types []wasmbin.FuncType
	err   error
}

// mark says which original instruction the bytes from a body offset on
// came from.
type mark struct {
	at   uint32
	orig wasmbin.CodeOffset
}

// patch is a padded LEB128 slot at body offset at, holding v until it is
// patched.
type patch struct {
	at   uint32
	kind patchKind
	v    uint32
}

type patchKind uint8

const (
	patchSite patchKind = iota // v is a site id local to the function; merge adds the function's base
	patchType                  // v indexes funcOut.types; merge writes its type index
	patchFunc                  // v is a probe placeholder or definedFlag|index; assemble writes the final index
)

// Placeholder function indices used in rewritten bodies until the import
// layout is known. They are far above any real index.
const (
	phProbe = 0xF000_0000 + iota<<20 // + arity
	phTrap
	phEnter
	phLeave
	phMask = 0xFFF0_0000
)

func (rw *rewriter) run() (*Result, error) {
	m := rw.src
	rw.nImpFuncs = uint32(m.NumImportedFuncs())
	rw.nImpGlobs = uint32(countImports(m, wasmbin.GlobalKind))
	rw.res.NumImportedFuncs = rw.nImpFuncs
	rw.res.NumImportedGlobs = rw.nImpGlobs
	rw.res.GlobalShift = 3
	rw.types = append([]wasmbin.FuncType(nil), m.Types...)
	rw.typeIndex = map[string]uint32{}
	for i, t := range rw.types {
		if _, ok := rw.typeIndex[typeKey(t)]; !ok {
			rw.typeIndex[typeKey(t)] = uint32(i)
		}
	}
	rw.res.Callees = make([][]uint32, len(m.Code))
	rw.res.IndirectCallers = make([]bool, len(m.Code))
	rw.bodies = make([]funcOut, len(m.Code))
	// Rewrite the functions on every core; each writes only its own slot.
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ws workspace
			for {
				i := int(next.Add(1)) - 1
				if i >= len(m.Code) {
					return
				}
				rw.bodies[i] = rw.rewriteFunc(i, &ws)
			}
		}()
	}
	wg.Wait()
	// Merge: global site ids in code order (functions are in code order, so
	// the site table comes out sorted by offset).
	nsites := 0
	for i := range rw.bodies {
		nsites += len(rw.bodies[i].sites)
	}
	rw.res.Sites = make([]Site, 0, nsites)
	for i := range rw.bodies {
		fo := &rw.bodies[i]
		if fo.err != nil {
			return nil, fo.err
		}
		base := uint32(len(rw.res.Sites))
		for _, p := range fo.patches {
			switch p.kind {
			case patchSite:
				if uint64(p.v)+uint64(base) > wasmbin.MaxPadded {
					return nil, fmt.Errorf("instrument: more than %d stop sites", wasmbin.MaxPadded)
				}
				wasmbin.PutPadded(fo.body[p.at:], p.v+base)
			case patchType:
				wasmbin.PutPadded(fo.body[p.at:], rw.typeOf(fo.types[p.v]))
			}
		}
		rw.res.Sites = append(rw.res.Sites, fo.sites...)
		for n := range fo.probeN {
			rw.probeTypes[n] = true
		}
		for n := range fo.enterN {
			rw.enterTypes[n] = true
		}
	}
	rw.res.TableFuncs = tableFuncs(m)
	return rw.assemble()
}

func countImports(m *wasmbin.Module, k wasmbin.ExternKind) int {
	n := 0
	for _, im := range m.Imports {
		if im.Kind == k {
			n++
		}
	}
	return n
}

func typeKey(t wasmbin.FuncType) string {
	var b strings.Builder
	for _, p := range t.Params {
		b.WriteByte(byte(p))
	}
	b.WriteByte(0)
	for _, r := range t.Results {
		b.WriteByte(byte(r))
	}
	return b.String()
}

// typeOf returns the index of a function type in the output type section,
// adding it if needed.
func (rw *rewriter) typeOf(t wasmbin.FuncType) uint32 {
	k := typeKey(t)
	if i, ok := rw.typeIndex[k]; ok {
		return i
	}
	rw.types = append(rw.types, t)
	i := uint32(len(rw.types) - 1)
	rw.typeIndex[k] = i
	return i
}

// siteKinds computes the sites of one function: kind per instruction index.
func (rw *rewriter) siteKinds(code *wasmbin.Code, instrs []wasmbin.Instr, ws *workspace) []session.SiteKind {
	kinds := resize(&ws.kinds, len(instrs))
	if len(instrs) == 0 {
		return kinds
	}
	kinds[0] |= session.SiteEntry
	// Statement rows inside this function, by instruction.
	lines := resize(&ws.lines, len(instrs))
	all := rw.cfg.Statements
	s := all[sort.Search(len(all), func(i int) bool { return all[i].Offset >= code.Start }):]
	j := 0
	for len(s) > 0 && s[0].Offset < code.End {
		for j < len(instrs) && instrs[j].Off < s[0].Offset {
			j++
		}
		if j < len(instrs) {
			kinds[j] |= session.SiteStatement
			lines[j] = s[0].Line
		}
		s = s[1:]
	}
	// Same-line dedup: within a straight-line run, a statement row for the
	// line of the run's previous statement site is not a site.
	prevLine := uint64(0)
	for i := range instrs {
		op := instrs[i].Op
		if kinds[i]&session.SiteStatement != 0 {
			if lines[i] != 0 && lines[i] == prevLine && kinds[i] == session.SiteStatement {
				kinds[i] = 0
			} else {
				prevLine = lines[i]
			}
		}
		if isCall(op) || isBranch(op) || isBlockBoundary(op) {
			prevLine = 0
		}
	}
	afterCall := false
	for i := range instrs {
		in := &instrs[i]
		if afterCall {
			kinds[i] |= session.SiteAfterCall
			afterCall = false
		}
		if rw.cfg.EveryInstruction {
			kinds[i] |= session.SiteInstr
		}
		switch {
		case isCall(in.Op):
			kinds[i] |= session.SiteCall
			afterCall = in.Op == wasmbin.OpCall || in.Op == wasmbin.OpCallIndirect
		case isBranch(in.Op):
			kinds[i] |= session.SiteBranch
		case in.Op == wasmbin.OpLoop:
			if i+1 < len(instrs) {
				kinds[i+1] |= session.SiteLoop
			}
		case in.Op == wasmbin.OpUnreachable || trapKind(in.Op) != NoTrap:
			kinds[i] |= session.SiteTrap
		case in.Op == wasmbin.OpCatch || in.Op == wasmbin.OpCatchAll:
			if i+1 < len(instrs) {
				kinds[i+1] |= session.SiteBranch
			}
		}
	}
	return kinds
}

func isCall(op wasmbin.Op) bool {
	switch op {
	case wasmbin.OpCall, wasmbin.OpCallIndirect, wasmbin.OpReturnCall, wasmbin.OpReturnCallIndirect:
		return true
	}
	return false
}

// isBlockBoundary reports instructions that start or end a run of
// straight-line code without being branches themselves.
func isBlockBoundary(op wasmbin.Op) bool {
	switch op {
	case wasmbin.OpBlock, wasmbin.OpLoop, wasmbin.OpEnd, wasmbin.OpTry, wasmbin.OpTryTable,
		wasmbin.OpCatch, wasmbin.OpCatchAll, wasmbin.OpDelegate:
		return true
	}
	return false
}

func isBranch(op wasmbin.Op) bool {
	switch op {
	case wasmbin.OpIf, wasmbin.OpElse, wasmbin.OpBr, wasmbin.OpBrIf, wasmbin.OpBrTable,
		wasmbin.OpReturn, wasmbin.OpThrow, wasmbin.OpRethrow, wasmbin.OpThrowRef:
		return true
	}
	return false
}

func trapKind(op wasmbin.Op) TrapKind {
	switch op {
	case wasmbin.OpI32DivS, wasmbin.OpI64DivS:
		return TrapDivS
	case wasmbin.OpI32DivU, wasmbin.OpI64DivU, wasmbin.OpI32RemS, wasmbin.OpI64RemS,
		wasmbin.OpI32RemU, wasmbin.OpI64RemU:
		return TrapDivU
	case wasmbin.OpUnreachable:
		return TrapUnreachable
	}
	return NoTrap
}

// fnWriter accumulates one rewritten function body.
type fnWriter struct {
	rw      *rewriter
	out     funcOut
	code    *wasmbin.Code   // the original function
	instrs  []wasmbin.Instr // its decoded body
	nlocals uint32          // original locals (params included)
	types   []wasmbin.ValType
	fn      uint32
	scratch map[scratchKey]uint32
	extra   []wasmbin.ValType // scratch local types, in index order
	was     uint32            // the $was local, or ^0 if not yet allocated
	cur     wasmbin.CodeOffset
}

type scratchKey struct {
	t   wasmbin.ValType
	pos int
}

func (w *fnWriter) emit(in wasmbin.Instr) {
	w.mark()
	w.out.body = wasmbin.AppendInstr(w.out.body, &in)
}

// mark notes that what is emitted next comes from original offset w.cur.
func (w *fnWriter) mark() {
	at := uint32(len(w.out.body))
	if n := len(w.out.marks); n > 0 {
		last := &w.out.marks[n-1]
		if last.orig == w.cur {
			return
		}
		if last.at == at {
			last.orig = w.cur
			return
		}
	}
	w.out.marks = append(w.out.marks, mark{at, w.cur})
}

// slot emits a single-byte opcode and a padded slot for its immediate, to
// be patched later.
func (w *fnWriter) slot(op wasmbin.Op, kind patchKind, v uint32) {
	w.mark()
	w.out.body = append(w.out.body, byte(op))
	w.out.patches = append(w.out.patches, patch{at: uint32(len(w.out.body)), kind: kind, v: v})
	w.out.body = wasmbin.AppendPadded(w.out.body, 0)
}

func (w *fnWriter) op(op wasmbin.Op)                { w.emit(wasmbin.Instr{Op: op}) }
func (w *fnWriter) opIdx(op wasmbin.Op, idx uint32) { w.emit(wasmbin.Instr{Op: op, Index: idx}) }
func (w *fnWriter) i32(v int32) {
	w.emit(wasmbin.Instr{Op: wasmbin.OpI32Const, Const: uint64(int64(v))})
}
func (w *fnWriter) i64(v uint64)            { w.emit(wasmbin.Instr{Op: wasmbin.OpI64Const, Const: v}) }
func (w *fnWriter) globalGet(g uint32)      { w.opIdx(wasmbin.OpGlobalGet, g) }
func (w *fnWriter) localGet(l uint32)       { w.opIdx(wasmbin.OpLocalGet, l) }
func (w *fnWriter) localSet(l uint32)       { w.opIdx(wasmbin.OpLocalSet, l) }
func (w *fnWriter) ifEmpty()                { w.emit(wasmbin.Instr{Op: wasmbin.OpIf}) }
func (w *fnWriter) end()                    { w.op(wasmbin.OpEnd) }
func (w *fnWriter) call(placeholder uint32) { w.slot(wasmbin.OpCall, patchFunc, placeholder) }

// siteID pushes a site id (local to the function; merge makes it global).
func (w *fnWriter) siteID(id int) { w.slot(wasmbin.OpI32Const, patchSite, uint32(id)) }

// scratchLocal returns the scratch local for operand position pos of type t.
func (w *fnWriter) scratchLocal(t wasmbin.ValType, pos int) uint32 {
	k := scratchKey{t, pos}
	if l, ok := w.scratch[k]; ok {
		return l
	}
	l := w.nlocals + uint32(len(w.extra))
	w.extra = append(w.extra, t)
	w.scratch[k] = l
	return l
}

// pushAsI64 pushes local l (of type t) converted to the probe's i64 words;
// it returns how many words it pushed.
func (w *fnWriter) pushAsI64(l uint32, t wasmbin.ValType) int {
	w.localGet(l)
	switch t {
	case wasmbin.I32:
		w.op(wasmbin.OpI64ExtendI32U)
	case wasmbin.I64:
	case wasmbin.F32:
		w.op(wasmbin.OpI32ReinterpretF32)
		w.op(wasmbin.OpI64ExtendI32U)
	case wasmbin.F64:
		w.op(wasmbin.OpI64ReinterpretF64)
	case wasmbin.V128:
		w.emit(wasmbin.Instr{Op: wasmbin.OpI64x2ExtractLane, Index: 0})
		w.localGet(l)
		w.emit(wasmbin.Instr{Op: wasmbin.OpI64x2ExtractLane, Index: 1})
		return 2
	default: // references: null or not
		w.op(wasmbin.OpRefIsNull)
		w.op(wasmbin.OpI32Eqz)
		w.op(wasmbin.OpI64ExtendI32U)
	}
	return 1
}

// pushLocals pushes the locals a site's probe passes, as i64 words.
func (w *fnWriter) pushLocals(s Site) {
	if s.Locals == nil {
		for l, t := range w.types {
			w.pushAsI64(uint32(l), t)
		}
		return
	}
	for _, l := range s.Locals {
		w.pushAsI64(l, w.types[l])
	}
}

// passedWords returns the number of i64 words a site's locals take.
func (w *fnWriter) passedWords(s Site) int {
	if s.Locals == nil {
		return words(w.types)
	}
	n := 0
	for _, l := range s.Locals {
		if w.types[l] == wasmbin.V128 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// passedLocals returns the locals a probe at pc in fn passes: nil for all.
func (rw *rewriter) passedLocals(fn uint32, pc wasmbin.CodeOffset, types []wasmbin.ValType) []uint32 {
	if rw.cfg.Locals == nil {
		return nil
	}
	want, all := rw.cfg.Locals(fn, pc)
	if all {
		return nil
	}
	sorted := append([]uint32(nil), want...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	passed := []uint32{}
	for i, l := range sorted {
		if int(l) < len(types) && (i == 0 || l != sorted[i-1]) {
			passed = append(passed, l)
		}
	}
	return passed
}

// words returns how many i64 words the values of types ts take.
func words(ts []wasmbin.ValType) int {
	n := 0
	for _, t := range ts {
		if t == wasmbin.V128 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// armGuard pushes "(global & mask) != 0" for global g.
func (w *fnWriter) armGuard(g uint32, mask uint64) {
	w.globalGet(g)
	w.i64(mask)
	w.op(wasmbin.OpI64And)
	w.i64(0)
	w.op(wasmbin.OpI64Ne)
}

// Global indices of the three state globals in the instrumented module:
// imported right after the original imported globals.
func (w *fnWriter) gArm() uint32   { return w.rw.nImpGlobs }
func (w *fnWriter) gCalls() uint32 { return w.rw.nImpGlobs + 1 }
func (w *fnWriter) gDepth() uint32 { return w.rw.nImpGlobs + 2 }

// workspace holds one worker's per-instruction buffers, reused from
// function to function: allocating them afresh for every function was a
// large part of the memory a rewrite touches.
type workspace struct {
	decoded         []wasmbin.Instr
	kinds           []session.SiteKind
	lines           []uint64
	edge, reachable []bool
	siteOf, depthAt []int
	stackAt         [][]wasmbin.ValType
}

// resize makes *buf n zero values long, reusing its storage, and returns it.
func resize[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	} else {
		*buf = (*buf)[:n]
		clear(*buf)
	}
	return *buf
}

// rewriteFunc rewrites defined function def.
func (rw *rewriter) rewriteFunc(def int, ws *workspace) funcOut {
	m := rw.src
	code := &m.Code[def]
	fn := rw.nImpFuncs + uint32(def)
	fail := func(err error) funcOut {
		return funcOut{err: fmt.Errorf("instrument function %d: %w", fn, err)}
	}
	instrs, err := wasmbin.DecodeBodyInto(ws.decoded, code.Body, code.BodyStart)
	ws.decoded = instrs
	if err != nil {
		return fail(err)
	}
	typer, err := wasmbin.NewTyper(m, def)
	if err != nil {
		return fail(err)
	}
	ft, ok := m.FuncType(fn)
	if !ok {
		return fail(fmt.Errorf("no type"))
	}
	ltypes := m.LocalTypes(def)
	w := &fnWriter{rw: rw, code: code, instrs: instrs, nlocals: uint32(len(ltypes)), types: ltypes,
		scratch: map[scratchKey]uint32{}, was: ^uint32(0), cur: code.BodyStart}
	w.fn = fn
	w.out.body = make([]byte, 0, 4*len(code.Body))
	w.out.marks = make([]mark, 0, len(instrs))
	w.out.probeN, w.out.enterN = map[int]bool{}, map[int]bool{}
	kinds := rw.siteKinds(code, instrs, ws)
	nsites := 0
	for _, k := range kinds {
		if k != 0 {
			nsites++
		}
	}
	w.out.sites = make([]Site, 0, nsites)
	mask := FuncBit(fn)

	// Pass 1: type the body once, recording what emission needs: which
	// instructions are reachable, their sites, the control depth at each
	// `return`, and the block's operand types where straight-line runs
	// start and end.
	runs := straightRuns(instrs)
	isRunEdge := resize(&ws.edge, len(instrs)+1)
	for _, r := range runs {
		isRunEdge[r.start], isRunEdge[r.end] = true, true
	}
	reachable := resize(&ws.reachable, len(instrs))
	siteOf := resize(&ws.siteOf, len(instrs))
	depthAt := resize(&ws.depthAt, len(instrs))
	stackAt := resize(&ws.stackAt, len(instrs)+1)
	for i := range instrs {
		in := &instrs[i]
		siteOf[i] = -1
		reachable[i] = !typer.Unreachable()
		depthAt[i] = typer.Depth()
		if reachable[i] && (kinds[i] != 0 || isRunEdge[i]) {
			stack := typer.Stack()
			base := typer.FrameBase()
			stackAt[i] = append([]wasmbin.ValType{}, stack[base:]...) // non-nil even when empty
			if kinds[i] != 0 {
				siteOf[i] = len(w.out.sites)
				w.out.sites = append(w.out.sites, Site{Offset: in.Off, Func: fn, Kind: kinds[i],
					NLocals: len(ltypes), Locals: rw.passedLocals(fn, in.Off, ltypes),
					Stack: stackAt[i], StackBase: base, Trap: trapKind(in.Op)})
			}
		}
		if reachable[i] && isCall(in.Op) {
			rw.noteCall(def, *in)
		}
		if err := typer.Step(in); err != nil {
			return fail(err)
		}
	}

	// Prologue: count the frame, open $body.
	w.globalGet(w.gDepth())
	w.i32(1)
	w.op(wasmbin.OpI32Add)
	w.opIdx(wasmbin.OpGlobalSet, w.gDepth())
	w.emitBlock(wasmbin.OpBlock, w.blockTypeOf(wasmbin.FuncType{Results: ft.Results}))

	// Pass 2: emit. A straight-line run holding two or more sites becomes
	//   (guard) if (param S) (result S') <run, probes unguarded> else <run> end
	// so that, unarmed, the whole run costs one guard.
	runAt := map[int]run{}
	for _, r := range runs {
		n := 0
		for j := r.start; j <= r.end && j < len(instrs); j++ {
			if siteOf[j] >= 0 && w.out.sites[siteOf[j]].Kind != session.SiteTrap {
				n++
			}
		}
		if n >= 2 && reachable[r.start] && stackAt[r.start] != nil && r.end < len(instrs) && stackAt[r.end] != nil {
			runAt[r.start] = r
		}
	}
	for i := 0; i < len(instrs); {
		if r, ok := runAt[i]; ok {
			w.segment(r, siteOf, stackAt, mask)
			i = r.end
			if i < len(instrs) {
				w.cur = instrs[i].Off
				w.control(i, depthAt[i], reachable[i], siteOf[i], false, mask)
				i++
			}
			continue
		}
		w.cur = instrs[i].Off
		w.control(i, depthAt[i], reachable[i], siteOf[i], true, mask)
		i++
	}
	// The original final `end` closed $body; count the frame out.
	w.cur = code.End - 1
	w.globalGet(w.gDepth())
	w.i32(1)
	w.op(wasmbin.OpI32Sub)
	w.opIdx(wasmbin.OpGlobalSet, w.gDepth())
	w.end()

	w.out.locals = append(w.out.locals, code.Locals...)
	for _, t := range w.extra {
		w.out.locals = append(w.out.locals, wasmbin.LocalDecl{Count: 1, Type: t})
	}
	return w.out
}

// run is a straight-line run: instructions [start, end) that are not
// control instructions, followed by the control instruction at end (or the
// end of the body). The probe of the instruction at end belongs to the run:
// it runs just before that instruction.
type run struct{ start, end int }

// straightRuns splits a body into runs.
func straightRuns(instrs []wasmbin.Instr) []run {
	var runs []run
	start := 0
	for i := range instrs {
		if isControl(instrs[i].Op) {
			runs = append(runs, run{start, i})
			start = i + 1
		}
	}
	if start < len(instrs) {
		runs = append(runs, run{start, len(instrs)})
	}
	return runs
}

// isControl reports the instructions that end a straight-line run.
func isControl(op wasmbin.Op) bool {
	return isCall(op) || isBranch(op) || isBlockBoundary(op) || op == wasmbin.OpUnreachable
}

// control emits one instruction outside a segment: its probe (unless a
// segment already emitted it: withProbe false), the shadow-stack guards of
// a call, and the instruction itself.
func (w *fnWriter) control(i int, depth int, reachable bool, site int, withProbe bool, mask uint64) {
	if reachable && withProbe && site >= 0 {
		w.probe(site, w.out.sites[site], mask, true)
	}
	op := w.instrs[i].Op
	isPlainCall := op == wasmbin.OpCall || op == wasmbin.OpCallIndirect
	if reachable && isPlainCall {
		w.enter(site, mask)
	}
	w.original(i, depth)
	if reachable && isPlainCall {
		w.leave()
	}
}

// segment emits a run that holds several sites as an armed and a plain
// copy under one guard.
func (w *fnWriter) segment(r run, siteOf []int, stackAt [][]wasmbin.ValType, mask uint64) {
	instrs := w.instrs
	w.cur = instrs[r.start].Off
	bt := w.blockTypeOf(wasmbin.FuncType{Params: stackAt[r.start], Results: stackAt[r.end]})
	w.armGuard(w.gArm(), mask|AllBit)
	w.emitBlock(wasmbin.OpIf, bt)
	for armed := 0; armed < 2; armed++ {
		if armed == 1 {
			w.cur = instrs[r.start].Off
			w.op(wasmbin.OpElse)
		}
		for j := r.start; j <= r.end && j < len(instrs); j++ {
			w.cur = instrs[j].Off
			if id := siteOf[j]; id >= 0 {
				if armed == 0 {
					w.probe(id, w.out.sites[id], mask, false)
				} else {
					w.trapCheck(id, w.out.sites[id])
				}
			}
			if j < r.end {
				w.original(j, 0)
			}
		}
	}
	w.cur = instrs[r.start].Off
	w.end()
}

// blockTypeOf returns a block type for t: a value type when it can be one,
// else a function-local type reference that merge resolves.
func (w *fnWriter) blockTypeOf(t wasmbin.FuncType) wasmbin.BlockType {
	switch {
	case len(t.Params) == 0 && len(t.Results) == 0:
		return wasmbin.BlockType{Kind: wasmbin.BlockEmpty}
	case len(t.Params) == 0 && len(t.Results) == 1:
		return wasmbin.BlockType{Kind: wasmbin.BlockVal, Val: t.Results[0]}
	}
	w.out.types = append(w.out.types, t)
	return wasmbin.BlockType{Kind: wasmbin.BlockTypeIndex, TypeIndex: uint32(len(w.out.types) - 1)}
}

// emitBlock emits a block instruction; a type index is resolved at merge.
func (w *fnWriter) emitBlock(op wasmbin.Op, bt wasmbin.BlockType) {
	if bt.Kind == wasmbin.BlockTypeIndex {
		w.slot(op, patchType, bt.TypeIndex)
		return
	}
	w.emit(wasmbin.Instr{Op: op, Block: bt})
}

// probe emits the probe for a site (guarded, or not inside the armed copy
// of a segment) and the trap check of a trapping instruction.
func (w *fnWriter) probe(id int, s Site, mask uint64, guarded bool) {
	spill := w.spill(s)
	if s.Kind != session.SiteTrap {
		n := w.passedWords(s) + words(s.Stack)
		w.out.probeN[n] = true
		if guarded {
			w.armGuard(w.gArm(), mask|AllBit)
			w.ifEmpty()
		}
		w.probeCall(id, s, spill, phProbe)
		if guarded {
			w.end()
		}
	}
	w.trapPart(id, s, spill)
	w.restore(s, spill)
}

// trapCheck emits only the trap check of a site (the plain copy of a
// segment, or a site whose probe a segment emitted).
func (w *fnWriter) trapCheck(id int, s Site) {
	if s.Trap == NoTrap {
		return
	}
	spill := w.spill(s)
	w.trapPart(id, s, spill)
	w.restore(s, spill)
}

// spill moves the block's operand values to scratch locals, top first.
func (w *fnWriter) spill(s Site) []uint32 {
	spill := make([]uint32, len(s.Stack))
	for i := len(s.Stack) - 1; i >= 0; i-- {
		spill[i] = w.scratchLocal(s.Stack[i], i)
		w.localSet(spill[i])
	}
	return spill
}

// restore pushes the spilled values back.
func (w *fnWriter) restore(s Site, spill []uint32) {
	for i := range s.Stack {
		w.localGet(spill[i])
	}
}

// probeCall calls probe<N> or trap<N> with the site, locals and operands.
func (w *fnWriter) probeCall(id int, s Site, spill []uint32, ph uint32) {
	n := w.passedWords(s) + words(s.Stack)
	w.siteID(id)
	w.pushLocals(s)
	for i, t := range s.Stack {
		w.pushAsI64(spill[i], t)
	}
	w.call(ph + uint32(n))
}

// trapPart emits the trap probe of a trapping instruction.
func (w *fnWriter) trapPart(id int, s Site, spill []uint32) {
	n := w.passedWords(s) + words(s.Stack)
	switch s.Trap {
	case TrapUnreachable:
		w.out.probeN[n] = true
		w.probeCall(id, s, spill, phTrap)
	case TrapDivS, TrapDivU:
		w.out.probeN[n] = true
		w.divCheck(s, spill)
		w.ifEmpty()
		w.probeCall(id, s, spill, phTrap)
		w.end()
	}
}

// divCheck pushes "this division traps" for the two operands on top of the
// spilled stack.
func (w *fnWriter) divCheck(s Site, spill []uint32) {
	k := len(s.Stack)
	a, b := spill[k-2], spill[k-1]
	is64 := s.Stack[k-1] == wasmbin.I64
	w.localGet(b)
	if is64 {
		w.op(wasmbin.OpI64Eqz)
	} else {
		w.op(wasmbin.OpI32Eqz)
	}
	if s.Trap != TrapDivS {
		return
	}
	// || (a == MIN && b == -1)
	w.localGet(a)
	if is64 {
		w.i64(1 << 63)
		w.op(wasmbin.OpI64Eq)
		w.localGet(b)
		w.i64(^uint64(0))
		w.op(wasmbin.OpI64Eq)
	} else {
		w.i32(-1 << 31)
		w.op(wasmbin.OpI32Eq)
		w.localGet(b)
		w.i32(-1)
		w.op(wasmbin.OpI32Eq)
	}
	w.op(wasmbin.OpI32And)
	w.op(wasmbin.OpI32Or)
}

// enter emits the guarded shadow-stack push before a call at site id.
func (w *fnWriter) enter(id int, mask uint64) {
	if w.was == ^uint32(0) {
		w.was = w.nlocals + uint32(len(w.extra))
		w.extra = append(w.extra, wasmbin.I32)
	}
	s := w.out.sites[id]
	n := w.passedWords(s)
	w.out.enterN[n] = true
	w.armGuard(w.gCalls(), mask|AllBit)
	w.opIdx(wasmbin.OpLocalTee, w.was)
	w.ifEmpty()
	w.siteID(id)
	w.pushLocals(s)
	w.call(phEnter + uint32(n))
	w.end()
}

// leave emits the guarded shadow-stack pop after a call.
func (w *fnWriter) leave() {
	w.localGet(w.was)
	w.ifEmpty()
	w.call(phLeave)
	w.end()
}

// original emits original instruction i, renumbered for the new index
// spaces and with `return` turned into a branch to $body. depth is the
// control depth before the instruction (1 = the function body). An
// instruction that needs no change is copied byte for byte.
func (w *fnWriter) original(i int, depth int) {
	rw := w.rw
	in := w.instrs[i]
	switch in.Op {
	case wasmbin.OpReturn:
		// $body sits where the function label was, depth-1 labels out.
		w.emit(wasmbin.Instr{Op: wasmbin.OpBr, Index: uint32(depth - 1)})
		return
	case wasmbin.OpReturnCall, wasmbin.OpReturnCallIndirect:
		w.globalGet(w.gDepth())
		w.i32(1)
		w.op(wasmbin.OpI32Sub)
		w.opIdx(wasmbin.OpGlobalSet, w.gDepth())
	}
	switch in.Op {
	case wasmbin.OpCall, wasmbin.OpReturnCall, wasmbin.OpRefFunc:
		if in.Index >= rw.nImpFuncs {
			// Defined functions move by FuncShift, known in assemble.
			w.slot(in.Op, patchFunc, in.Index|definedFlag)
			return
		}
	case wasmbin.OpGlobalGet, wasmbin.OpGlobalSet:
		if in.Index >= rw.nImpGlobs {
			in.Index += 3
			w.emit(in)
			return
		}
	}
	end := w.code.End
	if i+1 < len(w.instrs) {
		end = w.instrs[i+1].Off
	}
	w.mark()
	w.out.body = append(w.out.body, w.code.Body[in.Off-w.code.BodyStart:end-w.code.BodyStart]...)
}

// definedFlag marks a not-yet-shifted defined function index in a body.
const definedFlag = 0x8000_0000

// noteCall records a call for the call graph.
func (rw *rewriter) noteCall(def int, in wasmbin.Instr) {
	switch in.Op {
	case wasmbin.OpCall, wasmbin.OpReturnCall:
		rw.res.Callees[def] = append(rw.res.Callees[def], in.Index)
	default:
		rw.res.IndirectCallers[def] = true
	}
}

// tableFuncs returns the functions named by element segments and ref.func
// in globals: the candidates of indirect calls.
func tableFuncs(m *wasmbin.Module) []uint32 {
	seen := map[uint32]bool{}
	for _, e := range m.Elems {
		for _, f := range e.Funcs {
			seen[f] = true
		}
		for _, ex := range e.Exprs {
			for _, in := range ex.Instrs {
				if in.Op == wasmbin.OpRefFunc {
					seen[in.Index] = true
				}
			}
		}
	}
	out := make([]uint32, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
