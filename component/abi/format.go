package abi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits bound how much of a value Format shows, so that tracing a call
// with a huge argument stays cheap. A zero field means the default, a
// negative one no limit.
type Limits struct {
	// MaxElems is how many elements of a list or map are shown (default
	// 16); the rest are summarized as "…" and the total count.
	MaxElems int
	// MaxBytes is how many bytes of a string are shown (default 64).
	MaxBytes int
	// MaxDepth is how deeply nested values are shown (default 8); deeper
	// ones are shown as "…".
	MaxDepth int
	// MaxLen is the most output, in bytes, before the rest of the value is
	// cut and "…" appended (default 1024).
	MaxLen int
}

func orDefault(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return math.MaxInt
	}
	return n
}

// Format renders v, a value of type t, in WIT value syntax (as the WAVE
// encoding writes values), within the default Limits:
//
//	true  42  -1  3.5  nan  'a'  "hello\n"
//	[1, 2]                    list (and fixed-length list)
//	{x: 3, y: 4}              record
//	(1, "a")                  tuple
//	circle(2.5)  red          variant cases with and without payload
//	green                     enum
//	{read, write}  {}         flags
//	some(5)  none             option
//	ok(5)  err("bad")  ok     result
//	{"a": 1, "b": 2}          map
//	own<file>#3               handle index 3 (own, borrow, stream, future)
//	own<file>@7               no index known: representation 7
//	error-context("…")        an error context and its debug message
//
// Labels that are keywords of the syntax are prefixed with '%'. A value
// that does not fit t is shown as <T?>, with T its Go type; Format never
// fails.
func Format(t Type, v Value) string { return Limits{}.Format(t, v) }

// Format is Format with these limits.
func (l Limits) Format(t Type, v Value) string { return string(l.Append(nil, t, v)) }

// Append appends the formatted value to b.
func (l Limits) Append(b []byte, t Type, v Value) []byte {
	f := formatter{
		b:        b,
		start:    len(b),
		maxElems: orDefault(l.MaxElems, 16),
		maxBytes: orDefault(l.MaxBytes, 64),
		maxDepth: orDefault(l.MaxDepth, 8),
		maxLen:   orDefault(l.MaxLen, 1024),
	}
	f.value(t, v, 0)
	if f.full() {
		cut := f.start + f.maxLen
		for cut > f.start && !utf8.RuneStart(f.b[cut]) {
			cut--
		}
		f.b = append(f.b[:cut], "…"...)
	}
	return f.b
}

type formatter struct {
	b                                    []byte
	start                                int
	maxElems, maxBytes, maxDepth, maxLen int
}

func (f *formatter) full() bool { return len(f.b)-f.start > f.maxLen }

func (f *formatter) str(s string) { f.b = append(f.b, s...) }

func (f *formatter) bad(v Value) {
	f.b = append(f.b, '<')
	if v == nil {
		f.str("nil")
	} else {
		f.str(typeName(v))
	}
	f.str("?>")
}

func typeName(v Value) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "abi.")
}

func (f *formatter) value(t Type, v Value, depth int) {
	if f.full() {
		return
	}
	if depth >= f.maxDepth {
		f.str("…")
		return
	}
	switch t := t.(type) {
	case PrimType:
		f.prim(t, v)
	case *ListType:
		f.list(t.Elem, v, depth)
	case *MapType:
		f.mapValue(t, v, depth)
	case *RecordType:
		r, ok := v.(Record)
		if !ok || len(r) != len(t.Fields) {
			f.bad(v)
			return
		}
		f.str("{")
		for i, fv := range r {
			if i > 0 {
				f.str(", ")
			}
			f.str(label(t.Fields[i].Label))
			f.str(": ")
			f.value(t.Fields[i].Type, fv, depth+1)
		}
		f.str("}")
	case *TupleType:
		tu, ok := v.(Tuple)
		if !ok || len(tu) != len(t.Types) {
			f.bad(v)
			return
		}
		f.str("(")
		for i, fv := range tu {
			if i > 0 {
				f.str(", ")
			}
			f.value(t.Types[i], fv, depth+1)
		}
		f.str(")")
	case *VariantType, *EnumType, *OptionType, *ResultType:
		x, ok := v.(Variant)
		if !ok || uint64(x.Case) >= uint64(numCases(t)) {
			f.bad(v)
			return
		}
		c := int(x.Case)
		name := caseLabel(t, c)
		switch t.(type) {
		case *ResultType:
			name = [2]string{"ok", "err"}[c]
		case *VariantType, *EnumType:
			name = label(name)
		}
		f.str(name)
		if ct := caseType(t, c); ct != nil {
			f.str("(")
			f.value(ct, x.Payload, depth+1)
			f.str(")")
		}
	case *FlagsType:
		x, ok := v.(Flags)
		if !ok {
			f.bad(v)
			return
		}
		f.str("{")
		n := 0
		for i, l := range t.Labels {
			if x&(1<<i) != 0 {
				if n > 0 {
					f.str(", ")
				}
				f.str(label(l))
				n++
			}
		}
		f.str("}")
	case *OwnType, *BorrowType, *StreamType, *FutureType:
		f.handle(t, v)
	default:
		f.bad(v)
	}
}

func (f *formatter) handle(t Type, v Value) {
	h, ok := v.(Handle)
	if !ok {
		f.bad(v)
		return
	}
	f.str(t.String())
	if h.Index == 0 {
		switch t.(type) {
		case *OwnType, *BorrowType:
			f.str("@")
			f.b = strconv.AppendUint(f.b, uint64(h.Rep), 10)
			return
		}
	}
	f.str("#")
	f.b = strconv.AppendUint(f.b, uint64(h.Index), 10)
}

func (f *formatter) prim(t PrimType, v Value) {
	switch x := v.(type) {
	case Bool:
		if t == BoolType {
			f.b = strconv.AppendBool(f.b, bool(x))
			return
		}
	case S8:
		if t == S8Type {
			f.b = strconv.AppendInt(f.b, int64(x), 10)
			return
		}
	case U8:
		if t == U8Type {
			f.b = strconv.AppendUint(f.b, uint64(x), 10)
			return
		}
	case S16:
		if t == S16Type {
			f.b = strconv.AppendInt(f.b, int64(x), 10)
			return
		}
	case U16:
		if t == U16Type {
			f.b = strconv.AppendUint(f.b, uint64(x), 10)
			return
		}
	case S32:
		if t == S32Type {
			f.b = strconv.AppendInt(f.b, int64(x), 10)
			return
		}
	case U32:
		if t == U32Type {
			f.b = strconv.AppendUint(f.b, uint64(x), 10)
			return
		}
	case S64:
		if t == S64Type {
			f.b = strconv.AppendInt(f.b, int64(x), 10)
			return
		}
	case U64:
		if t == U64Type {
			f.b = strconv.AppendUint(f.b, uint64(x), 10)
			return
		}
	case F32:
		if t == F32Type {
			f.float(float64(x), 32)
			return
		}
	case F64:
		if t == F64Type {
			f.float(float64(x), 64)
			return
		}
	case Char:
		if t == CharType {
			f.b = append(f.b, '\'')
			f.b = appendEscaped(f.b, rune(x), '\'')
			f.b = append(f.b, '\'')
			return
		}
	case String:
		if t == StringType {
			f.quoted(x.Text)
			return
		}
	case *ErrorContext:
		if t == ErrorContextType && x != nil {
			f.str("error-context(")
			f.quoted(x.DebugMessage.Text)
			f.str(")")
			return
		}
	case Handle:
		if t == ErrorContextType {
			f.str("error-context#")
			f.b = strconv.AppendUint(f.b, uint64(x.Index), 10)
			return
		}
	}
	f.bad(v)
}

// float writes a float as Rust and WAVE do: nan, inf, -inf, the shortest
// decimal that reads back the same, with an exponent only for very large or
// small magnitudes.
func (f *formatter) float(x float64, bits int) {
	switch {
	case math.IsNaN(x):
		f.str("nan")
		return
	case math.IsInf(x, 1):
		f.str("inf")
		return
	case math.IsInf(x, -1):
		f.str("-inf")
		return
	}
	if a := math.Abs(x); a == 0 || a >= 1e-5 && a < 1e16 {
		f.b = strconv.AppendFloat(f.b, x, 'f', -1, bits)
		return
	}
	s := strconv.AppendFloat(nil, x, 'e', -1, bits)
	// 1e+21 -> 1e21, 1.5e-07 -> 1.5e-7
	for i, c := range s {
		if c == 'e' {
			f.b = append(f.b, s[:i+1]...)
			exp := s[i+1:]
			if exp[0] == '-' {
				f.b = append(f.b, '-')
			}
			exp = exp[1:]
			for len(exp) > 1 && exp[0] == '0' {
				exp = exp[1:]
			}
			f.b = append(f.b, exp...)
			return
		}
	}
	f.b = append(f.b, s...)
}

// quoted writes a string literal, cut after maxBytes bytes (at a character
// boundary) with the total length noted: "abc…" (1000 bytes).
func (f *formatter) quoted(s string) {
	cut := len(s)
	if cut > f.maxBytes {
		cut = f.maxBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	f.b = append(f.b, '"')
	for _, r := range s[:cut] {
		f.b = appendEscaped(f.b, r, '"')
	}
	if cut < len(s) {
		f.str("…\" (")
		f.b = strconv.AppendInt(f.b, int64(len(s)), 10)
		f.str(" bytes)")
		return
	}
	f.b = append(f.b, '"')
}

// appendEscaped writes r as inside a WIT char or string literal delimited by
// quote: \n \r \t \\ and the delimiter are escaped, and anything not
// printable is written as \u{hex}.
func appendEscaped(b []byte, r rune, quote rune) []byte {
	switch r {
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	case '\\':
		return append(b, `\\`...)
	case quote:
		return append(b, '\\', byte(quote))
	}
	if unicode.IsPrint(r) {
		return utf8.AppendRune(b, r)
	}
	b = append(b, `\u{`...)
	b = strconv.AppendUint(b, uint64(r), 16)
	return append(b, '}')
}

func (f *formatter) list(elem Type, v Value, depth int) {
	var n int
	var at func(int) Value
	switch l := v.(type) {
	case List:
		n, at = len(l), func(i int) Value { return l[i] }
	case Bytes:
		if elem != U8Type {
			f.bad(v)
			return
		}
		n, at = len(l), func(i int) Value { return U8(l[i]) }
	default:
		f.bad(v)
		return
	}
	f.str("[")
	for i := range min(n, f.maxElems) {
		if f.full() {
			return
		}
		if i > 0 {
			f.str(", ")
		}
		f.value(elem, at(i), depth+1)
	}
	f.more(n, "]")
}

// more closes a list or map of n elements, noting the elements not shown.
func (f *formatter) more(n int, end string) {
	if n > f.maxElems {
		f.str(", …")
		f.str(end)
		f.str(" (")
		f.b = strconv.AppendInt(f.b, int64(n), 10)
		f.str(" elements)")
		return
	}
	f.str(end)
}

func (f *formatter) mapValue(t *MapType, v Value, depth int) {
	l, ok := v.(List)
	if !ok {
		f.bad(v)
		return
	}
	f.str("{")
	for i, e := range l[:min(len(l), f.maxElems)] {
		if f.full() {
			return
		}
		if i > 0 {
			f.str(", ")
		}
		kv, ok := e.(Tuple)
		if !ok || len(kv) != 2 {
			f.bad(e)
			continue
		}
		f.value(t.Key, kv[0], depth+1)
		f.str(": ")
		f.value(t.Value, kv[1], depth+1)
	}
	f.more(len(l), "}")
}

// keywords are the words of the value syntax that labels must not be
// confused with; such labels are written with a '%' prefix.
var keywords = map[string]bool{
	"true": true, "false": true, "some": true, "none": true,
	"ok": true, "err": true, "inf": true, "nan": true,
}

func label(l string) string {
	if keywords[l] {
		return "%" + l
	}
	return l
}
