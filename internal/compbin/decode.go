// Package compbin decodes WebAssembly Component Model binaries
// (https://github.com/WebAssembly/component-model, design/mvp/Binary.md):
// the preamble (version 0x0d, layer 1) and every section, recursively into
// nested components, into plain Go structs. It does not validate beyond
// what decoding needs (index bounds, types and uniqueness are not checked)
// and uses only the standard library.
//
// Embedded core modules are kept as raw bytes with their file offsets;
// decode them with wdbg/internal/wasmbin. Every definition records the
// index it receives in its sort's index space, so a loader can resolve
// references without replaying the section order itself.
//
// Decode never panics and never allocates in proportion to a length field
// without checking it against the bytes left. Its errors are *DecodeError
// values naming the section and the file offset:
//
//	compbin: type section at 0x1a: unknown defined type 0x55
package compbin

import "bytes"

var (
	magic          = []byte{0x00, 0x61, 0x73, 0x6d}
	coreVersion    = []byte{0x01, 0x00, 0x00, 0x00}
	currentVersion = uint16(0x0d)
)

// IsComponent reports whether b starts with a component preamble (the wasm
// magic and layer 1), whatever its version.
func IsComponent(b []byte) bool {
	return len(b) >= 8 && bytes.Equal(b[:4], magic) && b[6] == 1 && b[7] == 0
}

// Decode decodes a component binary. Slices in the result alias b.
func Decode(b []byte) (c *Component, err error) {
	r := &reader{b: b, end: len(b), sec: SectionPreamble}
	defer func() {
		if e := recover(); e != nil {
			de, ok := e.(*DecodeError)
			if !ok {
				panic(e)
			}
			c, err = nil, de
		}
	}()
	return r.component(), nil
}

// component decodes a component occupying r.pos..r.end.
func (r *reader) component() *Component {
	c := &Component{Offset: r.pos, End: r.end}
	r.sec = SectionPreamble
	start := r.pos
	if r.remaining() < 8 {
		if r.remaining() >= 4 && !bytes.Equal(r.b[start:start+4], magic) {
			r.failAt(start, ErrNotComponent, "bad magic number")
		}
		r.failAt(r.end, ErrTruncated, "unexpected end of data in preamble")
	}
	if !bytes.Equal(r.bytes(4), magic) {
		r.failAt(start, ErrNotComponent, "bad magic number")
	}
	c.Version = uint16(r.b[start+4]) | uint16(r.b[start+5])<<8
	c.Layer = uint16(r.b[start+6]) | uint16(r.b[start+7])<<8
	switch {
	case c.Layer == 0:
		r.failAt(start+4, ErrNotComponent, "this is a core module, not a component")
	case c.Layer != 1:
		r.failAt(start+6, ErrNotComponent, "unknown layer %d", c.Layer)
	case c.Version != currentVersion:
		r.failAt(start+4, ErrVersion, "unsupported component version 0x%02x (want 0x%02x)", c.Version, currentVersion)
	}
	r.pos += 4
	for !r.eof() {
		r.sec = SectionPreamble
		off := r.pos
		id := SectionID(r.byte())
		sizeOff := r.pos
		size := r.u32()
		if int64(size) > int64(r.remaining()) {
			r.failAt(sizeOff, ErrTruncated, "%s section size %d larger than the %d bytes left", id, size, r.remaining())
		}
		if id > SectionValue {
			r.fail(off, "unknown section id %d", uint8(id))
		}
		s := Section{ID: id, Offset: off, Start: r.pos, End: r.pos + int(size)}
		sub := &reader{b: r.b, pos: s.Start, end: s.End, sec: id, depth: r.depth}
		s.First, s.Count = sub.section(c, id, off)
		if !sub.eof() {
			sub.fail(sub.pos, "%d unused bytes at the end of the section", sub.remaining())
		}
		r.pos = s.End
		c.Sections = append(c.Sections, s)
	}
	return c
}

// add assigns the next index of sort s.
func (c *Component) add(s Sort) uint32 {
	i := c.counts[s]
	c.counts[s]++
	return i
}

// section decodes one section's payload into c and returns the position
// and number of its items in the corresponding slice; off is the file
// offset of the section's id byte.
func (r *reader) section(c *Component, id SectionID, off int) (first, count int) {
	switch id {
	case SectionCustom:
		name := r.name()
		cu := Custom{Offset: off, Start: r.pos, End: r.end, Name: name}
		cu.Data = r.bytes(r.remaining())
		if name == "component-name" && c.Names == nil {
			c.Names = decodeNames(cu.Data)
		}
		c.Customs = append(c.Customs, cu)
		return len(c.Customs) - 1, 1
	case SectionCoreModule:
		if r.remaining() < 8 || !bytes.Equal(r.b[r.pos:r.pos+4], magic) {
			r.fail(r.pos, "embedded core module does not start with the wasm magic number")
		}
		if !bytes.Equal(r.b[r.pos+4:r.pos+8], coreVersion) {
			r.fail(r.pos+4, "embedded core module has version/layer % x, want 01 00 00 00", r.b[r.pos+4:r.pos+8])
		}
		// Fields that read r.pos are set apart from calls that move it:
		// their order inside one composite literal is unspecified.
		m := CoreModule{Index: c.add(SortCoreModule), Offset: r.pos, End: r.end}
		m.Bytes = r.bytes(r.remaining())
		c.CoreModules = append(c.CoreModules, m)
		return len(c.CoreModules) - 1, 1
	case SectionComponent:
		if r.depth >= maxDepth {
			r.fail(r.pos, "components nested too deeply")
		}
		sub := &reader{b: r.b, pos: r.pos, end: r.end, depth: r.depth + 1}
		nc := sub.component()
		r.pos = r.end
		nc.Index = c.add(SortComponent)
		c.Components = append(c.Components, nc)
		return len(c.Components) - 1, 1
	case SectionStart:
		s := Start{Offset: r.pos}
		s.Func = r.u32()
		n := r.count()
		s.Args = make([]uint32, 0, capHint(n))
		for range n {
			s.Args = append(s.Args, r.u32())
		}
		s.Results = r.u32()
		c.counts[SortValue] += s.Results
		c.Starts = append(c.Starts, s)
		return len(c.Starts) - 1, 1
	}

	n := r.count()
	switch id {
	case SectionCoreInstance:
		first = len(c.CoreInstances)
		for range n {
			ci := r.coreInstance()
			ci.Index = c.add(SortCoreInstance)
			c.CoreInstances = append(c.CoreInstances, ci)
		}
	case SectionCoreType:
		first = len(c.CoreTypes)
		for range n {
			ct := r.coreType()
			ct.Index = c.counts[SortCoreType]
			if ct.IsModule {
				c.add(SortCoreType)
			} else {
				c.counts[SortCoreType] += uint32(len(ct.SubTypes))
			}
			c.CoreTypes = append(c.CoreTypes, ct)
		}
	case SectionInstance:
		first = len(c.Instances)
		for range n {
			in := r.instance()
			in.Index = c.add(SortInstance)
			c.Instances = append(c.Instances, in)
		}
	case SectionAlias:
		first = len(c.Aliases)
		for range n {
			a := r.alias()
			a.Index = c.add(a.Sort)
			c.Aliases = append(c.Aliases, a)
		}
	case SectionType:
		first = len(c.Types)
		for range n {
			t := r.typeDef()
			t.Index = c.add(SortType)
			c.Types = append(c.Types, t)
		}
	case SectionCanon:
		first = len(c.Canons)
		for range n {
			cn := r.canon()
			if cn.Kind == CanonLift {
				cn.Index = c.add(SortFunc)
			} else {
				cn.Index = c.add(SortCoreFunc)
			}
			c.Canons = append(c.Canons, cn)
		}
	case SectionImport:
		first = len(c.Imports)
		for range n {
			im := Import{Offset: r.pos}
			im.Name, im.Type = r.externName(), r.externType()
			im.Index = c.add(im.Type.Kind.Sort())
			c.Imports = append(c.Imports, im)
		}
	case SectionExport:
		first = len(c.Exports)
		for range n {
			ex := Export{Offset: r.pos}
			ex.Name, ex.Item = r.externName(), r.sortIdx()
			if r.bool01("optional extern type") {
				et := r.externType()
				ex.Type = &et
			}
			ex.Index = c.add(ex.Item.Sort)
			c.Exports = append(c.Exports, ex)
		}
	case SectionValue:
		first = len(c.Values)
		for range n {
			v := Value{Offset: r.pos}
			v.Type = r.valType()
			loff := r.pos
			l := r.u32()
			if int64(l) > int64(r.remaining()) {
				r.failAt(loff, ErrTruncated, "value length %d larger than the %d bytes left", l, r.remaining())
			}
			v.Bytes = r.bytes(int(l))
			v.Index = c.add(SortValue)
			c.Values = append(c.Values, v)
		}
	}
	return first, n
}

func (r *reader) coreInstance() CoreInstance {
	off := r.pos
	ci := CoreInstance{Offset: off}
	switch k := r.byte(); k {
	case 0x00:
		ci.Instantiate = true
		ci.Module = r.u32()
		n := r.count()
		ci.Args = make([]CoreInstantiateArg, 0, capHint(n))
		for range n {
			a := CoreInstantiateArg{Name: r.name()}
			soff := r.pos
			if s := r.byte(); s != 0x12 {
				r.fail(soff, "core instantiate argument must be a core instance (0x12), got sort 0x%02x", s)
			}
			a.Instance = r.u32()
			ci.Args = append(ci.Args, a)
		}
	case 0x01:
		n := r.count()
		ci.Exports = make([]CoreInlineExport, 0, capHint(n))
		for range n {
			ci.Exports = append(ci.Exports, CoreInlineExport{Name: r.name(), Item: SortIdx{Sort: r.coreSort(), Index: r.u32()}})
		}
	default:
		r.fail(off, "unknown core instance expression 0x%02x", k)
	}
	return ci
}

func (r *reader) instance() Instance {
	off := r.pos
	in := Instance{Offset: off}
	switch k := r.byte(); k {
	case 0x00:
		in.Instantiate = true
		in.Component = r.u32()
		n := r.count()
		in.Args = make([]InstantiateArg, 0, capHint(n))
		for range n {
			in.Args = append(in.Args, InstantiateArg{Name: r.name(), Item: r.sortIdx()})
		}
	case 0x01:
		n := r.count()
		in.Exports = make([]InlineExport, 0, capHint(n))
		for range n {
			in.Exports = append(in.Exports, InlineExport{Name: r.externName(), Item: r.sortIdx()})
		}
	default:
		r.fail(off, "unknown instance expression 0x%02x", k)
	}
	return in
}

// coreSort reads a core:sort byte.
func (r *reader) coreSort() Sort {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00, 0x01, 0x02, 0x03, 0x04:
		return Sort(c) // SortCoreFunc..SortCoreTag
	case 0x10:
		return SortCoreType
	case 0x11:
		return SortCoreModule
	case 0x12:
		return SortCoreInstance
	default:
		r.fail(off, "unknown core sort 0x%02x", c)
	}
	return 0
}

// sort reads a component sort.
func (r *reader) sort() Sort {
	off := r.pos
	switch c := r.byte(); c {
	case 0x00:
		return r.coreSort()
	case 0x01:
		return SortFunc
	case 0x02:
		return SortValue
	case 0x03:
		return SortType
	case 0x04:
		return SortComponent
	case 0x05:
		return SortInstance
	default:
		r.fail(off, "unknown sort 0x%02x", c)
	}
	return 0
}

func (r *reader) sortIdx() SortIdx { return SortIdx{Sort: r.sort(), Index: r.u32()} }

func (r *reader) alias() Alias {
	off := r.pos
	a := Alias{Offset: off, Sort: r.sort()}
	koff := r.pos
	switch k := r.byte(); k {
	case 0x00:
		a.Kind = AliasExport
		a.Instance = r.u32()
		a.Name = r.name()
	case 0x01:
		a.Kind = AliasCoreExport
		a.Instance = r.u32()
		a.Name = r.name()
	case 0x02:
		switch a.Sort {
		case SortCoreType, SortCoreModule, SortType, SortComponent:
		default:
			r.fail(off, "outer alias of sort %s (only core type, core module, type and component)", a.Sort)
		}
		a.Kind = AliasOuter
		a.Count = r.u32()
		a.Idx = r.u32()
	default:
		r.fail(koff, "unknown alias target 0x%02x", k)
	}
	return a
}

func (r *reader) externName() ExternName {
	off := r.pos
	n := ExternName{Form: r.byte()}
	switch n.Form {
	case 0x00, 0x01:
		n.Name = r.name()
	case 0x02:
		n.Name = r.name()
		cnt := r.count()
		n.Attrs = make([]NameAttr, 0, capHint(cnt))
		for range cnt {
			aoff := r.pos
			a := NameAttr{Kind: r.byte()}
			if a.Kind > AttrExternalID {
				r.fail(aoff, "unknown name attribute 0x%02x", a.Kind)
			}
			a.Value = r.name()
			n.Attrs = append(n.Attrs, a)
		}
	default:
		r.fail(off, "unknown extern name form 0x%02x", n.Form)
	}
	return n
}

func (r *reader) externType() ExternType {
	off := r.pos
	t := ExternType{Kind: ExternKind(r.byte())}
	switch t.Kind {
	case ExternKindCoreModule:
		soff := r.pos
		if s := r.byte(); s != 0x11 {
			r.fail(soff, "core extern type must be a core module (0x11), got 0x%02x", s)
		}
		t.Type = r.u32()
	case ExternKindFunc, ExternKindComponent, ExternKindInstance:
		t.Type = r.u32()
	case ExternKindType:
		boff := r.pos
		switch t.Bound = r.byte(); t.Bound {
		case BoundEq:
			t.Type = r.u32()
		case BoundSubResource:
		default:
			r.fail(boff, "unknown type bound 0x%02x", t.Bound)
		}
	case ExternKindValue:
		boff := r.pos
		switch t.Bound = r.byte(); t.Bound {
		case BoundEq:
			t.Type = r.u32()
		case BoundValType:
			t.Val = r.valType()
		default:
			r.fail(boff, "unknown value bound 0x%02x", t.Bound)
		}
	default:
		r.fail(off, "unknown extern type 0x%02x", byte(t.Kind))
	}
	return t
}

// isPrim reports whether c is a primitive value type opcode.
func isPrim(c byte) bool { return (c >= 0x73 && c <= 0x7f) || c == 0x64 }

// valType reads a valtype: a primitive opcode or a non-negative s33 index.
func (r *reader) valType() ValType {
	off := r.pos
	c := r.peek()
	if isPrim(c) {
		r.pos++
		return ValType{Prim: PrimType(c)}
	}
	v := r.sleb(33)
	if v < 0 || v > 0xffffffff {
		r.fail(off, "unknown value type 0x%02x", c)
	}
	return ValType{Index: uint32(v)}
}

func (r *reader) optValType() *ValType {
	if r.bool01("optional type") {
		v := r.valType()
		return &v
	}
	return nil
}

func (r *reader) label() string { return r.name() }

// resultList reads "0x00 t" (one result) or "0x01 0x00" (none).
func (r *reader) resultList() *ValType {
	off := r.pos
	switch k := r.byte(); k {
	case 0x00:
		v := r.valType()
		return &v
	case 0x01:
		noff := r.pos
		if n := r.u32(); n != 0 {
			r.fail(noff, "named results are no longer supported (%d results)", n)
		}
		return nil
	default:
		r.fail(off, "unknown result list 0x%02x", k)
	}
	return nil
}

// typeDef reads a component "type" (deftype).
func (r *reader) typeDef() Type {
	off := r.pos
	c := r.byte()
	t := Type{Offset: off}
	switch c {
	case 0x40, 0x43:
		t.Kind = TypeFunc
		t.Async = c == 0x43
		t.Fields = r.fields()
		t.Elem = r.resultList()
	case 0x41, 0x42:
		t.Kind = TypeComponent
		if c == 0x42 {
			t.Kind = TypeInstance
		}
		if r.depth >= maxDepth {
			r.fail(off, "types nested too deeply")
		}
		r.depth++
		n := r.count()
		t.Decls = make([]Decl, 0, capHint(n))
		for range n {
			t.Decls = append(t.Decls, r.decl(t.Kind == TypeComponent))
		}
		r.depth--
	case 0x3f:
		t.Kind = TypeResource
		t.Rep = r.coreValType(false)
		if r.bool01("optional destructor") {
			d := r.u32()
			t.Dtor = &d
		}
	default:
		r.pos = off
		r.defValType(&t)
	}
	return t
}

func (r *reader) fields() []Field {
	n := r.count()
	fs := make([]Field, 0, capHint(n))
	for range n {
		fs = append(fs, Field{Name: r.label(), Type: r.valType()})
	}
	return fs
}

func (r *reader) labels() []string {
	n := r.count()
	ls := make([]string, 0, capHint(n))
	for range n {
		ls = append(ls, r.label())
	}
	return ls
}

// defValType reads a defvaltype into t.
func (r *reader) defValType(t *Type) {
	off := r.pos
	c := r.byte()
	if isPrim(c) {
		t.Kind, t.Prim = TypePrim, PrimType(c)
		return
	}
	switch c {
	case 0x72:
		t.Kind = TypeRecord
		t.Fields = r.fields()
	case 0x71:
		t.Kind = TypeVariant
		n := r.count()
		t.Cases = make([]Case, 0, capHint(n))
		for range n {
			cs := Case{Name: r.label(), Type: r.optValType()}
			roff := r.pos
			if z := r.byte(); z != 0 {
				r.fail(roff, "variant case %q: expected 0x00 after the case, got 0x%02x", cs.Name, z)
			}
			t.Cases = append(t.Cases, cs)
		}
	case 0x70:
		t.Kind = TypeList
		v := r.valType()
		t.Elem = &v
	case 0x67:
		t.Kind = TypeFixedList
		v := r.valType()
		t.Elem = &v
		t.Len = r.u32()
	case 0x6f:
		t.Kind = TypeTuple
		n := r.count()
		t.Tuple = make([]ValType, 0, capHint(n))
		for range n {
			t.Tuple = append(t.Tuple, r.valType())
		}
	case 0x6e:
		t.Kind = TypeFlags
		t.Labels = r.labels()
	case 0x6d:
		t.Kind = TypeEnum
		t.Labels = r.labels()
	case 0x6b:
		t.Kind = TypeOption
		v := r.valType()
		t.Elem = &v
	case 0x6a:
		t.Kind = TypeResult
		t.Ok = r.optValType()
		t.Err = r.optValType()
	case 0x69, 0x68:
		t.Kind = TypeOwn
		if c == 0x68 {
			t.Kind = TypeBorrow
		}
		t.Resource = r.u32()
	case 0x66, 0x65:
		t.Kind = TypeStream
		if c == 0x65 {
			t.Kind = TypeFuture
		}
		t.Elem = r.optValType()
	case 0x63:
		t.Kind = TypeMap
		t.Key = r.valType()
		v := r.valType()
		t.Elem = &v
	default:
		r.fail(off, "unknown defined type 0x%02x", c)
	}
}

// decl reads a component type declaration (component is true) or an
// instance type declaration.
func (r *reader) decl(component bool) Decl {
	off := r.pos
	d := Decl{Kind: DeclKind(r.byte()), Offset: off}
	switch d.Kind {
	case DeclCoreType:
		ct := r.coreType()
		d.CoreType = &ct
	case DeclType:
		t := r.typeDef()
		d.Type = &t
	case DeclAlias:
		a := r.alias()
		d.Alias = &a
	case DeclImport:
		if !component {
			r.fail(off, "import declaration in an instance type")
		}
		d.Name = r.externName()
		d.Extern = r.externType()
	case DeclExport:
		d.Name = r.externName()
		d.Extern = r.externType()
	default:
		r.fail(off, "unknown type declaration 0x%02x", byte(d.Kind))
	}
	return d
}
