package compbin

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Sentinel errors wrapped by DecodeError, so callers can test with errors.Is.
var (
	// ErrNotComponent is returned for input that is not a component binary:
	// wrong magic, a core module (layer 0), or an unknown layer.
	ErrNotComponent = errors.New("not a component")
	// ErrVersion is returned for a component whose version is not 0x0d.
	ErrVersion = errors.New("unsupported component version")
	// ErrTruncated is returned when the input ends in the middle of an item
	// or a length prefix asks for more bytes than remain.
	ErrTruncated = errors.New("unexpected end of data")
	// ErrMalformed is wrapped by every other decoding error.
	ErrMalformed = errors.New("malformed component")
)

// DecodeError is the error Decode returns: what went wrong, in which
// section, and at which byte of the file. Its message reads
// "compbin: type section at 0x1a: unknown defined type 0x55".
type DecodeError struct {
	// Section is the innermost section being decoded, or SectionPreamble
	// for the preamble and section headers.
	Section SectionID
	// Offset is the file offset of the byte that failed to decode. For
	// nested components it is still an offset in the outermost file.
	Offset int
	// Msg says what went wrong.
	Msg string
	// Err is ErrNotComponent, ErrVersion, ErrTruncated or ErrMalformed.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	if e.Section == SectionPreamble {
		return fmt.Sprintf("compbin: preamble at %#x: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("compbin: %s section at %#x: %s", e.Section, e.Offset, e.Msg)
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }

// maxDepth bounds the nesting of components and of component/instance
// types, so that hostile input cannot exhaust the stack.
const maxDepth = 100

// reader reads one region of the file. Offsets are absolute file offsets;
// errors are raised with panic(*DecodeError) and recovered in Decode, which
// only recovers that type, so a real bug still crashes (and fuzzing sees it).
type reader struct {
	b     []byte // the whole file
	pos   int    // next byte to read
	end   int    // end of the region (exclusive)
	sec   SectionID
	depth int
}

func (r *reader) failAt(off int, sentinel error, format string, args ...any) {
	panic(&DecodeError{Section: r.sec, Offset: off, Msg: fmt.Sprintf(format, args...), Err: sentinel})
}

func (r *reader) fail(off int, format string, args ...any) {
	r.failAt(off, ErrMalformed, format, args...)
}

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) eof() bool { return r.pos >= r.end }

func (r *reader) need(n int) {
	if n < 0 || n > r.end-r.pos {
		r.failAt(r.pos, ErrTruncated, "unexpected end of data (need %d bytes, %d left)", n, r.end-r.pos)
	}
}

func (r *reader) byte() byte {
	r.need(1)
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) peek() byte {
	r.need(1)
	return r.b[r.pos]
}

func (r *reader) bytes(n int) []byte {
	r.need(n)
	s := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return s
}

// uleb reads an unsigned LEB128 of at most bits bits.
func (r *reader) uleb(bits uint) uint64 {
	start := r.pos
	var v uint64
	var shift uint
	for {
		if r.eof() {
			r.failAt(r.pos, ErrTruncated, "unexpected end of data in LEB128 integer")
		}
		c := r.b[r.pos]
		r.pos++
		if shift+7 >= bits {
			// Last allowed byte: no continuation, no bits past the width.
			if c&0x80 != 0 || (bits-shift < 7 && c>>(bits-shift) != 0) {
				r.fail(start, "integer too large or LEB128 too long")
			}
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
		shift += 7
	}
}

// sleb reads a signed LEB128 of at most bits bits.
func (r *reader) sleb(bits uint) int64 {
	start := r.pos
	var v int64
	var shift uint
	for {
		if r.eof() {
			r.failAt(r.pos, ErrTruncated, "unexpected end of data in LEB128 integer")
		}
		c := r.b[r.pos]
		r.pos++
		if shift+7 >= bits {
			if c&0x80 != 0 {
				r.fail(start, "integer too large or LEB128 too long")
			}
			// The unused high bits must be a sign extension of the top bit.
			left := bits - shift   // bits still allowed, 1..7
			top := int8(c<<1) >> 1 // sign-extend the 7 payload bits
			if left < 7 {
				ext := top >> (left - 1) // the sign bit and the unused bits
				if ext != 0 && ext != -1 {
					r.fail(start, "integer too large or LEB128 too long")
				}
			}
			return v | int64(top)<<shift
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if c&0x40 != 0 && shift < 64 {
				v |= -1 << shift
			}
			return v
		}
	}
}

func (r *reader) u32() uint32 { return uint32(r.uleb(32)) }

// count reads a vector length and checks that at least that many bytes
// remain, since every element takes at least one byte. Callers can then
// allocate in proportion to it.
func (r *reader) count() int {
	off := r.pos
	n := r.u32()
	if int64(n) > int64(r.remaining()) {
		r.failAt(off, ErrTruncated, "vector length %d larger than the %d bytes left", n, r.remaining())
	}
	return int(n)
}

// name reads a core:name: a length-prefixed UTF-8 string.
func (r *reader) name() string {
	off := r.pos
	n := r.u32()
	if int64(n) > int64(r.remaining()) {
		r.failAt(off, ErrTruncated, "name length %d larger than the %d bytes left", n, r.remaining())
	}
	s := r.bytes(int(n))
	if !utf8.Valid(s) {
		r.fail(off, "name is not valid UTF-8")
	}
	return string(s)
}

// bool01 reads a 0x00/0x01 flag byte; what names it in errors.
func (r *reader) bool01(what string) bool {
	off := r.pos
	switch c := r.byte(); c {
	case 0:
		return false
	case 1:
		return true
	default:
		r.fail(off, "invalid %s flag 0x%02x", what, c)
		return false
	}
}

// capHint bounds a slice capacity taken from a length prefix.
func capHint(n int) int { return min(n, 256) }
