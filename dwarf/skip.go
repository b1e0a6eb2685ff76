package dwarf

import (
	"debug/dwarf"
	"fmt"
)

// The index walks every compile unit at Load time but needs only the
// entries at namespace level. debug/dwarf decodes (and allocates) every
// entry it passes, so the walk skips subtrees itself: it reads the unit's
// abbreviations and steps over attribute values by their form, without
// decoding them.

// abbrev is what skipping needs from an abbreviation declaration.
type abbrev struct {
	children bool
	forms    []uint64
}

// abbrevTable maps abbreviation codes to declarations. Producers number
// them densely from 1, so a slice does.
type abbrevTable []*abbrev

// parseAbbrevs reads the abbreviation table at off in .debug_abbrev.
func parseAbbrevs(sec []byte, off uint64) (abbrevTable, error) {
	if off >= uint64(len(sec)) {
		return nil, fmt.Errorf("%s: offset %#x out of range", secAbbrev, off)
	}
	r := newReader(secAbbrev, sec, int(off))
	var tab abbrevTable
	for {
		code := r.uleb()
		if r.err != nil {
			return nil, r.err
		}
		if code == 0 {
			return tab, nil
		}
		if code > 1<<16 || code > uint64(len(sec)) {
			return nil, fmt.Errorf("%s at %#x: abbreviation code %d too large to index", secAbbrev, r.off, code)
		}
		r.uleb() // tag
		a := &abbrev{children: r.u8() != 0}
		for {
			attr, form := r.uleb(), r.uleb()
			if r.err != nil {
				return nil, r.err
			}
			if attr == 0 && form == 0 {
				break
			}
			if form == formImplicitConst {
				r.sleb()
			}
			a.forms = append(a.forms, form)
		}
		for uint64(len(tab)) <= code {
			tab = append(tab, nil)
		}
		tab[code] = a
	}
}

// Forms not in lines.go.
const (
	formAddr          = 0x01
	formFlag          = 0x0c
	formRefAddr       = 0x10
	formRef1          = 0x11
	formRef2          = 0x12
	formRef4          = 0x13
	formRef8          = 0x14
	formRefUdata      = 0x15
	formIndirect      = 0x16
	formSecOffset     = 0x17
	formExprloc       = 0x18
	formFlagPresent   = 0x19
	formAddrx         = 0x1b
	formRefSup4       = 0x1c
	formStrpSup       = 0x1d
	formRefSig8       = 0x20
	formImplicitConst = 0x21
	formLoclistx      = 0x22
	formRnglistx      = 0x23
	formRefSup8       = 0x24
	formAddrx1        = 0x29
	formAddrx2        = 0x2a
	formAddrx3        = 0x2b
	formAddrx4        = 0x2c
	formGNUAddrIndex  = 0x1f01
	formGNUStrIndex   = 0x1f02
	formGNURefAlt     = 0x1f20
	formGNUStrpAlt    = 0x1f21
)

// skipper steps over the entries of one unit.
type skipper struct {
	tab      abbrevTable
	info     []byte
	version  int
	addrSize int
	dwarf64  bool
}

// skipForm steps over one attribute value.
func (s *skipper) skipForm(r *reader, form uint64, depth int) {
	offSize := 4
	if s.dwarf64 {
		offSize = 8
	}
	switch form {
	case formAddr:
		r.skip(s.addrSize)
	case formData1, formRef1, formFlag, formStrx1, formAddrx1:
		r.skip(1)
	case formData2, formRef2, formStrx2, formAddrx2:
		r.skip(2)
	case formStrx3, formAddrx3:
		r.skip(3)
	case formData4, formRef4, formRefSup4, formStrx4, formAddrx4:
		r.skip(4)
	case formData8, formRef8, formRefSig8, formRefSup8:
		r.skip(8)
	case formData16:
		r.skip(16)
	case formSdata, formUdata, formRefUdata, formStrx, formAddrx, formLoclistx, formRnglistx,
		formGNUAddrIndex, formGNUStrIndex:
		r.uleb()
	case formString:
		r.cstring()
	case formStrp, formLineStrp, formSecOffset, formStrpSup, formGNURefAlt, formGNUStrpAlt:
		r.skip(offSize)
	case formRefAddr:
		if s.version == 2 {
			r.skip(s.addrSize)
		} else {
			r.skip(offSize)
		}
	case formBlock1:
		r.skip(int(r.u8()))
	case formBlock2:
		r.skip(int(r.u16()))
	case formBlock4:
		r.skip(int(min(uint64(r.u32()), 1<<31)))
	case formBlock, formExprloc:
		r.skip(int(min(r.uleb(), 1<<31)))
	case formFlagPresent, formImplicitConst:
	case formIndirect:
		if depth > 4 {
			r.fail(fmt.Errorf("DW_FORM_indirect nested too deeply"))
			return
		}
		s.skipForm(r, r.uleb(), depth+1)
	default:
		r.fail(fmt.Errorf("unknown form %#x", form))
	}
}

// sibling returns the offset just past the entry at off and all its
// children.
func (s *skipper) sibling(off dwarf.Offset) (dwarf.Offset, error) {
	r := newReader(secInfo, s.info, int(off))
	for depth := 0; ; {
		code := r.uleb()
		if r.err != nil {
			return 0, r.err
		}
		if code == 0 {
			depth--
		} else {
			if code >= uint64(len(s.tab)) || s.tab[code] == nil {
				return 0, fmt.Errorf("%s at %#x: unknown abbreviation code %d", secInfo, r.off, code)
			}
			a := s.tab[code]
			for _, f := range a.forms {
				s.skipForm(r, f, 0)
			}
			if r.err != nil {
				return 0, r.err
			}
			if a.children {
				depth++
			}
		}
		if depth <= 0 {
			return dwarf.Offset(r.off), nil
		}
	}
}

// skipSubtree skips the children of e, the entry r just returned: by
// abbreviations when it can, else entry by entry.
func (cu *CU) skipSubtree(r *dwarf.Reader, e *dwarf.Entry) {
	if !e.Children {
		return
	}
	if cu.skip != nil {
		if next, err := cu.skip.sibling(e.Offset); err == nil && next > e.Offset && next < cu.dataEnd {
			r.Seek(next)
			return
		}
	}
	skipChildren(r)
}
