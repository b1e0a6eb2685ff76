package tui

import (
	"strings"

	"wdbg/session"
)

// A small C/C++ highlighter: keywords, strings and chars, numbers, line and
// block comments. It works one line at a time; blockComments precomputes
// which lines start inside a /* comment.

var cKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`auto break case char const continue default do double else enum extern
		float for goto if inline int long register restrict return short signed sizeof static struct switch
		typedef union unsigned void volatile while bool true false _Bool NULL nullptr class namespace template
		typename public private protected virtual override explicit new delete this operator using const_cast
		static_cast reinterpret_cast dynamic_cast try catch throw noexcept constexpr auto decltype`) {
		cKeywords[k] = true
	}
}

// blockComments returns, for each line, whether it starts inside a block
// comment.
func blockComments(lines []session.SourceLine) []bool {
	out := make([]bool, len(lines))
	in := false
	for i, l := range lines {
		out[i] = in
		s := l.Text
		for j := 0; j < len(s); j++ {
			switch {
			case in && strings.HasPrefix(s[j:], "*/"):
				in = false
				j++
			case !in && strings.HasPrefix(s[j:], "//"):
				j = len(s)
			case !in && strings.HasPrefix(s[j:], "/*"):
				in = true
				j++
			case !in && (s[j] == '"' || s[j] == '\''):
				q := s[j]
				for j++; j < len(s) && s[j] != q; j++ {
					if s[j] == '\\' {
						j++
					}
				}
			}
		}
	}
	return out
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// highlightC styles one line of C.
func highlightC(s string, inComment bool, st *Styles) string {
	var b strings.Builder
	i := 0
	if inComment {
		end := strings.Index(s, "*/")
		if end < 0 {
			return st.Comment.Render(s)
		}
		b.WriteString(st.Comment.Render(s[:end+2]))
		i = end + 2
	}
	for i < len(s) {
		c := s[i]
		switch {
		case strings.HasPrefix(s[i:], "//"):
			b.WriteString(st.Comment.Render(s[i:]))
			return b.String()
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				b.WriteString(st.Comment.Render(s[i:]))
				return b.String()
			}
			b.WriteString(st.Comment.Render(s[i : i+end+4]))
			i += end + 4
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
			b.WriteString(st.String.Render(s[i:j]))
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (isIdent(s[j]) || s[j] == '.') {
				j++
			}
			b.WriteString(st.Number.Render(s[i:j]))
			i = j
		case isIdent(c):
			j := i
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			if cKeywords[s[i:j]] {
				b.WriteString(st.Keyword.Render(s[i:j]))
			} else {
				b.WriteString(s[i:j])
			}
			i = j
		default:
			j := i
			for j < len(s) && !isIdent(s[j]) && s[j] != '"' && s[j] != '\'' && s[j] != '/' {
				j++
			}
			if j == i {
				j++
			}
			b.WriteString(s[i:j])
			i = j
		}
	}
	return b.String()
}
