package dwarf

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// funcIndex is built by Load from one walk over .debug_info: every
// subprogram with its name and code ranges, and the names of global
// variables and types. It is immutable after Load.
type funcIndex struct {
	funcs  []*Func // concrete and abstract, in .debug_info order
	byOff  map[dwarf.Offset]*Func
	byName map[string][]*Func // by Name, LinkageName and QualifiedName
	spans  []funcSpan         // code ranges of concrete functions, sorted by Low
	lowPCs map[CodeOffset]struct{}

	globals map[string][]*CU // CUs defining a global of that name (plain and qualified)
	statics []staticRef      // globals at a fixed address, for StaticObjects
	types   map[string][]typeRef
	enums   []dwarf.Offset          // every enumeration type, named or not, for Enumerator
	prefix  map[dwarf.Offset]string // "ns::Class::" of C++ entries inside namespaces and classes
}

type funcSpan struct {
	low, high CodeOffset
	f         *Func
}

// staticRef is a global variable whose location is a DW_OP_addr.
type staticRef struct {
	name string // qualified when it has a prefix
	addr uint64
	typ  dwarf.Offset // 0 if none
}

type typeRef struct {
	off  dwarf.Offset
	decl bool
}

func newFuncIndex() *funcIndex {
	return &funcIndex{
		byOff:   map[dwarf.Offset]*Func{},
		byName:  map[string][]*Func{},
		lowPCs:  map[CodeOffset]struct{}{},
		globals: map[string][]*CU{},
		types:   map[string][]typeRef{},
		prefix:  map[dwarf.Offset]string{},
	}
}

// definition returns the offset of a complete type with the given index
// key, other than off.
func (x *funcIndex) definition(key string, off dwarf.Offset) (dwarf.Offset, bool) {
	for _, r := range x.types[key] {
		if !r.decl && r.off != off {
			return r.off, true
		}
	}
	return 0, false
}

// specRef records a subprogram or variable whose name lives in another
// entry (DW_AT_specification or DW_AT_abstract_origin), resolved after
// the walk.
type specRef struct {
	f   *Func
	ref dwarf.Offset
}

// buildIndex walks every compile unit once.
func (d *Data) buildIndex() []error {
	if d.dw == nil {
		return nil
	}
	// Each unit is walked into its own partial index, on every core, and
	// the parts are merged in unit order, so the index does not depend on
	// the workers' timing.
	parts := make([]cuIndex, len(d.cus))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(d.cus)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := d.dw.Reader() // for this worker's lookups of other entries
			for {
				i := int(next.Add(1)) - 1
				if i >= len(d.cus) {
					return
				}
				parts[i] = d.indexCU(d.cus[i], rd)
			}
		}()
	}
	wg.Wait()
	var errs []error
	var specs []specRef
	x := d.idx
	for i, p := range parts {
		if p.err != nil {
			errs = append(errs, fmt.Errorf("index compile unit %s: %w", d.cus[i].Name, p.err))
		}
		if p.x == nil {
			continue
		}
		specs = append(specs, p.specs...)
		x.funcs = append(x.funcs, p.x.funcs...)
		maps.Copy(x.byOff, p.x.byOff)
		maps.Copy(x.prefix, p.x.prefix)
		for n, cus := range p.x.globals {
			x.globals[n] = append(x.globals[n], cus...)
		}
		for k, refs := range p.x.types {
			x.types[k] = append(x.types[k], refs...)
		}
		x.enums = append(x.enums, p.x.enums...)
		x.statics = append(x.statics, p.x.statics...)
	}
	for _, s := range specs {
		d.resolveSpec(s.f, s.ref)
	}
	for _, f := range x.funcs {
		for _, n := range uniq(f.Name, f.LinkageName, f.QualifiedName) {
			x.byName[n] = append(x.byName[n], f)
		}
		for _, r := range f.Ranges {
			x.spans = append(x.spans, funcSpan{r[0], r[1], f})
		}
		if len(f.Ranges) > 0 {
			x.lowPCs[f.Low] = struct{}{}
		}
	}
	sort.SliceStable(x.spans, func(i, j int) bool { return x.spans[i].low < x.spans[j].low })
	return errs
}

func uniq(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

// resolveSpec fills in the names of f from the entry it refers to (and
// that entry's own specification or origin).
func (d *Data) resolveSpec(f *Func, ref dwarf.Offset) {
	for range 8 {
		e, err := d.entry(ref)
		if err != nil {
			return
		}
		if f.Name == "" {
			f.Name, _ = e.Val(dwarf.AttrName).(string)
			if f.Name != "" {
				f.QualifiedName = d.qualify(e.Offset, f.Name)
			}
		}
		if f.LinkageName == "" {
			f.LinkageName = linkageName(e)
		}
		if !f.External {
			f.External, _ = e.Val(dwarf.AttrExternal).(bool)
		}
		next, ok := e.Val(dwarf.AttrSpecification).(dwarf.Offset)
		if !ok {
			next, ok = e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		}
		if !ok {
			return
		}
		ref = next
	}
}

// attrMIPSLinkageName is the pre-DWARF 4 spelling of DW_AT_linkage_name.
const attrMIPSLinkageName dwarf.Attr = 0x2007

func linkageName(e *dwarf.Entry) string {
	if s, ok := e.Val(dwarf.AttrLinkageName).(string); ok {
		return s
	}
	s, _ := e.Val(attrMIPSLinkageName).(string)
	return s
}

// cuIndex is what indexCU found in one compile unit.
type cuIndex struct {
	x     *funcIndex // funcs, byOff, prefix, globals, types, enums and statics of the unit
	specs []specRef
	err   error
}

// indexCU walks one compile unit: subprograms anywhere outside function
// bodies, variables and types at namespace level, and the qualified-name
// prefixes of C++ entries. It writes nothing shared but cu.skip, so units
// can be walked in parallel; rd is the caller's reader for looking up other
// entries.
func (d *Data) indexCU(cu *CU, rd *dwarf.Reader) (res cuIndex) {
	x := newFuncIndex()
	res.x = x
	defer func() {
		if p := recover(); p != nil {
			res.err = panicError("index", p)
		}
	}()
	cpp := cu.qualifiedNames()
	r := d.dw.Reader()
	r.Seek(cu.off)
	e, err := r.Next()
	if err != nil || e == nil {
		res.err = err
		return res
	}
	if !e.Children {
		return res
	}
	// The stack of open entries: their tags and name prefixes.
	type frame struct {
		tag    dwarf.Tag
		prefix string
	}
	stack := []frame{{tag: dwarf.TagCompileUnit}}
	if tab, err := parseAbbrevs(d.secs[secAbbrev], cu.abbrev); err == nil {
		cu.skip = &skipper{tab: tab, info: d.secs[secInfo], version: cu.Version, addrSize: cu.AddrSize, dwarf64: cu.dwarf64}
	}
	for len(stack) > 0 {
		e, err := r.Next()
		if err != nil {
			res.err = err
			return res
		}
		if e == nil || e.Offset >= cu.end {
			res.err = errors.New("unterminated entry tree")
			return res
		}
		if e.Tag == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		top := stack[len(stack)-1]
		if top.prefix != "" {
			x.prefix[e.Offset] = top.prefix
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		descend := false
		switch e.Tag {
		case dwarf.TagSubprogram:
			if f, ref := d.indexFunc(cu, x, e, name, top.prefix); f != nil && ref != 0 {
				res.specs = append(res.specs, specRef{f, ref})
			}
		case dwarf.TagVariable:
			if top.tag == dwarf.TagCompileUnit || top.tag == dwarf.TagNamespace {
				d.indexGlobal(cu, x, rd, e, name, top.prefix)
			}
		case dwarf.TagNamespace:
			descend = true
			if name == "" {
				name = "(anonymous namespace)"
			}
		case dwarf.TagStructType, dwarf.TagClassType, dwarf.TagUnionType, dwarf.TagEnumerationType:
			if e.Tag == dwarf.TagEnumerationType {
				x.enums = append(x.enums, e.Offset)
			}
			if name != "" {
				kw := map[dwarf.Tag]string{dwarf.TagStructType: "struct", dwarf.TagClassType: "class",
					dwarf.TagUnionType: "union", dwarf.TagEnumerationType: "enum"}[e.Tag]
				decl, _ := e.Val(dwarf.AttrDeclaration).(bool)
				ref := typeRef{e.Offset, decl}
				q := top.prefix + name
				x.types[typeKey(kw, q, cpp)] = append(x.types[typeKey(kw, q, cpp)], ref)
				if e.Tag == dwarf.TagClassType && !cpp {
					x.types["struct "+q] = append(x.types["struct "+q], ref)
				}
			}
			// C++ classes hold nested types and member declarations.
			descend = cpp && e.Tag != dwarf.TagEnumerationType
		case dwarf.TagBaseType, dwarf.TagTypedef, dwarf.TagUnspecifiedType:
			if name != "" {
				key := top.prefix + name
				if e.Tag == dwarf.TagBaseType {
					key, _ = canonBase(name)
				}
				x.types[key] = append(x.types[key], typeRef{off: e.Offset})
			}
		}
		if !e.Children {
			continue
		}
		if descend {
			p := top.prefix
			if name != "" {
				p += name + "::"
			}
			stack = append(stack, frame{tag: e.Tag, prefix: p})
			continue
		}
		cu.skipSubtree(r, e)
	}
	return res
}

// indexFunc records a subprogram. Declarations and functions the linker
// dropped are left out. It returns the entry to take the name from, if
// the subprogram has none.
func (d *Data) indexFunc(cu *CU, x *funcIndex, e *dwarf.Entry, name, prefix string) (*Func, dwarf.Offset) {
	if decl, _ := e.Val(dwarf.AttrDeclaration).(bool); decl {
		return nil, 0
	}
	hasCode := e.Val(dwarf.AttrLowpc) != nil || e.Val(dwarf.AttrRanges) != nil
	_, inline := e.Val(dwarf.AttrInline).(int64)
	ranges, err := d.entryRanges(cu, e)
	if err != nil {
		return nil, 0
	}
	if hasCode && len(ranges) == 0 {
		return nil, 0 // dropped by the linker (tombstone)
	}
	if !hasCode && !inline {
		return nil, 0 // no code and not an inlining origin: nothing to debug
	}
	f := &Func{
		Name:        name,
		LinkageName: linkageName(e),
		Ranges:      ranges,
		Inlined:     !hasCode,
		CU:          cu,
		off:         e.Offset,
	}
	if name != "" {
		f.QualifiedName = prefix + name
	}
	f.External, _ = e.Val(dwarf.AttrExternal).(bool)
	if len(ranges) > 0 {
		f.Low, f.High = ranges[0][0], ranges[len(ranges)-1][1]
		for _, r := range ranges {
			f.High = max(f.High, r[1])
		}
	}
	if fb := e.AttrField(dwarf.AttrFrameBase); fb != nil {
		if b, ok := fb.Val.([]byte); ok {
			f.FrameBase = d.normalize(cu, b)
		}
	}
	x.funcs = append(x.funcs, f)
	x.byOff[e.Offset] = f
	if ref, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
		f.origin = ref // an out-of-line instance of an inline function
		return f, ref
	}
	if ref, ok := e.Val(dwarf.AttrSpecification).(dwarf.Offset); ok {
		return f, ref // a definition of a declared (C++ member) function
	}
	return f, 0
}

// indexGlobal records the name of a variable defined at namespace level.
// rd reads the entry a C++ definition refers to for its name.
func (d *Data) indexGlobal(cu *CU, x *funcIndex, rd *dwarf.Reader, e *dwarf.Entry, name, prefix string) {
	if decl, _ := e.Val(dwarf.AttrDeclaration).(bool); decl {
		return
	}
	if e.Val(dwarf.AttrLocation) == nil && e.Val(dwarf.AttrConstValue) == nil {
		return
	}
	var spec *dwarf.Entry
	if ref, ok := e.Val(dwarf.AttrSpecification).(dwarf.Offset); ok {
		spec = entryAt(rd, ref)
	}
	if name == "" && spec != nil {
		name, _ = spec.Val(dwarf.AttrName).(string)
		prefix = x.prefix[spec.Offset] // the declaration is in the same unit's class
	}
	if name == "" {
		return // string literals and the like
	}
	for _, n := range uniq(name, prefix+name) {
		if l := x.globals[n]; len(l) == 0 || l[len(l)-1] != cu {
			x.globals[n] = append(l, cu)
		}
	}
	if loc, ok := e.Val(dwarf.AttrLocation).([]byte); ok {
		if addr, ok := d.staticAddr(cu, loc); ok {
			typ, _ := e.Val(dwarf.AttrType).(dwarf.Offset)
			if typ == 0 && spec != nil {
				typ, _ = spec.Val(dwarf.AttrType).(dwarf.Offset)
			}
			x.statics = append(x.statics, staticRef{name: prefix + name, addr: addr, typ: typ})
		}
	}
}

// entryAt reads the entry at off with rd; nil if there is none.
func entryAt(rd *dwarf.Reader, off dwarf.Offset) *dwarf.Entry {
	rd.Seek(off)
	e, err := rd.Next()
	if err != nil || e == nil || e.Offset != off {
		return nil
	}
	return e
}

// staticAddr returns the address of a location expression that is a single
// DW_OP_addr (after normalize resolves DW_OP_addrx).
func (d *Data) staticAddr(cu *CU, loc []byte) (uint64, bool) {
	e := d.normalize(cu, loc)
	switch {
	case len(e) == 5 && e[0] == opAddr:
		return uint64(binary.LittleEndian.Uint32(e[1:])), true
	case len(e) == 9 && e[0] == opAddr && cu.AddrSize == 8:
		return binary.LittleEndian.Uint64(e[1:]), true
	}
	return 0, false
}

// StaticObject is a global variable at a fixed address in linear memory.
type StaticObject struct {
	Name string // qualified for C++ ("ns::counter")
	Addr uint64
	typ  dwarf.Offset
}

// StaticObjects returns the global variables at fixed addresses (a
// DW_OP_addr location), sorted by address, for naming addresses
// ("accounts+16"). It decodes nothing: a debugger symbolizes pointers at
// its first stop, and decoding every unit (or every global's type) of a
// large program there took most of a second. StaticSize gives an object's
// size when it is needed.
func (d *Data) StaticObjects() []StaticObject {
	if d == nil {
		return nil
	}
	out := make([]StaticObject, len(d.idx.statics))
	for i, s := range d.idx.statics {
		out[i] = StaticObject{Name: s.name, Addr: s.addr, typ: s.typ}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

// StaticSize returns the size in bytes of o's type, at least 1. It decodes
// that type.
func (d *Data) StaticSize(o StaticObject) uint64 {
	if d == nil || o.typ == 0 {
		return 1
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return uint64(max(d.typeAt(o.typ).Size(), 1))
}

// funcAt returns the concrete function whose ranges contain pc.
func (x *funcIndex) funcAt(pc CodeOffset) *Func {
	i := sort.Search(len(x.spans), func(i int) bool { return x.spans[i].low > pc })
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		if s := x.spans[j]; s.low <= pc && pc < s.high {
			return s.f
		}
	}
	return nil
}

// index returns the function index (built by Load).
func (d *Data) index() *funcIndex { return d.idx }

// FuncByName returns the functions named name: by DW_AT_name, linkage
// name, or C++ qualified name ("geo::Shape::perimeter"). Concrete
// functions come first; functions that exist only inlined (Inlined set, no
// code of their own) follow; see InlinedCalls for their instances.
func (d *Data) FuncByName(name string) []*Func {
	if d == nil {
		return nil
	}
	fs := d.idx.byName[strings.TrimSpace(name)]
	if len(fs) == 0 {
		return nil
	}
	out := make([]*Func, 0, len(fs))
	for _, f := range fs {
		if !f.Inlined {
			out = append(out, f)
		}
	}
	for _, f := range fs {
		if f.Inlined {
			out = append(out, f)
		}
	}
	for _, f := range out {
		d.decodeCU(f.CU)
	}
	return out
}

// Funcs returns every concrete function (with code), sorted by Low.
// It decodes every compile unit.
func (d *Data) Funcs() []*Func {
	if d == nil {
		return nil
	}
	var out []*Func
	for _, f := range d.idx.funcs {
		if !f.Inlined {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Low < out[j].Low })
	for _, cu := range d.cus {
		d.decodeCU(cu)
	}
	return out
}

// FuncAt returns the concrete (out-of-line) function containing pc, nil
// if none. Inlined calls at pc are reported by InlineChain.
func (d *Data) FuncAt(pc CodeOffset) *Func {
	if d == nil {
		return nil
	}
	f := d.idx.funcAt(pc)
	if f != nil {
		d.decodeCU(f.CU)
	}
	return f
}

// Globals returns the variables defined at compile unit (or namespace)
// level: C globals and file statics. It decodes every compile unit.
func (d *Data) Globals() []*Var {
	if d == nil {
		return nil
	}
	var out []*Var
	for _, cu := range d.cus {
		d.decodeCU(cu)
		out = append(out, cu.globals...)
	}
	return out
}

// GlobalByName returns the global variables named name (plain or C++
// qualified name). Several compile units may each have a static of that
// name: Var.CU tells them apart.
func (d *Data) GlobalByName(name string) []*Var {
	if d == nil {
		return nil
	}
	name = strings.TrimSpace(name)
	var out []*Var
	for _, cu := range d.idx.globals[name] {
		d.decodeCU(cu)
		for _, v := range cu.globals {
			if v.Name == name || v.QualifiedName == name {
				out = append(out, v)
			}
		}
	}
	return out
}
