package cexpr

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"wdbg/dwarf"
)

// Options control how Format prints a value.
type Options struct {
	// Format is a gdb format letter (x d u o t c a f s z), or 0 for the
	// natural format.
	Format byte
	// TopLevel is print's top level: a pointer is preceded by its type,
	// "(int *) 0x10a90 <g+4>", as gdb's print does (but not info locals).
	TopLevel bool
	// Summary prints aggregates as "...", as gdb prints frame arguments
	// (print frame-arguments scalars).
	Summary bool
	// Elements is the print elements limit (0: gdb's default, 200).
	Elements int
	// Repeats is the repeats threshold (0: gdb's default, 10).
	Repeats int
}

// ValidFormat checks a format letter for print, display and output.
func ValidFormat(f byte) error {
	switch f {
	case 0, 'x', 'd', 'u', 'o', 't', 'c', 'a', 'f', 's', 'z':
		return nil
	case 'i':
		return fmt.Errorf("Format letter \"i\" is meaningless in \"print\" command.")
	}
	return fmt.Errorf("Undefined output format \"%c\".", f)
}

// Format prints v as gdb does.
func Format(env Env, v Value, o Options) string {
	if o.Elements <= 0 {
		o.Elements = 200
	}
	if o.Repeats <= 0 {
		o.Repeats = 10
	}
	p := &printer{env: env, o: o}
	p.value(v, o.TopLevel)
	return p.b.String()
}

// maxRepeatScan bounds the search for repeated elements in one array.
const maxRepeatScan = 1 << 16

type printer struct {
	env Env
	o   Options
	b   strings.Builder
}

func (p *printer) w(s string) { p.b.WriteString(s) }

func (p *printer) value(v Value, top bool) {
	if classOf(v.Type) == clVoid {
		p.w("void")
		return
	}
	if v.fn != "" || classOf(v.Type) == clFunc {
		p.function(v)
		return
	}
	if p.o.Summary {
		switch classOf(v.Type) {
		case clStruct, clArray:
			p.w("...")
			return
		}
	}
	if v.lazy && v.byteLen() <= maxFetch {
		var err error
		if v, err = fetch(p.env, v); err != nil {
			p.w("<error: " + err.Error() + ">")
			return
		}
	}
	if !v.lazy && !v.anyAvailable() {
		if v.why != "" {
			p.w("<" + v.why + ">")
		} else {
			p.w("<optimized out>")
		}
		return
	}
	switch u := strip(v.Type).(type) {
	case *dwarf.Struct:
		p.structure(v, u)
	case *dwarf.Array:
		p.array(v, u)
	default:
		if !v.available() {
			p.w("<optimized out>")
			return
		}
		p.scalar(v, top)
	}
}

// function prints a function designator: {int (int)} 0x1a3 <sq>.
func (p *printer) function(v Value) {
	p.w("{" + dwarf.Declare(v.Type, "") + "} ")
	p.w("0x" + strconv.FormatUint(v.raw()&0xffffffff, 16))
	if v.fn != "" {
		p.w(" <" + v.fn + ">")
	}
}

func (p *printer) structure(v Value, st *dwarf.Struct) {
	if len(st.Fields) == 0 {
		if st.Declaration {
			p.w("<incomplete type>")
			return
		}
		p.w("{<No data fields>}")
		return
	}
	p.w("{")
	for i, f := range st.Fields {
		if i > 0 {
			p.w(", ")
		}
		switch {
		case f.IsBase:
			p.w("<" + f.Type.Name() + "> = ")
		case f.Name != "":
			p.w(f.Name + " = ")
		}
		p.value(field(v, f), false)
	}
	p.w("}")
}

func (p *printer) array(v Value, at *dwarf.Array) {
	et := at.ElemType()
	n := at.Count()
	if n < 0 && v.Loc.Kind == InMemory {
		// An array of unknown bound (a flexible array member): gdb
		// prints its address, "data = 0x10a94 <buf+4>", and the string
		// there for chars.
		addr := v.Loc.Addr & 0xffffffff
		p.w("0x" + strconv.FormatUint(addr, 16))
		if sym := p.env.DataSymbol(addr); sym != "" {
			p.w(" <" + sym + ">")
		}
		if isChar(et) && (p.o.Format == 0 || p.o.Format == 's') {
			p.w(" " + p.cstring(addr))
		}
		return
	}
	if n < 0 {
		n = 0
	}
	if isChar(et) && (p.o.Format == 0 || p.o.Format == 's') {
		p.charArray(v, int(n))
		return
	}
	if n == 0 {
		p.w("{}")
		return
	}
	es := et.Size()
	elem := func(i int64) Value {
		if v.lazy {
			return Memory(et, v.Loc.Addr+uint64(i*es))
		}
		return part(v, i*es, et)
	}
	p.w("{")
	printed := 0
	i := int64(0)
	for ; i < n && printed < p.o.Elements; i++ {
		if i > 0 {
			p.w(", ")
		}
		e := elem(i)
		if e.lazy {
			e, _ = fetch(p.env, e)
		}
		reps := int64(1)
		for j := i + 1; j < n && j-i < maxRepeatScan; j++ {
			f := elem(j)
			if f.lazy {
				f, _ = fetch(p.env, f)
			}
			if !sameBytes(e, f) {
				break
			}
			reps++
		}
		p.value(e, false)
		if reps > int64(p.o.Repeats) {
			fmt.Fprintf(&p.b, " <repeats %d times>", reps)
			i += reps - 1
			printed += p.o.Repeats
		} else {
			printed++
		}
	}
	if i < n {
		p.w("...")
	}
	p.w("}")
}

// charArray prints an array of characters as a string, as gdb does: runs
// of more than Repeats equal characters become "'c' <repeats N times>",
// one trailing NUL is dropped, and at most Elements characters print.
func (p *printer) charArray(v Value, n int) {
	var b []byte
	var miss []bool
	if v.lazy {
		k := min(n, p.o.Elements+1)
		buf := make([]byte, k)
		if err := p.env.ReadMemory(v.Loc.Addr, buf); err != nil {
			p.w("<error: " + memErr(v.Loc.Addr, err).Error() + ">")
			return
		}
		b = buf
	} else {
		b, miss = v.bytes, v.missing
		if len(b) > n {
			b = b[:n]
		}
	}
	for _, m := range miss {
		if m {
			// Partly optimized out: print the characters one by one.
			p.w("{")
			for i := range b {
				if i > 0 {
					p.w(", ")
				}
				if i < len(miss) && miss[i] {
					p.w("<optimized out>")
				} else {
					p.w(charLiteral(int64(int8(b[i])), b[i]))
				}
			}
			p.w("}")
			return
		}
	}
	length := n
	if len(b) == n && n > 0 && b[n-1] == 0 {
		length = n - 1
	}
	p.w(p.str(b, length, n > len(b)))
}

// str formats the first length bytes of b as gdb's generic_printstr does;
// more says the object goes on past b.
func (p *printer) str(b []byte, length int, more bool) string {
	if length == 0 {
		return `""`
	}
	var out strings.Builder
	inQuote := false
	segs := 0
	consumed := 0
	i := 0
	for i < length && i < len(b) && consumed < p.o.Elements {
		reps := 1
		for i+reps < length && i+reps < len(b) && b[i+reps] == b[i] {
			reps++
		}
		if reps > p.o.Repeats {
			if inQuote {
				out.WriteString(`"`)
				inQuote = false
			}
			if segs > 0 {
				out.WriteString(", ")
			}
			fmt.Fprintf(&out, "%s <repeats %d times>", charQuote(b[i]), reps)
			segs++
			i += reps
			consumed += reps
			continue
		}
		if !inQuote {
			if segs > 0 {
				out.WriteString(", ")
			}
			out.WriteString(`"`)
			inQuote = true
			segs++
		}
		// A valid multi-byte UTF-8 character prints as itself.
		if b[i] >= 0x80 {
			if r, size := utf8.DecodeRune(b[i:min(length, len(b))]); r != utf8.RuneError && size > 1 && unicode.IsPrint(r) {
				out.Write(b[i : i+size])
				i += size
				consumed += size
				continue
			}
		}
		if b[i] >= 0x80 {
			reps = 1 // an invalid byte: on its own, as before a valid sequence
		}
		// A run of equal characters below the repeats threshold is one
		// step against the elements limit, as in gdb: it prints whole
		// ("abc\000\000\000\000" with print elements 4).
		for range reps {
			out.WriteString(escapeChar(b[i], '"'))
		}
		i += reps
		consumed += reps
	}
	if inQuote {
		out.WriteString(`"`)
	}
	if i < length || more {
		out.WriteString("...")
	}
	return out.String()
}

// escapeChar escapes one byte inside quotes q.
func escapeChar(c byte, q byte) string {
	switch c {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	case '\\':
		return `\\`
	case 27:
		return `\033`
	}
	if c == q {
		return `\` + string(q)
	}
	if c >= 0x20 && c < 0x7f {
		return string(rune(c))
	}
	return fmt.Sprintf(`\%03o`, c)
}

func charQuote(c byte) string { return "'" + escapeChar(c, '\'') + "'" }

// charLiteral is gdb's "65 'A'".
func charLiteral(v int64, c byte) string {
	return strconv.FormatInt(v, 10) + " " + charQuote(c)
}

func (p *printer) scalar(v Value, top bool) {
	t := strip(v.Type)
	if p.o.Format != 0 && p.o.Format != 's' {
		p.formatted(v, t)
		return
	}
	switch u := t.(type) {
	case *dwarf.Base:
		p.base(v, u)
	case *dwarf.Enum:
		p.w(enumText(u, intValue(v)))
	case *dwarf.Pointer, *dwarf.Reference:
		p.pointer(v, top)
	default:
		p.w(fmt.Sprintf("<unprintable value of type %s>", v.Type.Name()))
	}
}

func (p *printer) base(v Value, b *dwarf.Base) {
	switch {
	case b.Encoding == dwarf.EncFloat:
		p.w(floatText(v.bytes))
	case b.Encoding == dwarf.EncBool:
		switch u := v.raw(); u {
		case 0:
			p.w("false")
		case 1:
			p.w("true")
		default:
			p.w(strconv.FormatUint(u, 10))
		}
	case isChar(b):
		p.w(charLiteral(intValue(v), byte(v.raw())))
	case b.Encoding == dwarf.EncUTF:
		p.w(fmt.Sprintf("%d U'%c'", v.raw(), rune(v.raw())))
	case b.ByteSize > 8 && len(v.bytes) == int(b.ByteSize) && v.bitSize == 0:
		// __int128: gdb prints all of it.
		p.w(wideInt(v.bytes, signed(b)).String())
	case signed(b):
		p.w(strconv.FormatInt(intValue(v), 10))
	default:
		p.w(strconv.FormatUint(v.raw(), 10))
	}
}

// enumText prints an enum value by name, or as gdb prints flag enums:
// "(FA | FC)", "(FA | unknown: 0x8)".
func enumText(e *dwarf.Enum, val int64) string {
	for _, ev := range e.Values {
		if ev.Value == val {
			return ev.Name
		}
	}
	if !e.IsFlagEnum() || val < 0 {
		return strconv.FormatInt(val, 10)
	}
	if val == 0 {
		return "0"
	}
	rest := uint64(val)
	var parts []string
	for _, ev := range e.Values {
		u := uint64(ev.Value)
		if u != 0 && rest&u == u {
			parts = append(parts, ev.Name)
			rest &^= u
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("unknown: 0x%x", rest))
	}
	return "(" + strings.Join(parts, " | ") + ")"
}

// floatText prints a float as gdb does: %.9g for float, %.17g for double,
// %.36g for binary128 long double.
func floatText(b []byte) string {
	switch len(b) {
	case 4:
		u := binary.LittleEndian.Uint32(b)
		f := math.Float32frombits(u)
		if s, ok := special(float64(f), uint64(u&(1<<23-1)), u>>31 != 0); ok {
			return s
		}
		return strconv.FormatFloat(float64(f), 'g', 9, 32)
	case 8:
		u := binary.LittleEndian.Uint64(b)
		f := math.Float64frombits(u)
		if s, ok := special(f, u&(1<<52-1), u>>63 != 0); ok {
			return s
		}
		return strconv.FormatFloat(f, 'g', 17, 64)
	case 16:
		if s, ok := quadSpecial(b); ok {
			return s
		}
		return quadBig(b).Text('g', 36)
	}
	return fmt.Sprintf("<%d-byte float>", len(b))
}

func special(f float64, mant uint64, neg bool) (string, bool) {
	sign := ""
	if neg {
		sign = "-"
	}
	switch {
	case math.IsInf(f, 0):
		return sign + "inf", true
	case math.IsNaN(f):
		return fmt.Sprintf("%snan(0x%x)", sign, mant), true
	}
	return "", false
}

// pointer prints a pointer: "0x10a90 <accounts+8>", with the string it
// points to for char pointers, and "(type) " first at print's top level.
func (p *printer) pointer(v Value, top bool) {
	addr := v.raw() & 0xffffffff
	elem := pointee(v.Type)
	if isChar(elem) && p.o.Format != 'a' {
		if top && !plainCharPointer(v.Type) {
			p.w("(" + dwarf.Declare(v.Type, "") + ") ")
		}
		p.w("0x" + strconv.FormatUint(addr, 16))
		if addr == 0 {
			return
		}
		if sym := p.env.DataSymbol(addr); sym != "" {
			p.w(" <" + sym + ">")
		}
		p.w(" " + p.cstring(addr))
		return
	}
	if top {
		p.w("(" + dwarf.Declare(v.Type, "") + ") ")
	}
	p.w("0x" + strconv.FormatUint(addr, 16))
	if sym := p.symbol(v, elem, addr); sym != "" {
		p.w(" <" + sym + ">")
	}
}

// symbol names what a pointer (or an integer printed with /a) points to:
// the function containing a code address, the function a function
// pointer (a table index) refers to, or the data object at addr.
func (p *printer) symbol(v Value, elem dwarf.Type, addr uint64) string {
	switch {
	case v.code:
		return p.env.CodeSymbol(addr)
	case elem != nil && classOf(elem) == clFunc:
		return p.env.FuncPointer(addr)
	case addr != 0:
		return p.env.DataSymbol(addr)
	}
	return ""
}

// plainCharPointer reports whether t is an unnamed pointer to (possibly
// qualified) plain char: gdb's print leaves out the "(type) " prefix of
// only those, since the quoted string shows the type ("char *", "const
// char *", but not "unsigned char *" or a typedef of "char *").
func plainCharPointer(t dwarf.Type) bool {
	for {
		q, ok := t.(*dwarf.Qualified)
		if !ok {
			break
		}
		t = q.Type
	}
	pt, ok := t.(*dwarf.Pointer)
	if !ok {
		return false
	}
	elem := pt.Elem
	for {
		q, ok := elem.(*dwarf.Qualified)
		if !ok {
			break
		}
		elem = q.Type
	}
	b, ok := elem.(*dwarf.Base)
	return ok && b.TypeName == "char"
}

// cstring reads and quotes the NUL-terminated string at addr, at most
// Elements characters.
func (p *printer) cstring(addr uint64) string {
	limit := p.o.Elements
	var b []byte
	chunk := make([]byte, 1)
	for len(b) < limit {
		if err := p.env.ReadMemory(addr+uint64(len(b)), chunk); err != nil {
			// gdb prints what it could read, then the error:
			// "abc"<error: Cannot access memory at address 0x3000>.
			e := "<error: " + memErr(addr+uint64(len(b)), err).Error() + ">"
			if len(b) == 0 {
				return e
			}
			return p.str(b, len(b), false) + e
		}
		if chunk[0] == 0 {
			return p.str(b, len(b), false)
		}
		b = append(b, chunk[0])
	}
	// As gdb does, peek at the character after the limit: if it ends
	// the string (or cannot be read), there is nothing more to elide.
	more := len(b) == limit
	if more {
		if err := p.env.ReadMemory(addr+uint64(len(b)), chunk); err != nil || chunk[0] == 0 {
			more = false
		}
	}
	return p.str(b, len(b), more)
}

// formatted prints a scalar with a format letter (p/x and friends).
func (p *printer) formatted(v Value, t dwarf.Type) {
	if w := size(t); w > 8 && len(v.bytes) == w && v.bitSize == 0 {
		// __int128 and long double: gdb formats all their bits.
		if s, ok := wideFormatted(v.bytes, p.o.Format); ok {
			p.w(s)
			return
		}
	}
	n := size(t)
	if n == 0 || n > 8 {
		n = min(len(v.bytes), 8)
	}
	u := v.raw() & mask(n)
	if v.bitSize > 0 && signed(t) {
		u = uint64(intValue(v)) & mask(n) // a signed bitfield, at its type's width
	}
	f := p.o.Format
	switch f {
	case 'x':
		p.w("0x" + strconv.FormatUint(u, 16))
	case 'z':
		p.w(fmt.Sprintf("0x%0*x", 2*n, u))
	case 'o':
		if u == 0 {
			p.w("0")
		} else {
			p.w("0" + strconv.FormatUint(u, 8))
		}
	case 't':
		p.w(strconv.FormatUint(u, 2))
	case 'd':
		shift := uint(64 - 8*n)
		p.w(strconv.FormatInt(int64(u<<shift)>>shift, 10))
	case 'u':
		p.w(strconv.FormatUint(u, 10))
	case 'c':
		// gdb takes the value as a char of the type's signedness:
		// p/c 200 is -56 '\310', p/c (unsigned char)200 is 200 '\310'.
		c := int64(int8(u))
		if !signed(t) {
			c = int64(uint8(u))
		}
		p.w(charLiteral(c, byte(u)))
	case 'a':
		p.w("0x" + strconv.FormatUint(u, 16))
		if sym := p.symbol(v, pointee(t), u); sym != "" {
			p.w(" <" + sym + ">")
		}
	case 'f':
		if classOf(t) == clFloat {
			p.w(floatText(v.bytes))
			return
		}
		switch n {
		case 4:
			p.w(floatText(binary.LittleEndian.AppendUint32(nil, uint32(u))))
		case 8:
			p.w(floatText(binary.LittleEndian.AppendUint64(nil, u)))
		default:
			if signed(t) {
				p.w(strconv.FormatInt(intValue(v), 10))
			} else {
				p.w(strconv.FormatUint(u, 10))
			}
		}
	default:
		p.o.Format = 0
		p.scalar(v, false)
	}
}

// wideInt is the integer of little-endian bytes b, sign-extended if sign.
func wideInt(b []byte, sign bool) *big.Int {
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	x := new(big.Int).SetBytes(be)
	if sign && len(b) > 0 && b[len(b)-1]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x
}

// wideFormatted formats a value of more than 8 bytes with a format
// letter, as gdb does for the letters that show bits or integers.
func wideFormatted(b []byte, f byte) (string, bool) {
	u := wideInt(b, false)
	switch f {
	case 'x':
		return "0x" + u.Text(16), true
	case 'z':
		return fmt.Sprintf("0x%0*s", 2*len(b), u.Text(16)), true
	case 'o':
		if u.Sign() == 0 {
			return "0", true
		}
		return "0" + u.Text(8), true
	case 't':
		return u.Text(2), true
	case 'd':
		return wideInt(b, true).String(), true
	case 'u':
		return u.String(), true
	}
	return "", false
}
