package wasmbin

import (
	"math"
	"slices"
)

// Encode returns the canonical encoding of m: sections in the order the
// spec requires, each written only if it has content (or a custom section
// is placed after it), minimal LEBs
// everywhere except inside Code.Body, which is written back verbatim.
// Custom sections are placed after the section named by their After field
// (or where that section would be), in Customs order; the name section is
// placed as Names.CustomsBefore says.
//
// Encode ignores Sections and CodeStart: they describe the file m was
// decoded from, and the result has its own layout.
func (m *Module) Encode() []byte {
	e := &encoder{m: m, out: make([]byte, 0, m.sizeHint())}
	e.out = append(e.out, "\x00asm\x01\x00\x00\x00"...)
	e.customs = slices.Clone(m.Customs)
	// A decoded module already has its customs in this order; a hand-edited
	// one might not, and file order must follow section order.
	slices.SortStableFunc(e.customs, func(a, b Custom) int { return sectionRank(a.After) - sectionRank(b.After) })

	type sec struct {
		id      SectionID
		present bool
		payload func() []byte
	}
	secs := []sec{
		{SectionType, len(m.Types) > 0, m.encodeTypes},
		{SectionImport, len(m.Imports) > 0, m.encodeImports},
		{SectionFunction, len(m.Funcs) > 0, func() []byte { return appendIndices(nil, m.Funcs) }},
		{SectionTable, len(m.Tables) > 0, m.encodeTables},
		{SectionMemory, len(m.Mems) > 0, m.encodeMems},
		{SectionTag, len(m.Tags) > 0, m.encodeTags},
		{SectionGlobal, len(m.Globals) > 0, m.encodeGlobals},
		{SectionExport, len(m.Exports) > 0, m.encodeExports},
		{SectionStart, m.Start != nil, func() []byte { return appendU32(nil, derefU32(m.Start)) }},
		{SectionElement, len(m.Elems) > 0, m.encodeElems},
		{SectionDataCount, m.DataCount != nil, func() []byte { return appendU32(nil, derefU32(m.DataCount)) }},
		{SectionCode, len(m.Code) > 0, m.encodeCode},
		{SectionData, len(m.Datas) > 0, m.encodeDatas},
	}
	// An empty vector section is normally left out, but one that a custom
	// section is placed after is kept, so the placement round-trips.
	anchored := map[SectionID]bool{}
	for _, c := range m.Customs {
		anchored[c.After] = true
	}
	for i := range secs {
		switch id := secs[i].id; id {
		case SectionStart, SectionDataCount:
			// No empty form: present means non-nil.
		default:
			secs[i].present = secs[i].present || anchored[id]
		}
	}
	last := -1
	for i, s := range secs {
		if s.present {
			last = i
		}
	}
	if last < 0 {
		e.nonCustomDone = true
	}
	e.customsUpTo(0)
	for i, s := range secs {
		if !s.present {
			continue
		}
		// Customs anchored to absent sections that come earlier.
		e.customsUpTo(sectionRank(s.id) - 1)
		e.section(s.id, s.payload())
		if i == last {
			e.nonCustomDone = true
		}
		e.customsUpTo(sectionRank(s.id))
	}
	e.nonCustomDone = true
	e.customsUpTo(math.MaxInt)
	e.maybeNames(true)
	return e.out
}

type encoder struct {
	m             *Module
	out           []byte
	customs       []Custom
	next          int // next custom to write
	nonCustomDone bool
	trailing      int // customs written after the last non-custom section
	namesDone     bool
}

func (e *encoder) section(id SectionID, payload []byte) {
	e.out = append(e.out, byte(id))
	e.out = appendU32(e.out, uint32(len(payload)))
	e.out = append(e.out, payload...)
}

// customsUpTo writes the pending custom sections that belong after a
// section of at most the given rank, and the name section when its turn
// comes.
func (e *encoder) customsUpTo(rank int) {
	e.maybeNames(false)
	for e.next < len(e.customs) && sectionRank(e.customs[e.next].After) <= rank {
		c := e.customs[e.next]
		payload := appendName(nil, c.Name)
		payload = append(payload, c.Data...)
		e.section(SectionCustom, payload)
		e.next++
		if e.nonCustomDone {
			e.trailing++
		}
		e.maybeNames(false)
	}
}

func (e *encoder) maybeNames(force bool) {
	n := e.m.Names
	if n == nil || e.namesDone {
		return
	}
	if !force && (!e.nonCustomDone || e.trailing < n.CustomsBefore) {
		return
	}
	e.namesDone = true
	payload := appendName(nil, "name")
	payload = append(payload, encodeNames(n)...)
	e.section(SectionCustom, payload)
}

// sizeHint guesses the output size so Encode rarely reallocates.
func (m *Module) sizeHint() int {
	n := 1024
	for _, c := range m.Code {
		n += len(c.Body) + 8 + 2*len(c.Locals)
	}
	for _, d := range m.Datas {
		n += len(d.Init) + 16
	}
	for _, c := range m.Customs {
		n += len(c.Data) + len(c.Name) + 8
	}
	return n
}

func derefU32(p *uint32) uint32 {
	if p == nil {
		return 0
	}
	return *p
}

func appendIndices(b []byte, idx []uint32) []byte {
	b = appendU32(b, uint32(len(idx)))
	for _, x := range idx {
		b = appendU32(b, x)
	}
	return b
}

func appendValTypes(b []byte, ts []ValType) []byte {
	b = appendU32(b, uint32(len(ts)))
	for _, t := range ts {
		b = append(b, byte(t))
	}
	return b
}

func (m *Module) encodeTypes() []byte {
	b := appendU32(nil, uint32(len(m.Types)))
	for _, t := range m.Types {
		b = append(b, 0x60)
		b = appendValTypes(b, t.Params)
		b = appendValTypes(b, t.Results)
	}
	return b
}

func appendLimits(b []byte, l Limits) []byte {
	var flags byte
	if l.HasMax {
		flags |= 1
	}
	if l.Shared {
		flags |= 2
	}
	if l.Is64 {
		flags |= 4
	}
	b = append(b, flags)
	b = appendUleb(b, l.Min)
	if l.HasMax {
		b = appendUleb(b, l.Max)
	}
	return b
}

func appendTableType(b []byte, t TableType) []byte {
	return appendLimits(append(b, byte(t.Elem)), t.Limits)
}

func appendGlobalType(b []byte, t GlobalType) []byte {
	b = append(b, byte(t.Type))
	if t.Mutable {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendConstExpr(b []byte, e ConstExpr) []byte {
	for i := range e.Instrs {
		b = AppendInstr(b, &e.Instrs[i])
	}
	return append(b, byte(OpEnd))
}

func (m *Module) encodeImports() []byte {
	b := appendU32(nil, uint32(len(m.Imports)))
	for _, imp := range m.Imports {
		b = appendName(b, imp.Module)
		b = appendName(b, imp.Name)
		b = append(b, byte(imp.Kind))
		switch imp.Kind {
		case FuncKind:
			b = appendU32(b, imp.Func)
		case TableKind:
			b = appendTableType(b, imp.Table)
		case MemoryKind:
			b = appendLimits(b, imp.Mem.Limits)
		case GlobalKind:
			b = appendGlobalType(b, imp.Global)
		case TagKind:
			b = appendU32(append(b, 0), imp.Tag)
		}
	}
	return b
}

func (m *Module) encodeTables() []byte {
	b := appendU32(nil, uint32(len(m.Tables)))
	for _, t := range m.Tables {
		b = appendTableType(b, t)
	}
	return b
}

func (m *Module) encodeMems() []byte {
	b := appendU32(nil, uint32(len(m.Mems)))
	for _, t := range m.Mems {
		b = appendLimits(b, t.Limits)
	}
	return b
}

func (m *Module) encodeTags() []byte {
	b := appendU32(nil, uint32(len(m.Tags)))
	for _, t := range m.Tags {
		b = appendU32(append(b, 0), t)
	}
	return b
}

func (m *Module) encodeGlobals() []byte {
	b := appendU32(nil, uint32(len(m.Globals)))
	for _, g := range m.Globals {
		b = appendGlobalType(b, g.Type)
		b = appendConstExpr(b, g.Init)
	}
	return b
}

func (m *Module) encodeExports() []byte {
	b := appendU32(nil, uint32(len(m.Exports)))
	for _, x := range m.Exports {
		b = appendName(b, x.Name)
		b = append(b, byte(x.Kind))
		b = appendU32(b, x.Index)
	}
	return b
}

// encodeElems picks the shortest of the eight element segment encodings
// that represents each segment.
func (m *Module) encodeElems() []byte {
	b := appendU32(nil, uint32(len(m.Elems)))
	for _, e := range m.Elems {
		exprs := e.Exprs != nil
		var flags uint32
		switch e.Mode {
		case ModePassive:
			flags = 1
		case ModeDeclarative:
			flags = 3
		default:
			if e.Table != 0 || (exprs && e.Type != FuncRef) {
				flags = 2
			}
		}
		if exprs {
			flags |= 4
		}
		b = appendU32(b, flags)
		if flags&2 != 0 && flags&1 == 0 {
			b = appendU32(b, e.Table)
		}
		if flags&1 == 0 {
			b = appendConstExpr(b, e.Offset)
		}
		if flags != 0 && flags != 4 {
			if exprs {
				b = append(b, byte(e.Type))
			} else {
				b = append(b, 0) // elemkind funcref
			}
		}
		if exprs {
			b = appendU32(b, uint32(len(e.Exprs)))
			for _, x := range e.Exprs {
				b = appendConstExpr(b, x)
			}
		} else {
			b = appendIndices(b, e.Funcs)
		}
	}
	return b
}

// CodeLayout returns where Encode will place the bodies of code in the
// code section: the code offset of each body's first instruction (what
// decoding the result gives as Code.BodyStart), and the size of the
// section's payload (the End of the last body). It lets a rewriter know its
// output's offsets without encoding and decoding it.
func CodeLayout(code []Code) (bodyStarts []CodeOffset, size uint32) {
	bodyStarts = make([]CodeOffset, len(code))
	pos := uint32(ulebLen(uint64(len(code))))
	for i, c := range code {
		locals := localsLen(c.Locals)
		n := uint32(locals + len(c.Body))
		pos += uint32(ulebLen(uint64(n)))
		bodyStarts[i] = CodeOffset(pos + uint32(locals))
		pos += n
	}
	return bodyStarts, pos
}

// localsLen is the length of appendLocals's encoding of locals.
func localsLen(locals []LocalDecl) int {
	n := ulebLen(uint64(len(locals)))
	for _, l := range locals {
		n += ulebLen(uint64(l.Count)) + 1
	}
	return n
}

func (m *Module) encodeCode() []byte {
	_, size := CodeLayout(m.Code)
	b := appendU32(make([]byte, 0, size), uint32(len(m.Code)))
	for _, c := range m.Code {
		locals := appendLocals(nil, c.Locals)
		b = appendU32(b, uint32(len(locals)+len(c.Body)))
		b = append(b, locals...)
		b = append(b, c.Body...)
	}
	return b
}

func (m *Module) encodeDatas() []byte {
	b := appendU32(nil, uint32(len(m.Datas)))
	for _, d := range m.Datas {
		switch {
		case d.Mode == ModePassive:
			b = append(b, 1)
		case d.Mem != 0:
			b = append(b, 2)
			b = appendU32(b, d.Mem)
		default:
			b = append(b, 0)
		}
		if d.Mode != ModePassive {
			b = appendConstExpr(b, d.Offset)
		}
		b = appendU32(b, uint32(len(d.Init)))
		b = append(b, d.Init...)
	}
	return b
}
