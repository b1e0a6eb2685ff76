package component

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"wdbg/component/abi"
)

// sexpr is one node of a wast script: an atom, a string or a list.
type sexpr struct {
	atom   string   // for atoms ("component", "$name", "0x10")
	str    string   // for strings: the decoded bytes
	list   []*sexpr // for lists
	isList bool
	isStr  bool
	// start and end delimit the node in the source (end exclusive).
	start, end int
	line       int
}

// head returns the list's first atom, or "".
func (s *sexpr) head() string {
	if !s.isList || len(s.list) == 0 || s.list[0].isList || s.list[0].isStr {
		return ""
	}
	return s.list[0].atom
}

func (s *sexpr) String() string {
	switch {
	case s.isStr:
		return strconv.Quote(s.str)
	case s.isList:
		parts := make([]string, len(s.list))
		for i, c := range s.list {
			parts[i] = c.String()
		}
		return "(" + strings.Join(parts, " ") + ")"
	}
	return s.atom
}

// wastReader reads the s-expressions of a wast script.
type wastReader struct {
	src  string
	pos  int
	line int
}

// parseWast returns the top-level forms of a wast script.
func parseWast(src string) ([]*sexpr, error) {
	r := &wastReader{src: src, line: 1}
	var out []*sexpr
	for {
		if err := r.skip(); err != nil {
			return nil, err
		}
		if r.pos >= len(r.src) {
			return out, nil
		}
		n, err := r.read()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
}

func (r *wastReader) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", r.line, fmt.Sprintf(format, args...))
}

// skip skips white space, line comments and (nested) block comments.
func (r *wastReader) skip() error {
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		switch {
		case c == '\n':
			r.line++
			r.pos++
		case c == ' ' || c == '\t' || c == '\r':
			r.pos++
		case strings.HasPrefix(r.src[r.pos:], ";;"):
			for r.pos < len(r.src) && r.src[r.pos] != '\n' {
				r.pos++
			}
		case strings.HasPrefix(r.src[r.pos:], "(;"):
			depth, startLine := 0, r.line
			for {
				if r.pos >= len(r.src) {
					return fmt.Errorf("line %d: unterminated block comment", startLine)
				}
				switch {
				case strings.HasPrefix(r.src[r.pos:], "(;"):
					depth++
					r.pos += 2
				case strings.HasPrefix(r.src[r.pos:], ";)"):
					depth--
					r.pos += 2
				default:
					if r.src[r.pos] == '\n' {
						r.line++
					}
					r.pos++
				}
				if depth == 0 {
					break
				}
			}
		default:
			return nil
		}
	}
	return nil
}

// read reads one node at r.pos (after skip).
func (r *wastReader) read() (*sexpr, error) {
	start, line := r.pos, r.line
	switch c := r.src[r.pos]; c {
	case '(':
		r.pos++
		n := &sexpr{isList: true, start: start, line: line}
		for {
			if err := r.skip(); err != nil {
				return nil, err
			}
			if r.pos >= len(r.src) {
				return nil, fmt.Errorf("line %d: unclosed list", line)
			}
			if r.src[r.pos] == ')' {
				r.pos++
				n.end = r.pos
				return n, nil
			}
			c, err := r.read()
			if err != nil {
				return nil, err
			}
			n.list = append(n.list, c)
		}
	case ')':
		return nil, r.errorf("unexpected )")
	case '"':
		s, err := r.readString()
		if err != nil {
			return nil, err
		}
		return &sexpr{str: s, isStr: true, start: start, end: r.pos, line: line}, nil
	default:
		for r.pos < len(r.src) && !strings.ContainsRune(" \t\r\n()\";", rune(r.src[r.pos])) {
			r.pos++
		}
		if r.pos == start { // a lone ';'
			return nil, r.errorf("unexpected %q", r.src[r.pos])
		}
		return &sexpr{atom: r.src[start:r.pos], start: start, end: r.pos, line: line}, nil
	}
}

// readString reads a string literal and decodes its escapes: \n \t \r \"
// \' \\, \hh (a byte) and \u{h…} (a code point, UTF-8 encoded).
func (r *wastReader) readString() (string, error) {
	var b []byte
	r.pos++ // the opening quote
	for {
		if r.pos >= len(r.src) {
			return "", r.errorf("unterminated string")
		}
		c := r.src[r.pos]
		r.pos++
		switch c {
		case '"':
			return string(b), nil
		case '\n':
			return "", r.errorf("newline in string")
		case '\\':
		default:
			b = append(b, c)
			continue
		}
		if r.pos >= len(r.src) {
			return "", r.errorf("unterminated string")
		}
		e := r.src[r.pos]
		r.pos++
		switch e {
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case '"', '\'', '\\':
			b = append(b, e)
		case 'u':
			end := strings.IndexByte(r.src[r.pos:], '}')
			if r.pos >= len(r.src) || r.src[r.pos] != '{' || end < 0 {
				return "", r.errorf("bad \\u escape")
			}
			v, err := strconv.ParseUint(strings.ReplaceAll(r.src[r.pos+1:r.pos+end], "_", ""), 16, 32)
			if err != nil || v > utf8.MaxRune || v >= 0xd800 && v < 0xe000 {
				return "", r.errorf("bad \\u escape")
			}
			b = utf8.AppendRune(b, rune(v))
			r.pos += end + 1
		default:
			if r.pos >= len(r.src) {
				return "", r.errorf("bad escape")
			}
			v, err := strconv.ParseUint(r.src[r.pos-1:r.pos+1], 16, 8)
			if err != nil {
				return "", r.errorf("bad escape \\%s", r.src[r.pos-1:r.pos+1])
			}
			b = append(b, byte(v))
			r.pos++
		}
	}
}

// wastInt parses an integer literal: decimal or 0x hex, with an optional
// sign and '_' separators. The result is the two's complement bits.
func wastInt(s string, bits int) (uint64, error) {
	t := strings.ReplaceAll(s, "_", "")
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	base := 10
	if strings.HasPrefix(t, "0x") {
		base, t = 16, t[2:]
	}
	v, err := strconv.ParseUint(t, base, bits)
	if err != nil {
		return 0, fmt.Errorf("bad integer %q", s)
	}
	if neg {
		if v > 1<<(bits-1) {
			return 0, fmt.Errorf("integer %q out of range", s)
		}
		v = -v
	}
	if bits < 64 {
		v &= 1<<bits - 1
	}
	return v, nil
}

// wastFloat parses a float literal: decimal, hex, inf, nan or nan:0x….
func wastFloat(s string, bits int) (float64, error) {
	t := strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(t, "-")
	u := strings.TrimLeft(t, "+-")
	var v float64
	switch {
	case u == "inf":
		v = math.Inf(1)
	case strings.HasPrefix(u, "nan"):
		v = math.NaN()
	default:
		if strings.HasPrefix(u, "0x") && !strings.ContainsAny(u, "pP") {
			u += "p0"
		}
		f, err := strconv.ParseFloat(u, bits)
		if err != nil {
			return 0, fmt.Errorf("bad float %q", s)
		}
		v = f
	}
	if neg {
		v = -v
	}
	return v, nil
}

// wastValue converts a value form such as (u32.const 1), (str.const "x")
// or (record.const (field "a" u32.const 1)) to a value of type t.
func wastValue(t abi.Type, n *sexpr) (abi.Value, error) {
	if !n.isList || n.head() == "" {
		return nil, fmt.Errorf("line %d: %s is not a value form", n.line, n)
	}
	return wastValueArgs(t, n.head(), n.list[1:], n.line)
}

// wastValueArgs converts a value form given as its head and arguments (the
// record field syntax splices them: (field "a" u32.const 1)).
func wastValueArgs(t abi.Type, head string, args []*sexpr, line int) (abi.Value, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("line %d: (%s …) for %s: %s", line, head, t, fmt.Sprintf(format, a...))
	}
	atom := func() (string, error) {
		if len(args) != 1 || args[0].isList || args[0].isStr {
			return "", bad("want one literal")
		}
		return args[0].atom, nil
	}
	str := func() (string, error) {
		if len(args) != 1 || !args[0].isStr {
			return "", bad("want one string")
		}
		return args[0].str, nil
	}
	kinds := map[string]abi.PrimType{
		"u8.const": abi.U8Type, "s8.const": abi.S8Type, "u16.const": abi.U16Type, "s16.const": abi.S16Type,
		"u32.const": abi.U32Type, "s32.const": abi.S32Type, "u64.const": abi.U64Type, "s64.const": abi.S64Type,
	}
	if want, ok := kinds[head]; ok {
		if t != want {
			return nil, bad("type mismatch")
		}
		a, err := atom()
		if err != nil {
			return nil, err
		}
		bits := map[abi.PrimType]int{abi.U8Type: 8, abi.S8Type: 8, abi.U16Type: 16, abi.S16Type: 16,
			abi.U32Type: 32, abi.S32Type: 32, abi.U64Type: 64, abi.S64Type: 64}[want]
		v, err := wastInt(a, bits)
		if err != nil {
			return nil, bad("%v", err)
		}
		switch want {
		case abi.U8Type:
			return abi.U8(v), nil
		case abi.S8Type:
			return abi.S8(v), nil
		case abi.U16Type:
			return abi.U16(v), nil
		case abi.S16Type:
			return abi.S16(v), nil
		case abi.U32Type:
			return abi.U32(v), nil
		case abi.S32Type:
			return abi.S32(v), nil
		case abi.U64Type:
			return abi.U64(v), nil
		default:
			return abi.S64(v), nil
		}
	}
	switch head {
	case "f32.const", "f64.const":
		a, err := atom()
		if err != nil {
			return nil, err
		}
		if head == "f32.const" && t == abi.F32Type {
			v, err := wastFloat(a, 32)
			if err != nil {
				return nil, bad("%v", err)
			}
			return abi.F32(v), nil
		}
		if head == "f64.const" && t == abi.F64Type {
			v, err := wastFloat(a, 64)
			if err != nil {
				return nil, bad("%v", err)
			}
			return abi.F64(v), nil
		}
		return nil, bad("type mismatch")
	case "bool.const":
		a, err := atom()
		if err != nil {
			return nil, err
		}
		if t != abi.BoolType || a != "true" && a != "false" {
			return nil, bad("type mismatch")
		}
		return abi.Bool(a == "true"), nil
	case "char.const":
		s, err := str()
		if err != nil {
			return nil, err
		}
		r, size := utf8.DecodeRuneInString(s)
		if t != abi.CharType || size != len(s) || r == utf8.RuneError {
			return nil, bad("want one character")
		}
		return abi.Char(r), nil
	case "str.const":
		s, err := str()
		if err != nil {
			return nil, err
		}
		if t != abi.StringType {
			return nil, bad("type mismatch")
		}
		return abi.Str(s), nil
	case "list.const":
		lt, ok := t.(*abi.ListType)
		if !ok {
			return nil, bad("type mismatch")
		}
		l := abi.List{}
		for _, a := range args {
			v, err := wastValue(lt.Elem, a)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case "tuple.const":
		tt, ok := t.(*abi.TupleType)
		if !ok || len(tt.Types) != len(args) {
			return nil, bad("type mismatch")
		}
		var l abi.Tuple
		for i, a := range args {
			v, err := wastValue(tt.Types[i], a)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case "record.const":
		rt, ok := t.(*abi.RecordType)
		if !ok {
			return nil, bad("type mismatch")
		}
		rec := make(abi.Record, len(rt.Fields))
		for _, a := range args {
			if a.head() != "field" || len(a.list) < 3 || !a.list[1].isStr {
				return nil, bad("want (field \"name\" value)")
			}
			i := -1
			for j, f := range rt.Fields {
				if f.Label == a.list[1].str {
					i = j
				}
			}
			if i < 0 || rec[i] != nil {
				return nil, bad("unknown or repeated field %q", a.list[1].str)
			}
			var err error
			if v := a.list[2]; len(a.list) == 3 && v.isList {
				rec[i], err = wastValue(rt.Fields[i].Type, v)
			} else if !v.isList && !v.isStr {
				rec[i], err = wastValueArgs(rt.Fields[i].Type, v.atom, a.list[3:], line)
			} else {
				err = bad("bad field value")
			}
			if err != nil {
				return nil, err
			}
		}
		for i, v := range rec {
			if v == nil {
				return nil, bad("field %q missing", rt.Fields[i].Label)
			}
		}
		return rec, nil
	case "variant.const":
		vt, ok := t.(*abi.VariantType)
		if !ok || len(args) < 1 || len(args) > 2 || !args[0].isStr {
			return nil, bad("want a variant and (variant.const \"case\" value?)")
		}
		for i, c := range vt.Cases {
			if c.Label != args[0].str {
				continue
			}
			if (c.Type == nil) != (len(args) == 1) {
				return nil, bad("case %q payload mismatch", c.Label)
			}
			if c.Type == nil {
				return abi.Variant{Case: uint32(i)}, nil
			}
			v, err := wastValue(c.Type, args[1])
			if err != nil {
				return nil, err
			}
			return abi.Variant{Case: uint32(i), Payload: v}, nil
		}
		return nil, bad("no case %q", args[0].str)
	case "enum.const":
		et, ok := t.(*abi.EnumType)
		s, err := str()
		if err != nil || !ok {
			return nil, bad("want an enum and one label")
		}
		for i, l := range et.Labels {
			if l == s {
				return abi.Variant{Case: uint32(i)}, nil
			}
		}
		return nil, bad("no label %q", s)
	case "flags.const":
		ft, ok := t.(*abi.FlagsType)
		if !ok {
			return nil, bad("type mismatch")
		}
		var f abi.Flags
	next:
		for _, a := range args {
			for i, l := range ft.Labels {
				if a.isStr && l == a.str {
					f |= 1 << i
					continue next
				}
			}
			return nil, bad("no flag %s", a)
		}
		return f, nil
	case "option.none", "option.some":
		ot, ok := t.(*abi.OptionType)
		if !ok {
			return nil, bad("type mismatch")
		}
		if head == "option.none" {
			if len(args) != 0 {
				return nil, bad("none has no payload")
			}
			return abi.None(), nil
		}
		if len(args) != 1 {
			return nil, bad("want one payload")
		}
		v, err := wastValue(ot.Elem, args[0])
		if err != nil {
			return nil, err
		}
		return abi.Some(v), nil
	case "result.ok", "result.err":
		rt, ok := t.(*abi.ResultType)
		if !ok {
			return nil, bad("type mismatch")
		}
		pt, c := rt.Ok, uint32(0)
		if head == "result.err" {
			pt, c = rt.Err, 1
		}
		if (pt == nil) != (len(args) == 0) || len(args) > 1 {
			return nil, bad("payload mismatch")
		}
		if pt == nil {
			return abi.Variant{Case: c}, nil
		}
		v, err := wastValue(pt, args[0])
		if err != nil {
			return nil, err
		}
		return abi.Variant{Case: c, Payload: v}, nil
	}
	return nil, bad("unknown value form")
}
