package dwarf

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
)

// CodeOffset is an offset relative to the start of the code section's
// payload: the address space of wasm DWARF. It has the same meaning as
// wdbg/internal/wasmbin.CodeOffset; this package does not import it (it
// depends on the standard library only), so callers convert with
// dwarf.CodeOffset(off) and wasmbin.CodeOffset(off).
type CodeOffset uint32

// Sections holds a module's DWARF custom sections by name (".debug_info",
// ".debug_line", ...). Any may be missing.
type Sections map[string][]byte

// Data is the DWARF of one module.
//
// Concurrency: a *Data is safe for concurrent use by any number of readers
// once Load has returned. Line tables and the function, variable and type
// name indexes are built by Load; compile units' scopes, variables and
// types are decoded on first use, under an internal mutex, and cached.
// Values returned by accessors are shared and must not be modified.
type Data struct {
	secs Sections
	dw   *dwarf.Data // nil if .debug_info is missing or unreadable

	cus []*CU // sorted by offset

	lineTables []*lineTable
	fileByPath map[string]*File
	files      []*File
	seqs       []*lineSeq // sorted by low address
	rows       []LineRow

	idx *funcIndex

	stmtOnce sync.Once
	stmts    []CodeOffset
	stmtRows []LineRow

	// mu guards lazy decoding: CU scopes, types, and the caches below.
	mu      sync.Mutex
	types   map[dwarf.Offset]Type
	typing  map[dwarf.Offset]bool // non-aggregate types being decoded (cycle guard)
	entries map[dwarf.Offset]*dwarf.Entry
	rd      *dwarf.Reader // for random access under mu
	// enumerators maps enumeration constants to their enums, built on the
	// first Enumerator call.
	enumerators map[string]enumerator
	lazyErr     []error
}

// CU is a compile unit.
type CU struct {
	Name     string // DW_AT_name, the primary source file as given to the compiler
	CompDir  string
	Producer string
	Language int // DW_LANG_*
	Version  int // DWARF version of the unit
	AddrSize int
	Ranges   [][2]CodeOffset // code covered by the unit, tombstones dropped
	Files    []*File         // its line table's files by DWARF file number; nil entries for unused numbers

	off        dwarf.Offset // of the DW_TAG_compile_unit entry
	end        dwarf.Offset // of the next unit's first entry (or end of section)
	dataEnd    dwarf.Offset // of the end of this unit
	abbrev     uint64       // offset of its abbreviations
	dwarf64    bool
	base       uint64 // base address for DWARF 4 ranges and location lists (DW_AT_low_pc)
	addrBase   uint64
	strBase    uint64
	locBase    uint64
	hasLocBase bool
	lineOff    int64    // DW_AT_stmt_list, -1 if none
	skip       *skipper // nil if its abbreviations are unreadable

	decoded atomic.Bool
	globals []*Var // after decode
}

// DW_LANG codes this package distinguishes.
const (
	langCPlusPlus   = 0x04
	langCPlusPlus03 = 0x19
	langCPlusPlus11 = 0x1a
	langRust        = 0x1c
	langCPlusPlus14 = 0x21
	langCPlusPlus17 = 0x2a
	langCPlusPlus20 = 0x2b
)

// IsCPlusPlus reports whether the unit's language is C++.
func (cu *CU) IsCPlusPlus() bool {
	switch cu.Language {
	case langCPlusPlus, langCPlusPlus03, langCPlusPlus11, langCPlusPlus14, langCPlusPlus17, langCPlusPlus20:
		return true
	}
	return false
}

// qualifiedNames reports whether the unit's language names types without
// a struct/enum keyword and nests names in namespaces (C++, Rust).
func (cu *CU) qualifiedNames() bool {
	return cu.IsCPlusPlus() || cu.Language == langRust
}

// Load reads a module's DWARF. It returns nil, nil if there is none. If some
// of it is corrupt it returns an error together with a *Data holding what
// could be read (for example the line tables without scopes; possibly
// nothing). The Data keeps references to the section bytes, which must
// not change afterwards.
func Load(secs Sections) (d *Data, err error) {
	if len(secs[secInfo]) == 0 && len(secs[secLine]) == 0 {
		return nil, nil
	}
	d = &Data{
		secs:       secs,
		fileByPath: map[string]*File{},
		types:      map[dwarf.Offset]Type{},
		typing:     map[dwarf.Offset]bool{},
		entries:    map[dwarf.Offset]*dwarf.Entry{},
		idx:        newFuncIndex(),
	}
	var errs []error
	defer func() {
		// The standard library's reader is not fuzzed against everything a
		// corrupt module can hold: never let it take the debugger down.
		if p := recover(); p != nil {
			errs = append(errs, panicError("load", p))
		}
		err = errors.Join(errs...)
	}()
	if len(secs[secInfo]) > 0 {
		if err := d.openInfo(); err != nil {
			errs = append(errs, err)
		}
	}
	// The line tables and the index of entries are independent: build
	// them at the same time.
	var lineErrs []error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				lineErrs = append(lineErrs, panicError("load lines", p))
			}
		}()
		lineErrs = d.loadLines()
		d.buildLineIndex()
	}()
	errs = append(errs, d.buildIndex()...)
	<-done
	errs = append(errs, lineErrs...)
	return d, nil
}

// errPanic marks errors made from recovered panics: bugs, which the tests
// look for.
var errPanic = errors.New("internal error on corrupt input")

// panicError turns a recovered panic into an error.
func panicError(what string, p any) error {
	return fmt.Errorf("%s: %w: %v\n%s", what, errPanic, p, debug.Stack())
}

// unitHeader is what this package reads itself from a unit header.
type unitHeader struct {
	base    int // offset of the unit header
	dieOff  int // offset of the first entry
	end     int // offset of the next unit
	version int
	utype   uint8
	dwarf64 bool
	abbrev  uint64 // offset of the unit's abbreviations
	asize   int
}

// DWARF 5 unit types.
const (
	utCompile      = 0x01
	utType         = 0x02
	utPartial      = 0x03
	utSkeleton     = 0x04
	utSplitCompile = 0x05
	utSplitType    = 0x06
)

// readUnitHeaders walks the unit headers of .debug_info. It stops at the
// first malformed one and returns the good ones and the error.
func readUnitHeaders(info []byte) ([]unitHeader, error) {
	var hs []unitHeader
	r := newReader(secInfo, info, 0)
	for r.left() > 0 {
		h := unitHeader{base: r.off}
		n, is64 := r.unitLength()
		if r.err != nil {
			return hs, r.err
		}
		if n > uint64(r.left()) {
			return hs, fmt.Errorf("%s at %#x: unit length %#x exceeds section", secInfo, h.base, n)
		}
		h.end = r.off + int(n)
		h.dwarf64 = is64
		h.version = int(r.u16())
		if h.version < 2 || h.version > 5 {
			if r.err == nil {
				return hs, fmt.Errorf("%s at %#x: unsupported DWARF version %d", secInfo, h.base, h.version)
			}
			return hs, r.err
		}
		if h.version >= 5 {
			h.utype = r.u8()
			h.asize = int(r.u8())
			h.abbrev = r.offset(is64)
			switch h.utype {
			case utSkeleton, utSplitCompile:
				r.u64()
			case utType, utSplitType:
				r.u64()
				r.offset(is64)
			}
		} else {
			h.abbrev = r.offset(is64)
			h.asize = int(r.u8())
		}
		if r.err != nil || r.off > h.end {
			return hs, fmt.Errorf("%s at %#x: truncated unit header", secInfo, h.base)
		}
		h.dieOff = r.off
		hs = append(hs, h)
		r.off = h.end
	}
	return hs, nil
}

// openInfo opens .debug_info with the standard library and lists the
// compile units. If some units are corrupt it keeps the ones before them.
func (d *Data) openInfo() error {
	info := d.secs[secInfo]
	hs, herr := readUnitHeaders(info)
	open := func(n int) (*dwarf.Data, error) {
		end := len(info)
		if n < len(hs) {
			end = hs[n].base
		}
		if n == 0 {
			return nil, errors.New("no readable units")
		}
		dw, err := dwarf.New(d.secs[secAbbrev], d.secs[secAranges], nil, info[:end], d.secs[secLine], nil, d.secs[secRanges], d.secs[secStr])
		if err != nil {
			return nil, err
		}
		for _, s := range []string{secAddr, secLineStr, secStrOffsets, secRnglists} {
			if b, ok := d.secs[s]; ok {
				dw.AddSection(s, b)
			}
		}
		return dw, nil
	}
	var errs []error
	if herr != nil {
		errs = append(errs, herr)
	}
	dw, err := open(len(hs))
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", secInfo, err))
		// Find the longest prefix of units the standard library accepts.
		// Acceptance is monotone in the prefix length.
		n := sort.Search(len(hs), func(n int) bool {
			_, err := open(n + 1)
			return err != nil
		})
		hs = hs[:n]
		if n == 0 {
			return errors.Join(errs...)
		}
		if dw, err = open(n); err != nil {
			return errors.Join(errs...)
		}
		errs = append(errs, fmt.Errorf("%s: using the first %d units only", secInfo, n))
	}
	d.dw = dw
	d.rd = dw.Reader()
	for i, h := range hs {
		if h.version >= 5 && h.utype != utCompile && h.utype != utPartial {
			continue // type and split units: not produced for wasm
		}
		end := len(info)
		if i+1 < len(hs) {
			end = hs[i+1].dieOff
		}
		cu, err := d.readCU(h, dwarf.Offset(end))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d.cus = append(d.cus, cu)
	}
	return errors.Join(errs...)
}

func (d *Data) readCU(h unitHeader, end dwarf.Offset) (*CU, error) {
	r := d.dw.Reader()
	r.Seek(dwarf.Offset(h.dieOff))
	e, err := r.Next()
	if err != nil {
		return nil, fmt.Errorf("%s: compile unit at %#x: %w", secInfo, h.dieOff, err)
	}
	if e == nil || (e.Tag != dwarf.TagCompileUnit && e.Tag != dwarf.TagPartialUnit) {
		return nil, fmt.Errorf("%s: unit at %#x does not start with a compile unit entry", secInfo, h.base)
	}
	cu := &CU{
		off:      e.Offset,
		end:      end,
		dataEnd:  dwarf.Offset(h.end),
		abbrev:   h.abbrev,
		Version:  h.version,
		AddrSize: r.AddressSize(),
		dwarf64:  h.dwarf64,
		lineOff:  -1,
	}
	cu.Name, _ = e.Val(dwarf.AttrName).(string)
	cu.CompDir, _ = e.Val(dwarf.AttrCompDir).(string)
	cu.Producer, _ = e.Val(dwarf.AttrProducer).(string)
	if v, ok := e.Val(dwarf.AttrLanguage).(int64); ok {
		cu.Language = int(v)
	}
	if v, ok := e.Val(dwarf.AttrLowpc).(uint64); ok {
		cu.base = v
	}
	if v, ok := e.Val(dwarf.AttrStmtList).(int64); ok {
		cu.lineOff = v
	}
	if v, ok := e.Val(dwarf.AttrAddrBase).(int64); ok {
		cu.addrBase = uint64(v)
	}
	if v, ok := e.Val(dwarf.AttrStrOffsetsBase).(int64); ok {
		cu.strBase = uint64(v)
	}
	if v, ok := e.Val(dwarf.AttrLoclistsBase).(int64); ok {
		cu.locBase, cu.hasLocBase = uint64(v), true
	}
	rs, err := d.entryRanges(cu, e)
	cu.Ranges = rs
	if err != nil {
		return cu, nil // the unit is still usable; its functions have their own ranges
	}
	return cu, nil
}

// loadLines decodes the line table of every compile unit, and any line
// table no unit names (so that lines survive a corrupt .debug_info).
func (d *Data) loadLines() []error {
	var errs []error
	done := map[uint64]*lineTable{}
	for _, cu := range d.cus {
		if cu.lineOff < 0 {
			continue
		}
		off := uint64(cu.lineOff)
		if lt, ok := done[off]; ok {
			cu.Files = lt.files
			continue
		}
		lt, err := d.parseLineTable(off, lineCtx{compDir: cu.CompDir, addrSize: cu.AddrSize, strOffsetsBase: cu.strBase})
		if err != nil {
			errs = append(errs, fmt.Errorf("line table of %s: %w", cu.Name, err))
		}
		done[off] = lt
		if lt != nil {
			cu.Files = lt.files
			d.lineTables = append(d.lineTables, lt)
		}
	}
	// Walk the section for tables no unit references.
	sec := d.secs[secLine]
	r := newReader(secLine, sec, 0)
	for r.left() > 0 {
		off := uint64(r.off)
		n, _ := r.unitLength()
		if r.err != nil || n > uint64(r.left()) {
			break
		}
		r.skip(int(n))
		if _, ok := done[off]; ok || n == 0 {
			continue
		}
		lt, err := d.parseLineTable(off, lineCtx{addrSize: 4})
		if err != nil {
			errs = append(errs, fmt.Errorf("unreferenced line table: %w", err))
		}
		done[off] = lt
		if lt != nil {
			d.lineTables = append(d.lineTables, lt)
		}
	}
	return errs
}

// cuAt returns the compile unit containing the entry at off.
func (d *Data) cuAt(off dwarf.Offset) *CU {
	i := sort.Search(len(d.cus), func(i int) bool { return d.cus[i].end > off })
	if i < len(d.cus) && d.cus[i].off <= off {
		return d.cus[i]
	}
	return nil
}

// CUs returns the compile units.
func (d *Data) CUs() []*CU {
	if d == nil {
		return nil
	}
	return d.cus
}

// entry reads the entry at off. Callers hold d.mu.
func (d *Data) entry(off dwarf.Offset) (*dwarf.Entry, error) {
	if e, ok := d.entries[off]; ok {
		return e, nil
	}
	if d.dw == nil {
		return nil, errors.New("no .debug_info")
	}
	if d.cuAt(off) == nil {
		return nil, fmt.Errorf("%s: reference %#x outside any compile unit", secInfo, off)
	}
	d.rd.Seek(off)
	e, err := d.rd.Next()
	if err != nil {
		return nil, fmt.Errorf("%s: entry at %#x: %w", secInfo, off, err)
	}
	if e == nil || e.Offset != off {
		return nil, fmt.Errorf("%s: no entry at %#x", secInfo, off)
	}
	d.entries[off] = e
	return e, nil
}

// noteErr records an error found while decoding lazily. Callers hold d.mu.
func (d *Data) noteErr(err error) {
	if err != nil && len(d.lazyErr) < 100 {
		d.lazyErr = append(d.lazyErr, err)
	}
}

// Errors returns the problems found while decoding lazily, after Load
// returned (corrupt entries, types or location lists). The affected values
// are left out or marked unavailable.
func (d *Data) Errors() []error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]error(nil), d.lazyErr...)
}

// skipChildren skips the children of the entry r just returned. Unlike
// (*dwarf.Reader).SkipChildren it does not recurse, so that deeply nested
// corrupt input cannot exhaust the stack.
func skipChildren(r *dwarf.Reader) {
	for depth := 1; depth > 0; {
		e, err := r.Next()
		if err != nil || e == nil {
			return
		}
		if e.Tag == 0 {
			depth--
		} else if e.Children {
			depth++
		}
	}
}
