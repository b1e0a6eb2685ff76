package dwarf

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// LineRow is one row of a line table: the source position of the code
// that starts at Addr and runs to the next row's Addr.
type LineRow struct {
	Addr        CodeOffset
	File        *File
	Line, Col   int // Line 0 means "no source line" (compiler-generated code)
	IsStmt      bool
	PrologueEnd bool
	EndSequence bool // Addr is one past the end of a sequence; the row covers no code
}

// File is a source file named by a line table. Files with the same Path
// are the same *File across compile units, so pointers may be compared.
type File struct {
	Name string // as in the line table, e.g. "src/main.c" or "stdio.h"
	Dir  string // its directory, joined with the compile unit's directory
	Path string // Dir and Name joined and cleaned; absolute unless the producer recorded relative paths
}

// lineTable is one decoded line program.
type lineTable struct {
	off     uint64
	version int
	files   []*File // by DWARF file number; nil where the number is unused
	dirs    []string
	seqs    []lineSeq
}

// lineSeq is one sequence of rows, in program order, ending with an
// end_sequence row. Rows are sorted by address.
type lineSeq struct {
	rows []LineRow
}

func (s *lineSeq) low() CodeOffset  { return s.rows[0].Addr }
func (s *lineSeq) high() CodeOffset { return s.rows[len(s.rows)-1].Addr }

// isTombstone reports whether a (32-bit) address is one the linker uses
// to mark code it dropped: 0 (older linkers), -1 and -2 (newer wasm-ld).
// Address 0 is never code: the code section payload starts with the
// function count.
func isTombstone(a uint64) bool {
	return a == 0 || a == 0xffffffff || a == 0xfffffffe || a > 0xffffffff
}

// lineHeader holds the fields of a line program header that the state
// machine needs.
type lineHeader struct {
	version       int
	dwarf64       bool
	addrSize      int
	minInstLen    uint8
	maxOpsPerInst uint8
	defaultIsStmt bool
	lineBase      int8
	lineRange     uint8
	opcodeBase    uint8
	stdLengths    []uint8
}

// lineCtx carries what a line program needs from its compile unit.
type lineCtx struct {
	compDir        string
	addrSize       int // from the unit, used by DWARF < 5 set_address checks
	strOffsetsBase uint64
}

// parseLineTable decodes the line program at off in .debug_line. It
// returns what it decoded before an error, so a corrupt program still
// yields its complete sequences.
func (d *Data) parseLineTable(off uint64, ctx lineCtx) (*lineTable, error) {
	sec := d.secs[secLine]
	if off >= uint64(len(sec)) {
		return nil, fmt.Errorf("%s: line program offset %#x out of range (size %#x)", secLine, off, len(sec))
	}
	r := newReader(secLine, sec, int(off))
	length, dwarf64 := r.unitLength()
	if r.err != nil {
		return nil, r.err
	}
	if length > uint64(r.left()) {
		return nil, fmt.Errorf("%s at %#x: unit length %#x exceeds section", secLine, off, length)
	}
	end := r.off + int(length)
	// Confine the reader to this unit.
	r = &reader{sec: secLine, data: sec[:end], off: r.off}
	lt := &lineTable{off: off}
	h, err := d.readLineHeader(r, lt, dwarf64, ctx)
	if err != nil {
		return lt, err
	}
	lt.version = h.version
	err = runLineProgram(r, h, lt, d.internFile)
	return lt, err
}

func (d *Data) readLineHeader(r *reader, lt *lineTable, dwarf64 bool, ctx lineCtx) (*lineHeader, error) {
	h := &lineHeader{dwarf64: dwarf64, addrSize: ctx.addrSize}
	h.version = int(r.u16())
	if r.err != nil {
		return nil, r.err
	}
	if h.version < 2 || h.version > 5 {
		return nil, fmt.Errorf("%s at %#x: unsupported line table version %d", secLine, lt.off, h.version)
	}
	if h.version >= 5 {
		h.addrSize = int(r.u8())
		r.u8() // segment_selector_size
	}
	hdrLen := r.offset(dwarf64)
	if r.err != nil {
		return nil, r.err
	}
	if hdrLen > uint64(r.left()) {
		return nil, fmt.Errorf("%s at %#x: header length %#x exceeds unit", secLine, lt.off, hdrLen)
	}
	progStart := r.off + int(hdrLen)
	h.minInstLen = r.u8()
	h.maxOpsPerInst = 1
	if h.version >= 4 {
		h.maxOpsPerInst = r.u8()
	}
	h.defaultIsStmt = r.u8() != 0
	h.lineBase = int8(r.u8())
	h.lineRange = r.u8()
	h.opcodeBase = r.u8()
	if h.opcodeBase > 0 {
		h.stdLengths = r.bytes(int(h.opcodeBase) - 1)
	}
	if r.err != nil {
		return nil, r.err
	}
	if h.lineRange == 0 {
		return nil, fmt.Errorf("%s at %#x: line_range is 0", secLine, lt.off)
	}
	if h.maxOpsPerInst == 0 {
		h.maxOpsPerInst = 1
	}
	var err error
	if h.version >= 5 {
		err = d.readFileTables5(r, h, lt, ctx)
	} else {
		err = d.readFileTables4(r, lt, ctx)
	}
	if err != nil {
		return nil, err
	}
	// The header length is authoritative: skip vendor extensions.
	if progStart < r.off {
		return nil, fmt.Errorf("%s at %#x: file tables overrun the header", secLine, lt.off)
	}
	r.off = progStart
	return h, nil
}

func (d *Data) readFileTables4(r *reader, lt *lineTable, ctx lineCtx) error {
	dirs := []string{ctx.compDir}
	for {
		s := r.cstring()
		if r.err != nil {
			return r.err
		}
		if s == "" {
			break
		}
		dirs = append(dirs, joinDir(ctx.compDir, s))
	}
	lt.dirs = dirs
	lt.files = []*File{nil} // DWARF 4 file numbers start at 1
	for {
		name := r.cstring()
		if r.err != nil {
			return r.err
		}
		if name == "" {
			break
		}
		dir := r.uleb()
		r.uleb() // mtime
		r.uleb() // length
		if r.err != nil {
			return r.err
		}
		lt.files = append(lt.files, d.internFile(name, dirAt(dirs, dir)))
	}
	return nil
}

func dirAt(dirs []string, i uint64) string {
	if i < uint64(len(dirs)) {
		return dirs[i]
	}
	return ""
}

// DWARF 5 line number content type codes.
const (
	lnctPath           = 0x1
	lnctDirectoryIndex = 0x2
)

// Forms that can appear in DWARF 5 line table headers.
const (
	formBlock2   = 0x03
	formBlock4   = 0x04
	formData2    = 0x05
	formData4    = 0x06
	formData8    = 0x07
	formString   = 0x08
	formBlock    = 0x09
	formBlock1   = 0x0a
	formData1    = 0x0b
	formSdata    = 0x0d
	formStrp     = 0x0e
	formUdata    = 0x0f
	formStrx     = 0x1a
	formData16   = 0x1e
	formLineStrp = 0x1f
	formStrx1    = 0x25
	formStrx2    = 0x26
	formStrx3    = 0x27
	formStrx4    = 0x28
)

type entryFormat struct{ content, form uint64 }

func (d *Data) readFileTables5(r *reader, h *lineHeader, lt *lineTable, ctx lineCtx) error {
	readFormats := func() []entryFormat {
		n := int(r.u8())
		fs := make([]entryFormat, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			fs = append(fs, entryFormat{r.uleb(), r.uleb()})
		}
		return fs
	}
	// readEntries decodes count entries of the given formats, calling
	// use(content, string value, numeric value) for each field.
	readEntries := func(formats []entryFormat, use func(i int, content uint64, s string, n uint64)) error {
		count := r.uleb()
		if r.err != nil {
			return r.err
		}
		// Every entry takes at least one byte per field; reject counts the
		// unit cannot hold before allocating anything for them.
		if len(formats) > 0 && count > uint64(r.left()) || len(formats) == 0 && count > 0 {
			return fmt.Errorf("%s at %#x: entry count %d exceeds the header", secLine, lt.off, count)
		}
		for i := 0; i < int(count); i++ {
			for _, f := range formats {
				s, n, err := d.lineForm(r, f.form, h.dwarf64, ctx)
				if err != nil {
					return err
				}
				use(i, f.content, s, n)
			}
		}
		return r.err
	}

	dirFormats := readFormats()
	var dirs []string
	err := readEntries(dirFormats, func(i int, content uint64, s string, _ uint64) {
		if i >= len(dirs) {
			dirs = append(dirs, "")
		}
		if content == lnctPath {
			if i == 0 {
				dirs[i] = s // the compilation directory
			} else {
				dirs[i] = joinDir(dirAt(dirs, 0), s)
			}
		}
	})
	if err != nil {
		return err
	}
	if len(dirs) > 0 && dirs[0] == "" {
		dirs[0] = ctx.compDir
	}
	lt.dirs = dirs

	fileFormats := readFormats()
	type fileEnt struct {
		name string
		dir  uint64
	}
	var ents []fileEnt
	err = readEntries(fileFormats, func(i int, content uint64, s string, n uint64) {
		if i >= len(ents) {
			ents = append(ents, fileEnt{})
		}
		switch content {
		case lnctPath:
			ents[i].name = s
		case lnctDirectoryIndex:
			ents[i].dir = n
		}
	})
	if err != nil {
		return err
	}
	lt.files = make([]*File, len(ents))
	for i, e := range ents {
		lt.files[i] = d.internFile(e.name, dirAt(dirs, e.dir))
	}
	return nil
}

// lineForm reads one attribute value of a line table header entry.
func (d *Data) lineForm(r *reader, form uint64, dwarf64 bool, ctx lineCtx) (string, uint64, error) {
	switch form {
	case formString:
		return r.cstring(), 0, r.err
	case formLineStrp, formStrp:
		off := r.offset(dwarf64)
		if r.err != nil {
			return "", 0, r.err
		}
		sec := secLineStr
		if form == formStrp {
			sec = secStr
		}
		s, err := cstringAt(sec, d.secs[sec], off)
		return s, 0, err
	case formStrx, formStrx1, formStrx2, formStrx3, formStrx4:
		var idx uint64
		switch form {
		case formStrx:
			idx = r.uleb()
		case formStrx1:
			idx = uint64(r.u8())
		case formStrx2:
			idx = uint64(r.u16())
		case formStrx3:
			idx = uint64(r.u24())
		case formStrx4:
			idx = uint64(r.u32())
		}
		if r.err != nil {
			return "", 0, r.err
		}
		s, err := d.strx(ctx.strOffsetsBase, idx, dwarf64)
		return s, 0, err
	case formUdata:
		return "", r.uleb(), r.err
	case formSdata:
		return "", uint64(r.sleb()), r.err
	case formData1:
		return "", uint64(r.u8()), r.err
	case formData2:
		return "", uint64(r.u16()), r.err
	case formData4:
		return "", uint64(r.u32()), r.err
	case formData8:
		return "", r.u64(), r.err
	case formData16:
		r.skip(16)
		return "", 0, r.err
	case formBlock:
		r.skip(int(min(r.uleb(), uint64(r.left()+1))))
		return "", 0, r.err
	case formBlock1:
		r.skip(int(r.u8()))
		return "", 0, r.err
	case formBlock2:
		r.skip(int(r.u16()))
		return "", 0, r.err
	case formBlock4:
		r.skip(int(min(uint64(r.u32()), uint64(r.left()+1))))
		return "", 0, r.err
	}
	r.fail(fmt.Errorf("unsupported form %#x in line table header", form))
	return "", 0, r.err
}

// Standard and extended line number opcodes.
const (
	lnsCopy             = 1
	lnsAdvancePC        = 2
	lnsAdvanceLine      = 3
	lnsSetFile          = 4
	lnsSetColumn        = 5
	lnsNegateStmt       = 6
	lnsSetBasicBlock    = 7
	lnsConstAddPC       = 8
	lnsFixedAdvancePC   = 9
	lnsSetPrologueEnd   = 10
	lnsSetEpilogueBegin = 11
	lnsSetISA           = 12

	lneEndSequence      = 1
	lneSetAddress       = 2
	lneDefineFile       = 3
	lneSetDiscriminator = 4
)

// runLineProgram executes the line program in r (positioned after the
// header) and appends complete sequences to lt.seqs. Sequences that start
// at a tombstone address, run past 32 bits or go backwards are dropped.
func runLineProgram(r *reader, h *lineHeader, lt *lineTable, intern func(name, dir string) *File) error {
	var (
		addr    uint64
		opIndex uint64
		file    uint64
		line    int64
		col     uint64
		isStmt  bool
		prolEnd bool
		rows    []LineRow
		bad     bool // the current sequence is tombstoned or malformed
	)
	reset := func() {
		addr, opIndex, file, line, col = 0, 0, 1, 1, 0
		isStmt, prolEnd = h.defaultIsStmt, false
		rows = rows[:0]
		bad = false
	}
	reset()
	fileAt := func(n uint64) *File {
		if n < uint64(len(lt.files)) {
			return lt.files[n]
		}
		return nil
	}
	emit := func(end bool) {
		if len(rows) > 0 && CodeOffset(addr) < rows[len(rows)-1].Addr {
			bad = true
		}
		if addr > 0xffffffff || len(rows) == 0 && isTombstone(addr) {
			bad = true
		}
		if !bad {
			rows = append(rows, LineRow{
				Addr: CodeOffset(addr), File: fileAt(file), Line: int(max(line, 0)), Col: int(min(col, 1<<31-1)),
				IsStmt: isStmt, PrologueEnd: prolEnd, EndSequence: end,
			})
		}
		prolEnd = false
	}
	advance := func(opAdv uint64) {
		if h.maxOpsPerInst == 1 {
			addr += uint64(h.minInstLen) * opAdv
			return
		}
		m := uint64(h.maxOpsPerInst)
		addr += uint64(h.minInstLen) * ((opIndex + opAdv) / m)
		opIndex = (opIndex + opAdv) % m
	}
	for r.left() > 0 {
		op := r.u8()
		switch {
		case op >= h.opcodeBase:
			adj := uint64(op - h.opcodeBase)
			advance(adj / uint64(h.lineRange))
			line += int64(h.lineBase) + int64(adj%uint64(h.lineRange))
			emit(false)
		case op == 0:
			n := r.uleb()
			if r.err != nil {
				break
			}
			if n == 0 || n > uint64(r.left()) {
				r.fail(fmt.Errorf("bad extended opcode length %d", n))
				break
			}
			start := r.off
			sub := r.u8()
			switch sub {
			case lneEndSequence:
				emit(true)
				if !bad && len(rows) > 0 {
					lt.seqs = append(lt.seqs, lineSeq{rows: slices.Clone(rows)})
				}
				reset()
			case lneSetAddress:
				size := int(n - 1)
				if size != 4 && size != 8 && size != 2 && size != 1 {
					r.fail(fmt.Errorf("bad DW_LNE_set_address size %d", size))
					break
				}
				addr = r.sized(size)
				opIndex = 0
			case lneDefineFile:
				// DWARF < 5 only, and rare.
				name := r.cstring()
				dir := r.uleb()
				r.uleb()
				r.uleb()
				if r.err == nil && len(lt.files) < 1<<20 {
					lt.files = append(lt.files, intern(name, dirAt(lt.dirs, dir)))
				}
			case lneSetDiscriminator:
				r.uleb()
			}
			// The length is authoritative; skip unknown or vendor operands.
			if r.err == nil {
				r.off = start + int(n)
			}
		case op == lnsCopy:
			emit(false)
		case op == lnsAdvancePC:
			advance(r.uleb())
		case op == lnsAdvanceLine:
			line += r.sleb()
		case op == lnsSetFile:
			file = r.uleb()
		case op == lnsSetColumn:
			col = r.uleb()
		case op == lnsNegateStmt:
			isStmt = !isStmt
		case op == lnsSetBasicBlock:
		case op == lnsConstAddPC:
			advance(uint64(255-h.opcodeBase) / uint64(h.lineRange))
		case op == lnsFixedAdvancePC:
			addr += uint64(r.u16())
			opIndex = 0
		case op == lnsSetPrologueEnd:
			prolEnd = true
		case op == lnsSetEpilogueBegin:
		case op == lnsSetISA:
			r.uleb()
		default:
			// An opcode this reader does not know: skip its operands.
			if int(op)-1 < len(h.stdLengths) {
				for range h.stdLengths[op-1] {
					r.uleb()
				}
			}
		}
		if r.err != nil {
			return r.err
		}
	}
	if len(rows) > 0 {
		return fmt.Errorf("%s at %#x: last sequence is not terminated", secLine, lt.off)
	}
	return nil
}

func isAbsPath(p string) bool {
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) {
		return true
	}
	// A Windows drive letter: "C:\..." or "C:/...".
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

// joinDir resolves dir against the compilation directory.
func joinDir(compDir, dir string) string {
	if dir == "" || isAbsPath(dir) || compDir == "" {
		return dir
	}
	return compDir + "/" + dir
}

// internFile returns the one *File for name in dir.
func (d *Data) internFile(name, dir string) *File {
	p := name
	if !isAbsPath(name) && dir != "" {
		p = dir + "/" + name
	}
	if p != "" {
		p = path.Clean(p)
	}
	if f, ok := d.fileByPath[p]; ok {
		return f
	}
	f := &File{Name: name, Dir: dir, Path: p}
	d.fileByPath[p] = f
	d.files = append(d.files, f)
	return f
}

// buildLineIndex sorts the sequences of all line tables by address and
// flattens them into d.rows.
func (d *Data) buildLineIndex() {
	for _, lt := range d.lineTables {
		for i := range lt.seqs {
			d.seqs = append(d.seqs, &lt.seqs[i])
		}
	}
	sort.SliceStable(d.seqs, func(i, j int) bool { return d.seqs[i].low() < d.seqs[j].low() })
	n := 0
	for _, s := range d.seqs {
		n += len(s.rows)
	}
	d.rows = make([]LineRow, 0, n)
	for _, s := range d.seqs {
		d.rows = append(d.rows, s.rows...)
	}
	// Sequences may interleave (rarely): keep rows sorted, end_sequence
	// rows before rows starting at the same address.
	sort.SliceStable(d.rows, func(i, j int) bool {
		a, b := &d.rows[i], &d.rows[j]
		if a.Addr != b.Addr {
			return a.Addr < b.Addr
		}
		return a.EndSequence && !b.EndSequence
	})
}

// LineRows returns the rows of all line tables, sorted by address, with
// tombstoned sequences dropped. The slice is shared: do not modify it.
func (d *Data) LineRows() []LineRow {
	if d == nil {
		return nil
	}
	return d.rows
}

// Files returns every source file named by the line tables, in the order
// first seen.
func (d *Data) Files() []*File {
	if d == nil {
		return nil
	}
	return d.files
}

// LineAt returns the row covering pc: the last row at or before pc in the
// sequence that contains pc.
func (d *Data) LineAt(pc CodeOffset) (LineRow, bool) {
	if d == nil {
		return LineRow{}, false
	}
	// The last sequence starting at or before pc; earlier ones may still
	// contain it if sequences overlap, so look back a little.
	i := sort.Search(len(d.seqs), func(i int) bool { return d.seqs[i].low() > pc })
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		s := d.seqs[j]
		if pc >= s.high() {
			continue
		}
		rows := s.rows[:len(s.rows)-1]
		k := sort.Search(len(rows), func(k int) bool { return rows[k].Addr > pc })
		if k > 0 {
			return rows[k-1], true
		}
	}
	return LineRow{}, false
}

// StmtOffsets returns the sorted, deduplicated addresses of is_stmt rows:
// the places where the debugger may stop for a source-level step or
// breakpoint. Rows at a function's low_pc are left out: that address is the
// function's local declarations, not an instruction.
func (d *Data) StmtOffsets() []CodeOffset {
	if d == nil {
		return nil
	}
	d.stmtOnce.Do(d.buildStmts)
	return d.stmts
}

func (d *Data) buildStmts() {
	idx := d.index()
	var rows []LineRow
	var offs []CodeOffset
	for _, r := range d.rows {
		if !r.IsStmt || r.EndSequence {
			continue
		}
		if _, ok := idx.lowPCs[r.Addr]; ok {
			continue
		}
		rows = append(rows, r)
		if len(offs) == 0 || offs[len(offs)-1] != r.Addr {
			offs = append(offs, r.Addr)
		}
	}
	d.stmtRows, d.stmts = rows, offs
}

// Errors of Lookup.
var (
	ErrNoFile = errors.New("no source file matches")
	ErrNoCode = errors.New("no code at or after line")
)

// Lookup returns the statement addresses (see StmtOffsets) of file:line.
// file matches a File by full path, by path suffix on a '/' boundary, or by
// base name; all matching files count. If no row has exactly that line it
// uses the next line that has code, as gdb does, and returns the line it
// used.
func (d *Data) Lookup(file string, line int) ([]CodeOffset, int, error) {
	if d == nil {
		return nil, 0, fmt.Errorf("%w %q: no line tables", ErrNoFile, file)
	}
	match := d.matchFiles(file)
	if len(match) == 0 {
		return nil, 0, fmt.Errorf("%w %q", ErrNoFile, file)
	}
	d.StmtOffsets()
	best := -1
	for _, r := range d.stmtRows {
		if r.Line >= line && (best < 0 || r.Line < best) && match[r.File] {
			best = r.Line
		}
	}
	if best < 0 {
		return nil, 0, fmt.Errorf("%w %s:%d", ErrNoCode, file, line)
	}
	var out []CodeOffset
	for _, r := range d.stmtRows {
		if r.Line == best && match[r.File] && (len(out) == 0 || out[len(out)-1] != r.Addr) {
			out = append(out, r.Addr)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), best, nil
}

func (d *Data) matchFiles(q string) map[*File]bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	cq := path.Clean(q)
	base := !strings.Contains(cq, "/")
	m := map[*File]bool{}
	for _, f := range d.files {
		if f.Path == cq || f.Path == q || strings.HasSuffix(f.Path, "/"+cq) ||
			base && path.Base(f.Path) == cq {
			m[f] = true
		}
	}
	return m
}
