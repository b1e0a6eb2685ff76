package dwarf

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"sort"
)

// Expr is a DWARF expression, raw. Expressions handed out by Data are
// normalized so that Eval needs no section context: DW_OP_addrx and
// DW_OP_constx are replaced by the value they index in .debug_addr (as
// DW_OP_addr and DW_OP_const4u in a unit with 4-byte addresses; in a unit
// with 8-byte addresses DW_OP_addr becomes DW_OP_const8u and DW_OP_deref
// DW_OP_deref_size 8, since Eval assumes wasm32).
type Expr []byte

// Location is where a variable lives over its lifetime.
type Location struct {
	Expr Expr       // applies at every pc when List is nil
	List []LocRange // a location list, sorted by Low; nil when Expr applies everywhere
	// Default applies where no List entry does (DWARF 5
	// DW_LLE_default_location); nil if there is none.
	Default Expr
	Valid   bool // false: the variable has no location at all (optimized out)
}

// LocRange is one entry of a location list: Expr applies in [Low, High).
type LocRange struct {
	Low, High CodeOffset
	Expr      Expr
}

// At returns the expression that gives the location at pc. It returns
// false where the variable is not available ("<optimized out>").
func (l Location) At(pc CodeOffset) (Expr, bool) {
	if !l.Valid {
		return nil, false
	}
	if l.List == nil {
		return l.Expr, len(l.Expr) > 0
	}
	// Entries are sorted by Low and may overlap (rarely); the first match
	// wins, as in LLVM.
	n := sort.Search(len(l.List), func(i int) bool { return l.List[i].Low > pc })
	for i := 0; i < n; i++ {
		e := l.List[i]
		if e.Low <= pc && pc < e.High {
			return e.Expr, len(e.Expr) > 0
		}
	}
	if l.Default != nil {
		return l.Default, len(l.Default) > 0
	}
	return nil, false
}

// DWARF 5 range list entry kinds (DW_RLE_*).
const (
	rleEndOfList    = 0x00
	rleBaseAddressx = 0x01
	rleStartxEndx   = 0x02
	rleStartxLength = 0x03
	rleOffsetPair   = 0x04
	rleBaseAddress  = 0x05
	rleStartEnd     = 0x06
	rleStartLength  = 0x07
)

// DWARF 5 location list entry kinds (DW_LLE_*).
const (
	lleEndOfList       = 0x00
	lleBaseAddressx    = 0x01
	lleStartxEndx      = 0x02
	lleStartxLength    = 0x03
	lleOffsetPair      = 0x04
	lleDefaultLocation = 0x05
	lleBaseAddress     = 0x06
	lleStartEnd        = 0x07
	lleStartLength     = 0x08
)

// maxListEntries bounds the entries read from one range or location list,
// so that a corrupt list cannot make a reader allocate without bound.
const maxListEntries = 1 << 16

// addRange appends [lo, hi) unless it is empty, tombstoned or out of the
// 32-bit code address space.
func addRange(rs [][2]CodeOffset, lo, hi uint64) [][2]CodeOffset {
	if lo >= hi || isTombstone(lo) || hi > 0xffffffff {
		return rs
	}
	return append(rs, [2]CodeOffset{CodeOffset(lo), CodeOffset(hi)})
}

// entryRanges returns the code ranges of an entry from DW_AT_low_pc and
// DW_AT_high_pc or DW_AT_ranges, sorted, with tombstoned ranges dropped.
func (d *Data) entryRanges(cu *CU, e *dwarf.Entry) ([][2]CodeOffset, error) {
	var rs [][2]CodeOffset
	if low, ok := e.Val(dwarf.AttrLowpc).(uint64); ok {
		f := e.AttrField(dwarf.AttrHighpc)
		if f != nil {
			switch v := f.Val.(type) {
			case uint64:
				rs = addRange(rs, low, v)
			case int64:
				if v >= 0 {
					rs = addRange(rs, low, low+uint64(v))
				}
			}
			return rs, nil
		}
		// A low_pc alone is a single address (DWARF 4 labels); no range.
		if e.Val(dwarf.AttrRanges) == nil {
			return nil, nil
		}
	}
	f := e.AttrField(dwarf.AttrRanges)
	if f == nil {
		return nil, nil
	}
	var off uint64
	switch v := f.Val.(type) {
	case int64: // DW_FORM_sec_offset (and DWARF 2/3 data forms)
		off = uint64(v)
	case uint64: // DW_FORM_rnglistx, resolved by debug/dwarf
		off = v
	default:
		return nil, fmt.Errorf("%s: entry at %#x: bad DW_AT_ranges", secInfo, e.Offset)
	}
	if cu.Version >= 5 {
		rs, err := d.rnglist(cu, off)
		return sortRanges(rs), err
	}
	rs, err := d.debugRanges(cu, off)
	return sortRanges(rs), err
}

func sortRanges(rs [][2]CodeOffset) [][2]CodeOffset {
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	return rs
}

// debugRanges reads a DWARF 2-4 range list from .debug_ranges.
func (d *Data) debugRanges(cu *CU, off uint64) ([][2]CodeOffset, error) {
	sec := d.secs[secRanges]
	if off >= uint64(len(sec)) {
		return nil, fmt.Errorf("%s: offset %#x out of range", secRanges, off)
	}
	r := newReader(secRanges, sec, int(off))
	as := cu.AddrSize
	maxAddr := ^uint64(0) >> (64 - 8*uint(as))
	if as != 4 && as != 8 {
		return nil, fmt.Errorf("%s: unsupported address size %d", secRanges, as)
	}
	base := cu.base
	var rs [][2]CodeOffset
	for range maxListEntries {
		lo, hi := r.sized(as), r.sized(as)
		if r.err != nil {
			return rs, r.err
		}
		switch {
		case lo == 0 && hi == 0:
			return rs, nil
		case lo == maxAddr:
			base = hi
		case isTombstone(base) && base != 0:
			// Entries relative to a dropped function's base.
		default:
			rs = addRange(rs, base+lo, base+hi)
		}
	}
	return rs, fmt.Errorf("%s at %#x: list too long", secRanges, off)
}

// rnglist reads a DWARF 5 range list from .debug_rnglists.
func (d *Data) rnglist(cu *CU, off uint64) ([][2]CodeOffset, error) {
	sec := d.secs[secRnglists]
	if off >= uint64(len(sec)) {
		return nil, fmt.Errorf("%s: offset %#x out of range", secRnglists, off)
	}
	r := newReader(secRnglists, sec, int(off))
	as := cu.AddrSize
	base, baseOK := cu.base, true
	addr := func(idx uint64) (uint64, bool) {
		a, err := d.addrx(cu.addrBase, idx, as)
		if err != nil {
			r.fail(err)
			return 0, false
		}
		return a, true
	}
	var rs [][2]CodeOffset
	for range maxListEntries {
		kind := r.u8()
		if r.err != nil {
			return rs, r.err
		}
		switch kind {
		case rleEndOfList:
			return rs, nil
		case rleBaseAddressx:
			base, baseOK = addr(r.uleb())
			baseOK = baseOK && !isTombstone(base)
		case rleBaseAddress:
			base = r.sized(as)
			baseOK = !isTombstone(base)
		case rleStartxEndx:
			lo, ok1 := addr(r.uleb())
			hi, ok2 := addr(r.uleb())
			if ok1 && ok2 {
				rs = addRange(rs, lo, hi)
			}
		case rleStartxLength:
			lo, ok := addr(r.uleb())
			n := r.uleb()
			if ok {
				rs = addRange(rs, lo, lo+n)
			}
		case rleOffsetPair:
			lo, hi := r.uleb(), r.uleb()
			if baseOK {
				rs = addRange(rs, base+lo, base+hi)
			}
		case rleStartEnd:
			lo, hi := r.sized(as), r.sized(as)
			rs = addRange(rs, lo, hi)
		case rleStartLength:
			lo := r.sized(as)
			rs = addRange(rs, lo, lo+r.uleb())
		default:
			return rs, fmt.Errorf("%s at %#x: unknown range list entry kind %#x", secRnglists, r.off-1, kind)
		}
		if r.err != nil {
			return rs, r.err
		}
	}
	return rs, fmt.Errorf("%s at %#x: list too long", secRnglists, off)
}

// location decodes a DW_AT_location (or similar) attribute.
func (d *Data) location(cu *CU, f *dwarf.Field) (Location, error) {
	if f == nil {
		return Location{}, nil
	}
	switch v := f.Val.(type) {
	case []byte:
		if f.Class == dwarf.ClassExprLoc || f.Class == dwarf.ClassBlock {
			return Location{Expr: d.normalize(cu, v), Valid: true}, nil
		}
	case int64:
		if f.Class == dwarf.ClassLocListPtr {
			if cu.Version >= 5 {
				return d.loclist(cu, uint64(v))
			}
			return d.debugLoc(cu, uint64(v))
		}
	case uint64:
		if f.Class == dwarf.ClassLocList {
			off, err := d.loclistx(cu, v)
			if err != nil {
				return Location{}, err
			}
			return d.loclist(cu, off)
		}
	}
	return Location{}, fmt.Errorf("unsupported location attribute class %v", f.Class)
}

// loclistx resolves a DW_FORM_loclistx index through the unit's offset
// table in .debug_loclists.
func (d *Data) loclistx(cu *CU, idx uint64) (uint64, error) {
	sec := d.secs[secLoclists]
	base := cu.locBase
	if !cu.hasLocBase {
		base = 12 // the size of a 32-bit table header
		if cu.dwarf64 {
			base = 20
		}
	}
	size := uint64(4)
	if cu.dwarf64 {
		size = 8
	}
	// The offset_entry_count of the table header ends right at the base.
	var count uint64
	if base >= 4 && base <= uint64(len(sec)) {
		count = uint64(binary.LittleEndian.Uint32(sec[base-4:]))
	}
	pos := base + idx*size
	if idx >= count || pos < base || pos+size > uint64(len(sec)) {
		return 0, fmt.Errorf("%s: location list index %d (base %#x, %d entries) out of range", secLoclists, idx, base, count)
	}
	r := newReader(secLoclists, sec, int(pos))
	return base + r.offset(cu.dwarf64), r.err
}

// debugLoc reads a DWARF 2-4 location list from .debug_loc.
func (d *Data) debugLoc(cu *CU, off uint64) (Location, error) {
	sec := d.secs[secLoc]
	if off >= uint64(len(sec)) {
		return Location{}, fmt.Errorf("%s: offset %#x out of range", secLoc, off)
	}
	r := newReader(secLoc, sec, int(off))
	as := cu.AddrSize
	if as != 4 && as != 8 {
		return Location{}, fmt.Errorf("%s: unsupported address size %d", secLoc, as)
	}
	maxAddr := ^uint64(0) >> (64 - 8*uint(as))
	base := cu.base
	loc := Location{Valid: true, List: []LocRange{}}
	for range maxListEntries {
		lo, hi := r.sized(as), r.sized(as)
		if r.err != nil {
			return loc, r.err
		}
		if lo == 0 && hi == 0 {
			loc.List = sortLocs(loc.List)
			return loc, nil
		}
		if lo == maxAddr {
			base = hi
			continue
		}
		n := int(r.u16())
		expr := r.bytes(n)
		if r.err != nil {
			return loc, r.err
		}
		if isTombstone(base) && base != 0 {
			continue
		}
		loc.List = addLoc(loc.List, base+lo, base+hi, d.normalize(cu, expr))
	}
	return loc, fmt.Errorf("%s at %#x: list too long", secLoc, off)
}

func addLoc(l []LocRange, lo, hi uint64, e Expr) []LocRange {
	if lo >= hi || isTombstone(lo) || hi > 0xffffffff {
		return l
	}
	return append(l, LocRange{Low: CodeOffset(lo), High: CodeOffset(hi), Expr: e})
}

func sortLocs(l []LocRange) []LocRange {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Low < l[j].Low })
	return l
}

// loclist reads a DWARF 5 location list from .debug_loclists.
func (d *Data) loclist(cu *CU, off uint64) (Location, error) {
	sec := d.secs[secLoclists]
	if off >= uint64(len(sec)) {
		return Location{}, fmt.Errorf("%s: offset %#x out of range", secLoclists, off)
	}
	r := newReader(secLoclists, sec, int(off))
	as := cu.AddrSize
	base, baseOK := cu.base, true
	addr := func(idx uint64) (uint64, bool) {
		a, err := d.addrx(cu.addrBase, idx, as)
		if err != nil {
			r.fail(err)
			return 0, false
		}
		return a, true
	}
	expr := func() Expr {
		n := r.uleb()
		if n > uint64(r.left()) {
			r.fail(errTruncated)
			return nil
		}
		return d.normalize(cu, r.bytes(int(n)))
	}
	loc := Location{Valid: true, List: []LocRange{}}
	for range maxListEntries {
		kind := r.u8()
		if r.err != nil {
			return loc, r.err
		}
		switch kind {
		case lleEndOfList:
			loc.List = sortLocs(loc.List)
			return loc, nil
		case lleBaseAddressx:
			base, baseOK = addr(r.uleb())
			baseOK = baseOK && !isTombstone(base)
		case lleBaseAddress:
			base = r.sized(as)
			baseOK = !isTombstone(base)
		case lleStartxEndx:
			lo, ok1 := addr(r.uleb())
			hi, ok2 := addr(r.uleb())
			e := expr()
			if ok1 && ok2 {
				loc.List = addLoc(loc.List, lo, hi, e)
			}
		case lleStartxLength:
			lo, ok := addr(r.uleb())
			n := r.uleb()
			e := expr()
			if ok {
				loc.List = addLoc(loc.List, lo, lo+n, e)
			}
		case lleOffsetPair:
			lo, hi := r.uleb(), r.uleb()
			e := expr()
			if baseOK {
				loc.List = addLoc(loc.List, base+lo, base+hi, e)
			}
		case lleDefaultLocation:
			loc.Default = expr()
		case lleStartEnd:
			lo, hi := r.sized(as), r.sized(as)
			loc.List = addLoc(loc.List, lo, hi, expr())
		case lleStartLength:
			lo := r.sized(as)
			n := r.uleb()
			loc.List = addLoc(loc.List, lo, lo+n, expr())
		default:
			return loc, fmt.Errorf("%s at %#x: unknown location list entry kind %#x", secLoclists, r.off-1, kind)
		}
		if r.err != nil {
			return loc, r.err
		}
	}
	return loc, fmt.Errorf("%s at %#x: list too long", secLoclists, off)
}

// normalize rewrites the operations of e that need section context
// (DW_OP_addrx, DW_OP_constx and their GNU forms) into self-contained
// ones, and address-sized operations of 8-byte units into explicit ones,
// so that Eval can run e alone. An expression it cannot walk is returned
// unchanged: Eval reports the problem.
func (d *Data) normalize(cu *CU, e []byte) Expr {
	if len(e) == 0 {
		return Expr(e)
	}
	needs := false
	err := walkOps(e, cu.AddrSize, func(op byte, _ int, _ []byte) bool {
		switch op {
		case opAddrx, opConstx, opGNUAddrIndex, opGNUConstIndex:
			needs = true
		case opAddr, opDeref:
			needs = needs || cu.AddrSize != 4
		}
		return true
	})
	if err != nil || !needs {
		return Expr(e)
	}
	out := make([]byte, 0, len(e)+8)
	ok := true
	walkOps(e, cu.AddrSize, func(op byte, off int, raw []byte) bool {
		switch op {
		case opAddrx, opConstx, opGNUAddrIndex, opGNUConstIndex:
			r := newReader("expression", raw[1:], 0)
			idx := r.uleb()
			v, err := d.addrx(cu.addrBase, idx, cu.AddrSize)
			if err != nil {
				ok = false
				return false
			}
			switch {
			case cu.AddrSize == 4 && (op == opAddrx || op == opGNUAddrIndex):
				out = append(out, opAddr)
				out = binary.LittleEndian.AppendUint32(out, uint32(v))
			case cu.AddrSize == 4:
				out = append(out, opConst4u)
				out = binary.LittleEndian.AppendUint32(out, uint32(v))
			default:
				out = append(out, opConst8u)
				out = binary.LittleEndian.AppendUint64(out, v)
			}
		case opAddr:
			if cu.AddrSize == 4 {
				out = append(out, raw...)
			} else {
				out = append(out, opConst8u)
				out = append(out, raw[1:]...)
			}
		case opDeref:
			if cu.AddrSize == 4 {
				out = append(out, raw...)
			} else {
				out = append(out, opDerefSize, byte(cu.AddrSize))
			}
		case opSkip, opBra:
			// Branch targets would move; keep such expressions as they are
			// when a rewrite changes their length.
			out = append(out, raw...)
		default:
			out = append(out, raw...)
		}
		return true
	})
	if !ok {
		return Expr(e)
	}
	if len(out) != len(e) && hasBranch(e, cu.AddrSize) {
		return Expr(e)
	}
	return Expr(out)
}

func hasBranch(e []byte, addrSize int) bool {
	found := false
	walkOps(e, addrSize, func(op byte, _ int, _ []byte) bool {
		if op == opSkip || op == opBra {
			found = true
			return false
		}
		return true
	})
	return found
}
