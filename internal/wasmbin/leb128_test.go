package wasmbin

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestReadUleb(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		bits  int
		want  uint64
		n     int
		error error
	}{
		{"zero", []byte{0}, 32, 0, 1, nil},
		{"one byte", []byte{0x7f}, 32, 127, 1, nil},
		{"two bytes", []byte{0x80, 0x01}, 32, 128, 2, nil},
		{"padded zero", []byte{0x80, 0x80, 0x80, 0x80, 0x00}, 32, 0, 5, nil},
		{"max u32", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, math.MaxUint32, 5, nil},
		{"u32 unused bits set", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, 0, 0, errLEBTooLarge},
		{"u32 six bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, 0, 0, errLEBTooLong},
		{"truncated", []byte{0x80}, 32, 0, 0, ErrTruncated},
		{"empty", nil, 32, 0, 0, ErrTruncated},
		{"max u64", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, math.MaxUint64, 10, nil},
		{"u64 unused bits", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64, 0, 0, errLEBTooLarge},
		{"trailing bytes ignored", []byte{0x05, 0xff}, 32, 5, 1, nil},
	}
	for _, tc := range tests {
		v, n, err := readUleb(tc.in, tc.bits)
		requireEqual(t, tc.error, err, tc.name)
		requireEqual(t, tc.want, v, tc.name)
		requireEqual(t, tc.n, n, tc.name)
	}
}

func TestReadSleb(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		bits  int
		want  int64
		n     int
		error error
	}{
		{"zero", []byte{0}, 32, 0, 1, nil},
		{"minus one", []byte{0x7f}, 32, -1, 1, nil},
		{"63", []byte{0x3f}, 32, 63, 1, nil},
		{"64", []byte{0xc0, 0x00}, 32, 64, 2, nil},
		{"-64", []byte{0x40}, 32, -64, 1, nil},
		{"-65", []byte{0xbf, 0x7f}, 32, -65, 2, nil},
		{"min i32", []byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, math.MinInt32, 5, nil},
		{"max i32", []byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, math.MaxInt32, 5, nil},
		{"padded -1", []byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 32, -1, 5, nil},
		{"i32 bad sign extension", []byte{0xff, 0xff, 0xff, 0xff, 0x4f}, 32, 0, 0, errLEBTooLarge},
		{"i32 positive overflow", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, 0, 0, errLEBTooLarge},
		{"i32 too long", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 32, 0, 0, errLEBTooLong},
		{"s33 max type index", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, math.MaxUint32, 5, nil},
		{"s33 overflow", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 33, 0, 0, errLEBTooLarge},
		{"s33 min", []byte{0x80, 0x80, 0x80, 0x80, 0x70}, 33, -1 << 32, 5, nil},
		{"min i64", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, math.MinInt64, 10, nil},
		{"max i64", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, math.MaxInt64, 10, nil},
		{"i64 bad last byte", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, 0, 0, errLEBTooLarge},
		{"truncated", []byte{0xff}, 64, 0, 0, ErrTruncated},
	}
	for _, tc := range tests {
		v, n, err := readSleb(tc.in, tc.bits)
		requireEqual(t, tc.error, err, tc.name)
		requireEqual(t, tc.want, v, tc.name)
		requireEqual(t, tc.n, n, tc.name)
	}
}

// TestLEBRoundTrip: minimal encodings decode to the value, use the
// minimal length, and a padded form decodes to the same value.
func TestLEBRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		// Spread values over all magnitudes.
		u := r.Uint64() >> r.IntN(64)
		enc := appendUleb(nil, u)
		requireEqual(t, ulebLen(u), len(enc))
		v, n, err := readUleb(enc, 64)
		requireNoError(t, err)
		requireEqual(t, u, v)
		requireEqual(t, len(enc), n)

		s := int64(r.Uint64()) >> r.IntN(64)
		enc = appendSleb(nil, s)
		w, n, err := readSleb(enc, 64)
		requireNoError(t, err)
		requireEqual(t, s, w)
		requireEqual(t, len(enc), n)

		s32 := int64(int32(s))
		enc = appendSleb(nil, s32)
		// Pad to 5 bytes with sign-extension bytes.
		for len(enc) < 5 {
			last := enc[len(enc)-1]
			fill := byte(0)
			if last&0x40 != 0 {
				fill = 0x7f
			}
			enc[len(enc)-1] |= 0x80
			enc = append(enc, fill)
		}
		w, n, err = readSleb(enc, 32)
		requireNoError(t, err)
		requireEqual(t, s32, w)
		requireEqual(t, 5, n)
	}
}

// TestPadded: a padded slot reads back as the same value whether the
// reader takes it as u32, s32 or s33, and is exactly PaddedLen bytes.
func TestPadded(t *testing.T) {
	for _, v := range []uint32{0, 1, 63, 64, 127, 128, 1 << 20, 1<<27 - 1, 1 << 27, MaxPadded} {
		b := AppendPadded(nil, v)
		requireEqual(t, PaddedLen, len(b), v)
		u, n, err := readUleb(b, 32)
		requireNoError(t, err, v)
		requireEqual(t, uint64(v), u, v)
		requireEqual(t, PaddedLen, n, v)
		for _, bits := range []int{32, 33} {
			s, n, err := readSleb(b, bits)
			requireNoError(t, err, v, bits)
			requireEqual(t, int64(v), s, v, bits)
			requireEqual(t, PaddedLen, n, v, bits)
		}
	}
}
