package dwarf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Section names, as the custom sections of a wasm module name them.
const (
	secInfo       = ".debug_info"
	secAbbrev     = ".debug_abbrev"
	secLine       = ".debug_line"
	secStr        = ".debug_str"
	secLineStr    = ".debug_line_str"
	secStrOffsets = ".debug_str_offsets"
	secAddr       = ".debug_addr"
	secRanges     = ".debug_ranges"
	secRnglists   = ".debug_rnglists"
	secLoc        = ".debug_loc"
	secLoclists   = ".debug_loclists"
	secAranges    = ".debug_aranges"
)

// errTruncated is the error a reader records when it runs off the end of
// its data.
var errTruncated = errors.New("unexpected end of data")

// reader decodes little-endian DWARF data. The first error sticks: later
// reads return zero values, so callers check err once after a group of
// reads. It never panics, whatever the input.
type reader struct {
	sec  string // section name, for errors
	data []byte
	off  int // current offset into data
	base int // offset of data[0] within the section, for errors
	err  error
}

func newReader(sec string, data []byte, off int) *reader {
	r := &reader{sec: sec, data: data}
	if off < 0 || off > len(data) {
		r.fail(fmt.Errorf("offset %#x out of range (size %#x)", off, len(data)))
		return r
	}
	r.off = off
	return r
}

// fail records err (wrapped with the section and offset) if no error was
// recorded yet.
func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at %#x: %w", r.sec, r.base+r.off, err)
	}
}

func (r *reader) left() int {
	if r.err != nil {
		return 0
	}
	return len(r.data) - r.off
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.data)-r.off {
		r.fail(errTruncated)
		return nil
	}
	b := r.data[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

func (r *reader) skip(n int) { r.bytes(n) }

func (r *reader) u8() uint8 {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) u16() uint16 {
	b := r.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *reader) u24() uint32 {
	b := r.bytes(3)
	if b == nil {
		return 0
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
}

func (r *reader) u32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) u64() uint64 {
	b := r.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// sized reads an n-byte unsigned value (n is 1, 2, 4 or 8).
func (r *reader) sized(n int) uint64 {
	switch n {
	case 1:
		return uint64(r.u8())
	case 2:
		return uint64(r.u16())
	case 4:
		return uint64(r.u32())
	case 8:
		return r.u64()
	}
	r.fail(fmt.Errorf("unsupported value size %d", n))
	return 0
}

func (r *reader) uleb() uint64 {
	var v uint64
	var shift uint
	for {
		b := r.u8()
		if r.err != nil {
			return 0
		}
		if shift < 64 {
			v |= uint64(b&0x7f) << shift
		}
		shift += 7
		if b&0x80 == 0 {
			return v
		}
	}
}

func (r *reader) sleb() int64 {
	var v int64
	var shift uint
	for {
		b := r.u8()
		if r.err != nil {
			return 0
		}
		if shift < 64 {
			v |= int64(b&0x7f) << shift
		}
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
}

// cstring reads a NUL-terminated string.
func (r *reader) cstring() string {
	if r.err != nil {
		return ""
	}
	for i := r.off; i < len(r.data); i++ {
		if r.data[i] == 0 {
			s := string(r.data[r.off:i])
			r.off = i + 1
			return s
		}
	}
	r.fail(errors.New("unterminated string"))
	return ""
}

// unitLength reads an initial length field. It returns the length and
// whether the unit uses the 64-bit DWARF format.
func (r *reader) unitLength() (uint64, bool) {
	n := uint64(r.u32())
	if n == 0xffffffff {
		return r.u64(), true
	}
	if n >= 0xfffffff0 {
		r.fail(fmt.Errorf("reserved unit length %#x", n))
		return 0, false
	}
	return n, false
}

// offset reads a section offset: 4 bytes, or 8 in 64-bit DWARF.
func (r *reader) offset(dwarf64 bool) uint64 {
	if dwarf64 {
		return r.u64()
	}
	return uint64(r.u32())
}

// cstringAt returns the NUL-terminated string at off in a string section
// (.debug_str or .debug_line_str).
func cstringAt(sec string, data []byte, off uint64) (string, error) {
	if off >= uint64(len(data)) {
		return "", fmt.Errorf("%s: string offset %#x out of range (size %#x)", sec, off, len(data))
	}
	r := newReader(sec, data, int(off))
	s := r.cstring()
	return s, r.err
}

// strOffset resolves a DW_FORM_strx index through .debug_str_offsets:
// base is the unit's DW_AT_str_offsets_base (which points past the table
// header).
func (d *Data) strx(base, idx uint64, dwarf64 bool) (string, error) {
	size := uint64(4)
	if dwarf64 {
		size = 8
	}
	tab := d.secs[secStrOffsets]
	pos := base + idx*size
	if idx > uint64(len(tab)) || pos+size > uint64(len(tab)) || pos < base {
		return "", fmt.Errorf("%s: index %d (base %#x) out of range", secStrOffsets, idx, base)
	}
	r := newReader(secStrOffsets, tab, int(pos))
	off := r.offset(dwarf64)
	if r.err != nil {
		return "", r.err
	}
	return cstringAt(secStr, d.secs[secStr], off)
}

// addrx reads entry idx of the address table at base (a unit's
// DW_AT_addr_base, which points past the table header).
func (d *Data) addrx(base, idx uint64, addrSize int) (uint64, error) {
	tab := d.secs[secAddr]
	size := uint64(addrSize)
	pos := base + idx*size
	if size == 0 || idx > uint64(len(tab)) || pos < base || pos+size > uint64(len(tab)) {
		return 0, fmt.Errorf("%s: index %d (base %#x) out of range", secAddr, idx, base)
	}
	r := newReader(secAddr, tab, int(pos))
	v := r.sized(addrSize)
	return v, r.err
}
