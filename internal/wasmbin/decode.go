package wasmbin

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// maxLocals bounds the number of declared locals of one function. The core
// spec only says "fewer than 2^32", but expanding that many for LocalTypes
// or the Typer would exhaust memory. The JS API's implementation limits
// (https://webassembly.github.io/spec/js-api/#limits) allow 50,000, which
// browsers enforce, so no module that runs on the web needs more.
const maxLocals = 50000

// Decode decodes a core WebAssembly module. It never panics, and it does
// not decode function bodies: Code.Body holds their bytes and DecodeBody
// (or Module.DecodeFunc) decodes them on demand, so a module with a body
// this package cannot decode can still be inspected.
//
// Errors are *DecodeError values naming the section and file offset;
// a component binary gives ErrComponent.
func Decode(b []byte) (*Module, error) {
	if len(b) < 4 || string(b[:4]) != "\x00asm" {
		return nil, &DecodeError{Section: NoSection, Offset: 0, Err: ErrNotWasm}
	}
	if len(b) < 8 {
		return nil, &DecodeError{Section: NoSection, Offset: 4, Err: ErrTruncated}
	}
	if IsComponent(b) {
		return nil, ErrComponent
	}
	if v := binary.LittleEndian.Uint32(b[4:8]); v != 1 {
		return nil, &DecodeError{Section: NoSection, Offset: 4,
			Err: fmt.Errorf("%w 0x%x (want 1)", ErrUnsupportedVersion, v)}
	}
	if uint64(len(b)) > math.MaxUint32 {
		// FileOffset is 32 bits; wasm32 engines cannot load this anyway.
		return nil, &DecodeError{Section: NoSection, Offset: 0, Err: errors.New("module larger than 4 GiB")}
	}

	d := &decoder{m: &Module{}, r: reader{b: b, pos: 8}}
	if err := d.sections(); err != nil {
		return nil, err
	}
	return d.m, nil
}

type decoder struct {
	m *Module
	r reader
	// lastID is the last non-custom section seen, for Custom.After and the
	// order check.
	lastID    SectionID
	seenNames bool
	hasCode   bool
}

func (d *decoder) sections() error {
	r := &d.r
	for r.pos < len(r.b) {
		start := r.pos
		id, _ := r.byte()
		if id > byte(SectionTag) {
			return &DecodeError{Section: NoSection, Offset: FileOffset(start), Err: fmt.Errorf("unknown section id %d", id)}
		}
		size, err := r.u32()
		if err != nil {
			return d.fail(SectionID(id), err)
		}
		payload := r.pos
		if uint64(size) > uint64(r.remaining()) {
			return &DecodeError{Section: SectionID(id), Offset: FileOffset(start),
				Err: fmt.Errorf("section size %d runs past the end of the module (%d bytes left): %w", size, r.remaining(), ErrTruncated)}
		}
		end := payload + int(size)
		sec := Section{ID: SectionID(id), Start: FileOffset(start), PayloadStart: FileOffset(payload), Size: size}
		// A section reader sees only its payload but keeps file offsets.
		sr := &reader{b: r.b[:end], pos: payload}
		if SectionID(id) == SectionCustom {
			name, err := sr.name()
			if err != nil {
				return d.fail(SectionCustom, err)
			}
			sec.Name = name
			d.m.Sections = append(d.m.Sections, sec)
			d.custom(name, sr)
		} else {
			if sectionRank(SectionID(id)) <= sectionRank(d.lastID) {
				what := "out of order"
				if SectionID(id) == d.lastID {
					what = "duplicate"
				}
				return &DecodeError{Section: SectionID(id), Offset: FileOffset(start),
					Err: fmt.Errorf("%s section (after the %s section)", what, d.lastID)}
			}
			d.lastID = SectionID(id)
			d.m.Sections = append(d.m.Sections, sec)
			if err := d.section(SectionID(id), sr); err != nil {
				return d.fail(SectionID(id), err)
			}
			if sr.pos != end {
				return &DecodeError{Section: SectionID(id), Offset: FileOffset(sr.pos),
					Err: fmt.Errorf("section size mismatch: %d bytes left over", end-sr.pos)}
			}
		}
		r.pos = end
	}
	return d.finish()
}

// fail wraps a reader error as a DecodeError for section id.
func (d *decoder) fail(id SectionID, err error) error {
	off, cause, _ := asOffsetError(err)
	return &DecodeError{Section: id, Offset: FileOffset(off), Err: cause}
}

func (d *decoder) section(id SectionID, r *reader) error {
	m := d.m
	var err error
	switch id {
	case SectionType:
		m.Types, err = readTypes(r)
	case SectionImport:
		m.Imports, err = readImports(r)
	case SectionFunction:
		m.Funcs, err = readIndices(r)
	case SectionTable:
		m.Tables, err = readVec(r, 3, (*reader).tableType)
	case SectionMemory:
		m.Mems, err = readVec(r, 2, func(r *reader) (MemType, error) {
			l, err := r.limits(true)
			return MemType{Limits: l}, err
		})
	case SectionTag:
		m.Tags, err = readVec(r, 2, (*reader).tagType)
	case SectionGlobal:
		m.Globals, err = readVec(r, 3, readGlobal)
	case SectionExport:
		m.Exports, err = readVec(r, 3, readExport)
	case SectionStart:
		var idx uint32
		idx, err = r.u32()
		m.Start = &idx
	case SectionElement:
		m.Elems, err = readVec(r, 1, readElem)
	case SectionDataCount:
		var n uint32
		n, err = r.u32()
		m.DataCount = &n
	case SectionCode:
		d.hasCode = true
		m.CodeStart = FileOffset(r.pos)
		m.Code, err = readCode(r)
	case SectionData:
		m.Datas, err = readVec(r, 1, readData)
	}
	return err
}

// custom records a custom section. The name section is decoded; if it is
// malformed (or a second one), it is kept raw with a warning instead of
// failing: a broken debugging aid must not stop debugging.
func (d *decoder) custom(name string, r *reader) {
	data := r.b[r.pos:len(r.b):len(r.b)]
	if name == "name" {
		if d.seenNames {
			d.m.Warnings = append(d.m.Warnings, fmt.Sprintf("custom section \"name\" at offset %#x: duplicate name section kept as raw bytes", r.pos))
		} else {
			d.seenNames = true
			n, err := decodeNames(data, r.pos)
			if err == nil {
				d.m.Names = n // CustomsBefore is set by finish
				return
			}
			d.m.Warnings = append(d.m.Warnings, fmt.Sprintf("custom section \"name\": %v (kept as raw bytes)", err))
		}
	}
	d.m.Customs = append(d.m.Customs, Custom{Name: name, Data: data, After: d.lastID, Offset: FileOffset(r.pos)})
}

// finish checks what needs the whole module: counts that two sections
// must agree on.
func (d *decoder) finish() error {
	m := d.m
	if m.Names != nil {
		// Count the custom sections after the last non-custom section and
		// before the (first) name section.
		n := 0
		for _, s := range m.Sections {
			switch {
			case s.ID != SectionCustom:
				n = 0
			case s.Name == "name":
				m.Names.CustomsBefore = n
				n = -1 << 30 // stop counting; later sections cannot matter
			default:
				n++
			}
		}
	}
	if len(m.Funcs) != len(m.Code) {
		id := SectionCode
		if !d.hasCode {
			id = SectionFunction
		}
		return &DecodeError{Section: id, Offset: d.sectionStart(id),
			Err: fmt.Errorf("function section declares %d functions but code section has %d bodies", len(m.Funcs), len(m.Code))}
	}
	if m.DataCount != nil && uint64(*m.DataCount) != uint64(len(m.Datas)) {
		return &DecodeError{Section: SectionDataCount, Offset: d.sectionStart(SectionDataCount),
			Err: fmt.Errorf("data count %d does not match the %d data segments", *m.DataCount, len(m.Datas))}
	}
	return nil
}

func (d *decoder) sectionStart(id SectionID) FileOffset {
	for _, s := range d.m.Sections {
		if s.ID == id {
			return s.Start
		}
	}
	return FileOffset(len(d.r.b))
}

// DecodeFunc decodes the body of defined function defIdx. Errors are
// *CodeError values naming the function (in the whole function index
// space) and the file offset of the instruction.
func (m *Module) DecodeFunc(defIdx int) ([]Instr, error) {
	if defIdx < 0 || defIdx >= len(m.Code) {
		return nil, fmt.Errorf("no defined function %d (module has %d)", defIdx, len(m.Code))
	}
	c := &m.Code[defIdx]
	instrs, err := DecodeBody(c.Body, c.BodyStart)
	if err != nil {
		return nil, m.funcError(defIdx, err)
	}
	return instrs, nil
}

// funcError fills in the function of a CodeError.
func (m *Module) funcError(defIdx int, err error) error {
	var ce *CodeError
	if errors.As(err, &ce) {
		return &CodeError{Func: m.NumImportedFuncs() + defIdx, Off: ce.Off, File: m.FileOffset(ce.Off), Err: ce.Err}
	}
	return err
}
