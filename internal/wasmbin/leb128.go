package wasmbin

import "errors"

// LEB128 as the WebAssembly binary format uses it
// (https://webassembly.github.io/spec/core/binary/values.html#integers).
//
// The decoder accepts padded (non-minimal) encodings up to the maximum
// length ceil(N/7) bytes, because linkers emit them on purpose (wasm-ld
// leaves 5-byte relocation slots in code). It rejects what the spec calls
// malformed: an encoding longer than the maximum, or a final byte whose
// unused high bits are not a zero- (unsigned) or sign- (signed) extension.
// The encoder always writes the minimal form.

var (
	errLEBTooLong  = errors.New("integer representation too long")
	errLEBTooLarge = errors.New("integer too large")
)

// readUleb decodes an unsigned LEB128 integer of at most bits bits from the
// start of b, returning the value and the number of bytes used.
func readUleb(b []byte, bits int) (uint64, int, error) {
	maxLen := (bits + 6) / 7
	var v uint64
	for i := 0; i < maxLen; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		if i == maxLen-1 {
			// Only bits-7*i payload bits remain; the rest must be zero and
			// there must be no continuation.
			if c&0x80 != 0 {
				return 0, 0, errLEBTooLong
			}
			if k := bits - 7*i; (c&0x7f)>>k != 0 {
				return 0, 0, errLEBTooLarge
			}
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errLEBTooLong // unreachable: the last iteration returns
}

// readSleb decodes a signed LEB128 integer of at most bits bits from the
// start of b, sign-extended to int64.
func readSleb(b []byte, bits int) (int64, int, error) {
	maxLen := (bits + 6) / 7
	var v int64
	for i := 0; i < maxLen; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		if i == maxLen-1 {
			if c&0x80 != 0 {
				return 0, 0, errLEBTooLong
			}
			// The top payload bit is the sign; every unused bit above it
			// must repeat it.
			k := bits - 7*i
			high := (c & 0x7f) >> (k - 1)
			if high != 0 && high != (0x7f>>(k-1)) {
				return 0, 0, errLEBTooLarge
			}
		}
		v |= int64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			shift := 7 * (i + 1)
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, errLEBTooLong
}

// appendUleb appends the minimal unsigned LEB128 encoding of v.
func appendUleb(dst []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// appendSleb appends the minimal signed LEB128 encoding of v.
func appendSleb(dst []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

func appendU32(dst []byte, v uint32) []byte { return appendUleb(dst, uint64(v)) }

// ulebLen is the length of the minimal unsigned encoding of v.
func ulebLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// PaddedLen is the length of a padded LEB128 slot: a field written before
// its value is known and overwritten in place later ([AppendPadded],
// [PutPadded]).
const PaddedLen = 5

// MaxPadded is the largest value of a padded slot. Up to it the slot reads
// the same as an unsigned (u32) and as a signed (s32, s33) LEB128, so it
// can hold an index, an i32.const immediate or a block type index.
const MaxPadded = 1<<31 - 1

// AppendPadded appends v (at most MaxPadded) as a PaddedLen-byte LEB128.
func AppendPadded(dst []byte, v uint32) []byte {
	var slot [PaddedLen]byte
	PutPadded(slot[:], v)
	return append(dst, slot[:]...)
}

// PutPadded writes v (at most MaxPadded) as a PaddedLen-byte LEB128 over
// b[:PaddedLen].
func PutPadded(b []byte, v uint32) {
	_ = b[PaddedLen-1]
	for i := range PaddedLen - 1 {
		b[i] = byte(v>>(7*i))&0x7f | 0x80
	}
	b[PaddedLen-1] = byte(v>>(7*(PaddedLen-1))) & 0x7f
}
