package abi

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// Strings live in memory as a (pointer, tagged code units) pair of
// pointer-sized integers. With string-encoding=latin1+utf16 the top bit of
// the count (utf16_tag: bit 31, or bit 63 for memory64) says the bytes are
// UTF-16 rather than Latin-1:
//
//	utf8          ptr ──► [bytes…]                 count = bytes
//	utf16         ptr ──► [u16 u16 …] (2-aligned)  count = u16 units
//	latin1+utf16  ptr ──► [latin-1 bytes…]         count = bytes
//	              ptr ──► [u16 u16 …]              count = units | utf16_tag

// loadString is load_string.
func (cx *Context) loadString(ptr uint64) (String, error) {
	ps := cx.Addr.ptrSize()
	begin, err := cx.loadInt(ptr, ps)
	if err != nil {
		return String{}, err
	}
	tagged, err := cx.loadInt(ptr+ps, ps)
	if err != nil {
		return String{}, err
	}
	return cx.loadStringFromRange(begin, tagged)
}

// loadStringFromRange is load_string_from_range: it decodes the string at
// ptr, trapping on an oversized, misaligned, out-of-bounds or badly encoded
// one.
func (cx *Context) loadStringFromRange(ptr, tagged uint64) (String, error) {
	var align, byteLen, units uint64
	var src SourceEncoding
	switch cx.StringEncoding {
	case UTF8:
		align, byteLen, units, src = 1, tagged, tagged, SourceUTF8
	case UTF16:
		align, units, src = 2, tagged, SourceUTF16
		byteLen = satMul(2, tagged)
	case Latin1UTF16:
		align = 2
		if tag := cx.Addr.utf16Tag(); tagged&tag != 0 {
			units, src = tagged^tag, SourceCompactUTF16
			byteLen = satMul(2, units)
		} else {
			byteLen, units, src = tagged, tagged, SourceLatin1
		}
	default:
		return String{}, errUnknownEncoding(cx.StringEncoding)
	}
	if byteLen > MaxStringByteLength {
		return String{}, trapf("string too long: %d bytes (at most %d)", byteLen, MaxStringByteLength)
	}
	if ptr&(align-1) != 0 {
		return String{}, trapf("unaligned pointer: string at %#x is not %d-aligned", ptr, align)
	}
	if err := cx.checkBounds(ptr, byteLen, "string content out-of-bounds"); err != nil {
		return String{}, err
	}
	if err := cx.charge(2 * byteLen); err != nil {
		return String{}, err
	}
	b, err := cx.read(ptr, byteLen)
	if err != nil {
		return String{}, err
	}
	var text string
	switch src {
	case SourceUTF8:
		if err := checkUTF8(b); err != nil {
			return String{}, err
		}
		text = string(b)
	case SourceUTF16, SourceCompactUTF16:
		text, err = decodeUTF16(b)
		if err != nil {
			return String{}, err
		}
	case SourceLatin1:
		text = decodeLatin1(b)
	}
	return String{Text: text, Src: src, CodeUnits: units}, nil
}

func errUnknownEncoding(e StringEncoding) error {
	return &MismatchError{Type: "string", Msg: "unknown string encoding " + e.String()}
}

// checkUTF8 traps unless b is valid UTF-8, as Python's strict utf-8 codec
// does: no surrogates, no overlong forms, nothing above U+10FFFF.
func checkUTF8(b []byte) error {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(b[i:]) {
				return trapf("incomplete utf-8 byte sequence at byte %d", i)
			}
			return trapf("invalid utf-8 at byte %d", i)
		}
		i += n
	}
	return nil
}

// decodeUTF16 decodes little-endian UTF-16, trapping on unpaired
// surrogates as Python's strict utf-16-le codec does.
func decodeUTF16(b []byte) (string, error) {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case utf16.IsSurrogate(u):
			if u >= 0xdc00 || i+3 >= len(b) {
				return "", trapf("invalid utf-16: unpaired surrogate %#04x at byte %d", u, i)
			}
			u2 := rune(binary.LittleEndian.Uint16(b[i+2:]))
			r := utf16.DecodeRune(u, u2)
			if r == utf8.RuneError {
				return "", trapf("invalid utf-16: unpaired surrogate %#04x at byte %d", u, i)
			}
			out = utf8.AppendRune(out, r)
			i += 2
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return string(out), nil
}

func decodeLatin1(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// source returns the source encoding and code units of a string value to
// lower, after checking that they describe Text (the spec asserts this).
func source(t Type, s String) (SourceEncoding, uint64, error) {
	if !utf8.ValidString(s.Text) {
		return 0, 0, mismatch(t, "string is not valid UTF-8")
	}
	src, units := s.Src, s.CodeUnits
	if units == 0 && s.Text != "" {
		src, units = SourceUTF8, uint64(len(s.Text))
	}
	var want uint64
	switch src {
	case SourceUTF8:
		want = uint64(len(s.Text))
	case SourceUTF16, SourceCompactUTF16:
		want = utf16Len(s.Text)
	case SourceLatin1:
		for _, r := range s.Text {
			if r > 0xff {
				return 0, 0, mismatch(t, "Latin-1 source string contains %U", r)
			}
			want++
		}
	default:
		return 0, 0, mismatch(t, "unknown source encoding %d", src)
	}
	if units != want {
		return 0, 0, mismatch(t, "%s string %q has %d code units, not %d", src, s.Text, want, units)
	}
	return src, units, nil
}

func utf16Len(s string) uint64 {
	n := uint64(0)
	for _, r := range s {
		n += uint64(utf16.RuneLen(r))
	}
	return n
}

func appendUTF16LE(dst []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r1))
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r2))
		} else {
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r))
		}
	}
	return dst
}

// appendLatin1 encodes s, whose runes are all below U+0100.
func appendLatin1(dst []byte, s string) []byte {
	for _, r := range s {
		dst = append(dst, byte(r))
	}
	return dst
}

// storeString is store_string.
func (cx *Context) storeString(t Type, s String, ptr uint64) error {
	begin, tagged, err := cx.storeStringIntoRange(t, s)
	if err != nil {
		return err
	}
	ps := cx.Addr.ptrSize()
	if err := cx.storeInt(begin, ptr, ps); err != nil {
		return err
	}
	return cx.storeInt(tagged, ptr+ps, ps)
}

// storeStringIntoRange is store_string_into_range: it allocates the string
// in the destination encoding with realloc, transcoding as needed, and
// returns the pointer and tagged code units.
func (cx *Context) storeStringIntoRange(t Type, s String) (ptr, tagged uint64, err error) {
	src, units, err := source(t, s)
	if err != nil {
		return 0, 0, err
	}
	text := s.Text
	switch cx.StringEncoding {
	case UTF8:
		switch src {
		case SourceUTF8:
			return cx.storeStringCopy(text, units, 1, 1, encUTF8)
		case SourceUTF16, SourceCompactUTF16:
			return cx.storeStringToUTF8(text, units, satMul(units, 3)) // store_utf16_to_utf8
		case SourceLatin1:
			return cx.storeStringToUTF8(text, units, satMul(units, 2)) // store_latin1_to_utf8
		}
	case UTF16:
		switch src {
		case SourceUTF8:
			return cx.storeUTF8ToUTF16(text, units)
		default: // utf16, and latin-1 widened to utf16
			return cx.storeStringCopy(text, units, 2, 2, encUTF16)
		}
	case Latin1UTF16:
		switch src {
		case SourceUTF8, SourceUTF16:
			return cx.storeStringToLatin1OrUTF16(text, units)
		case SourceLatin1:
			return cx.storeStringCopy(text, units, 1, 2, encLatin1)
		case SourceCompactUTF16:
			return cx.storeProbablyUTF16ToLatin1OrUTF16(text, units)
		}
	}
	return 0, 0, errUnknownEncoding(cx.StringEncoding)
}

type encoding uint8

const (
	encUTF8 encoding = iota
	encUTF16
	encLatin1
)

func encode(text string, enc encoding) []byte {
	switch enc {
	case encUTF16:
		return appendUTF16LE(nil, text)
	case encLatin1:
		return appendLatin1(nil, text)
	}
	return []byte(text)
}

// checkReallocSize is the spec's assert(size <= REALLOC_I32_MAX), which a
// host string can break.
func checkReallocSize(n uint64) error {
	if n > reallocI32Max {
		return &MismatchError{Type: "string", Msg: "string too long to lower"}
	}
	return nil
}

// storeStringCopy is store_string_copy: no transcoding beyond widening
// Latin-1 to UTF-16, so the size is known up front.
func (cx *Context) storeStringCopy(text string, units, unitSize, align uint64, enc encoding) (uint64, uint64, error) {
	n := satMul(unitSize, units)
	if err := checkReallocSize(n); err != nil {
		return 0, 0, err
	}
	ptr, err := cx.allocate(align, n)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, align, n); err != nil {
		return 0, 0, err
	}
	return ptr, units, cx.write(ptr, encode(text, enc))
}

// storeStringToUTF8 is store_string_to_utf8: optimistically allocate one
// byte per source code unit and copy while the text is ASCII; at the first
// non-ASCII character grow to the worst case, write the rest, and shrink to
// fit.
func (cx *Context) storeStringToUTF8(text string, units, worst uint64) (uint64, uint64, error) {
	if err := checkReallocSize(units); err != nil {
		return 0, 0, err
	}
	ptr, err := cx.allocate(1, units)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 1, units); err != nil {
		return 0, 0, err
	}
	ascii := 0 // code points copied so far (all ASCII, so also bytes)
	for ascii < len(text) && text[ascii] < utf8.RuneSelf {
		ascii++
	}
	if err := cx.write(ptr, []byte(text[:ascii])); err != nil {
		return 0, 0, err
	}
	if ascii == len(text) {
		return ptr, units, nil
	}
	if err := checkReallocSize(worst); err != nil {
		return 0, 0, err
	}
	if ptr, err = cx.reallocate(ptr, units, 1, worst); err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 1, worst); err != nil {
		return 0, 0, err
	}
	if err := cx.write(ptr+uint64(ascii), []byte(text[ascii:])); err != nil {
		return 0, 0, err
	}
	n := uint64(len(text))
	if worst > n {
		if ptr, err = cx.reallocate(ptr, worst, 1, n); err != nil {
			return 0, 0, err
		}
		if err := cx.checkRealloc(ptr, 1, n); err != nil {
			return 0, 0, err
		}
	}
	return ptr, n, nil
}

// storeUTF8ToUTF16 is store_utf8_to_utf16: allocate the worst case (two
// bytes per UTF-8 byte), encode, and shrink to fit.
func (cx *Context) storeUTF8ToUTF16(text string, units uint64) (uint64, uint64, error) {
	worst := satMul(2, units)
	if err := checkReallocSize(worst); err != nil {
		return 0, 0, err
	}
	ptr, err := cx.allocate(2, worst)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 2, worst); err != nil {
		return 0, 0, err
	}
	enc := appendUTF16LE(nil, text)
	if err := cx.write(ptr, enc); err != nil {
		return 0, 0, err
	}
	n := uint64(len(enc))
	if n < worst {
		if ptr, err = cx.reallocate(ptr, worst, 2, n); err != nil {
			return 0, 0, err
		}
		if err := cx.checkRealloc(ptr, 2, n); err != nil {
			return 0, 0, err
		}
	}
	return ptr, n / 2, nil
}

// storeStringToLatin1OrUTF16 is store_string_to_latin1_or_utf16: copy as
// Latin-1 into one byte per source code unit while the characters fit; at
// the first that does not, grow to the UTF-16 worst case, widen what was
// written in place, write the rest as UTF-16 and shrink to fit; if all fit,
// shrink to the Latin-1 length.
func (cx *Context) storeStringToLatin1OrUTF16(text string, units uint64) (uint64, uint64, error) {
	if err := checkReallocSize(units); err != nil {
		return 0, 0, err
	}
	ptr, err := cx.allocate(2, units)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 2, units); err != nil {
		return 0, 0, err
	}
	var latin1 []byte
	rest := ""
	for i, r := range text {
		if r >= 0x100 {
			rest = text[i:]
			break
		}
		latin1 = append(latin1, byte(r))
	}
	if err := cx.write(ptr, latin1); err != nil {
		return 0, 0, err
	}
	dst := uint64(len(latin1))
	if rest == "" {
		if dst < units {
			if ptr, err = cx.reallocate(ptr, units, 2, dst); err != nil {
				return 0, 0, err
			}
			if err := cx.checkRealloc(ptr, 2, dst); err != nil {
				return 0, 0, err
			}
		}
		return ptr, dst, nil
	}
	worst := satMul(2, units)
	if err := checkReallocSize(worst); err != nil {
		return 0, 0, err
	}
	if ptr, err = cx.reallocate(ptr, units, 2, worst); err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 2, worst); err != nil {
		return 0, 0, err
	}
	// Widen the Latin-1 prefix in place: read it back (realloc moved it)
	// and write it out again as UTF-16.
	prefix, err := cx.read(ptr, dst)
	if err != nil {
		return 0, 0, err
	}
	wide := make([]byte, 0, 2*dst+2*uint64(len(rest)))
	for _, c := range prefix {
		wide = append(wide, c, 0)
	}
	wide = appendUTF16LE(wide, rest)
	if err := cx.write(ptr, wide); err != nil {
		return 0, 0, err
	}
	n := uint64(len(wide))
	if worst > n {
		if ptr, err = cx.reallocate(ptr, worst, 2, n); err != nil {
			return 0, 0, err
		}
		if err := cx.checkRealloc(ptr, 2, n); err != nil {
			return 0, 0, err
		}
	}
	return ptr, n/2 | cx.Addr.utf16Tag(), nil
}

// storeProbablyUTF16ToLatin1OrUTF16 is
// store_probably_utf16_to_latin1_or_utf16: write UTF-16, and if every
// character turns out to fit Latin-1, narrow it in place and shrink.
func (cx *Context) storeProbablyUTF16ToLatin1OrUTF16(text string, units uint64) (uint64, uint64, error) {
	n := satMul(2, units)
	if err := checkReallocSize(n); err != nil {
		return 0, 0, err
	}
	ptr, err := cx.allocate(2, n)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 2, n); err != nil {
		return 0, 0, err
	}
	enc := appendUTF16LE(nil, text)
	if err := cx.write(ptr, enc); err != nil {
		return 0, 0, err
	}
	for _, r := range text {
		if r >= 0x100 {
			return ptr, uint64(len(enc))/2 | cx.Addr.utf16Tag(), nil
		}
	}
	latin1Size := uint64(len(enc)) / 2
	narrow := make([]byte, latin1Size)
	for i := range narrow {
		narrow[i] = enc[2*i]
	}
	if err := cx.write(ptr, narrow); err != nil {
		return 0, 0, err
	}
	if ptr, err = cx.reallocate(ptr, n, 1, latin1Size); err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, 1, latin1Size); err != nil {
		return 0, 0, err
	}
	return ptr, latin1Size, nil
}
