package cexpr

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tChar
	tString
	tDollar // $, $$, $N, $$N, $name
	tPunct
)

type token struct {
	kind tokKind
	text string // the source text; for tChar and tString, the decoded bytes
	pos  int
}

// SyntaxError is an expression that does not parse. Its message is gdb's:
// "A syntax error in expression, near `...'."
type SyntaxError struct {
	Src string
	Pos int
	Msg string // a more specific message, replacing gdb's when set
}

func (e *SyntaxError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	rest := ""
	if e.Pos < len(e.Src) {
		rest = e.Src[e.Pos:]
	}
	return fmt.Sprintf("A syntax error in expression, near `%s'.", rest)
}

// puncts are the operators, longest first.
var puncts = []string{
	"<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "::",
	"+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "?", ":",
	"(", ")", "[", "]", "{", "}", ".", ",", "@",
}

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) {
				d := src[j]
				if isIdentChar(d) || d == '.' {
					j++
					continue
				}
				if d == '+' || d == '-' {
					prev := src[j-1]
					hex := strings.HasPrefix(strings.ToLower(src[i:j]), "0x")
					if !hex && (prev == 'e' || prev == 'E') || hex && (prev == 'p' || prev == 'P') {
						j++
						continue
					}
				}
				break
			}
			toks = append(toks, token{tNumber, src[i:j], i})
			i = j
		case c == '$':
			j := i + 1
			for j < len(src) && src[j] == '$' {
				j++
			}
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, token{tDollar, src[i:j], i})
			i = j
		case c == '\'' || c == '"':
			s, j, err := unquote(src, i)
			if err != nil {
				return nil, err
			}
			k := tString
			if c == '\'' {
				k = tChar
				if len(s) != 1 {
					return nil, &SyntaxError{Src: src, Pos: i, Msg: "Invalid character constant."}
				}
			}
			toks = append(toks, token{k, s, i})
			i = j
		default:
			ok := false
			for _, p := range puncts {
				if strings.HasPrefix(src[i:], p) {
					toks = append(toks, token{tPunct, p, i})
					i += len(p)
					ok = true
					break
				}
			}
			if !ok {
				return nil, &SyntaxError{Src: src, Pos: i, Msg: fmt.Sprintf("Invalid character '%c' in expression.", c)}
			}
		}
	}
	return append(toks, token{tEOF, "", len(src)}), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// unquote decodes the C character or string literal starting at src[i],
// returning its bytes and the index after it.
func unquote(src string, i int) (string, int, error) {
	q := src[i]
	var b strings.Builder
	j := i + 1
	for j < len(src) && src[j] != q {
		c := src[j]
		if c != '\\' {
			b.WriteByte(c)
			j++
			continue
		}
		j++
		if j >= len(src) {
			break
		}
		e := src[j]
		j++
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'v':
			b.WriteByte(11)
		case 'e':
			b.WriteByte(27)
		case 'x':
			v, n := 0, 0
			for j < len(src) && hexDigit(src[j]) >= 0 {
				v = v*16 + hexDigit(src[j])
				j++
				n++
			}
			if n == 0 {
				return "", 0, &SyntaxError{Src: src, Pos: j, Msg: "\\x escape without a following hex digit"}
			}
			b.WriteByte(byte(v))
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(e - '0')
			for n := 1; n < 3 && j < len(src) && src[j] >= '0' && src[j] <= '7'; n++ {
				v = v*8 + int(src[j]-'0')
				j++
			}
			b.WriteByte(byte(v))
		default:
			b.WriteByte(e)
		}
	}
	if j >= len(src) {
		if q == '"' {
			return "", 0, &SyntaxError{Src: src, Pos: i, Msg: "Unterminated string in expression."}
		}
		return "", 0, &SyntaxError{Src: src, Pos: i, Msg: "Unmatched single quote."}
	}
	return b.String(), j + 1, nil
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
