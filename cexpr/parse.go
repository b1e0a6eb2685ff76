package cexpr

import (
	"math"
	"strconv"
	"strings"
)

// node is a parsed expression.
type node interface{ pos() int }

type (
	identNode struct {
		at   int
		name string
	}
	intNode struct {
		at int
		v  uint64
		t  typeRef
	}
	floatNode struct {
		at     int
		v      float64
		single bool
	}
	charNode struct {
		at int
		v  byte
	}
	stringNode struct {
		at int
		s  string
	}
	dollarNode struct {
		at   int
		name string
	} // without the leading "$": "", "$", "$3", "5", "pc", "foo"
	unaryNode struct {
		at int
		op string
		x  node
	}
	binaryNode struct {
		at   int
		op   string
		x, y node
	}
	assignNode struct {
		at   int
		op   string
		x, y node
	} // op: "=", "+=", ...
	condNode struct {
		at      int
		c, a, b node
	}
	castNode struct {
		at int
		t  *typeName
		x  node
	}
	braceNode struct {
		at int
		t  *typeName
		x  node
	} // gdb's {TYPE} ADDR
	sizeofNode struct {
		at int
		x  node
		t  *typeName
	}
	indexNode struct {
		at   int
		x, i node
	}
	memberNode struct {
		at    int
		x     node
		name  string
		arrow bool
	}
	callNode struct {
		at   int
		f    node
		args []node
	}
	incNode struct {
		at   int
		x    node
		op   string
		post bool
	}
	typeNode struct {
		at int
		t  *typeName
	} // a type where a value was expected (ptype, whatis, sizeof)
)

func (n *identNode) pos() int  { return n.at }
func (n *intNode) pos() int    { return n.at }
func (n *floatNode) pos() int  { return n.at }
func (n *charNode) pos() int   { return n.at }
func (n *stringNode) pos() int { return n.at }
func (n *dollarNode) pos() int { return n.at }
func (n *unaryNode) pos() int  { return n.at }
func (n *binaryNode) pos() int { return n.at }
func (n *assignNode) pos() int { return n.at }
func (n *condNode) pos() int   { return n.at }
func (n *castNode) pos() int   { return n.at }
func (n *braceNode) pos() int  { return n.at }
func (n *sizeofNode) pos() int { return n.at }
func (n *indexNode) pos() int  { return n.at }
func (n *memberNode) pos() int { return n.at }
func (n *callNode) pos() int   { return n.at }
func (n *incNode) pos() int    { return n.at }
func (n *typeNode) pos() int   { return n.at }

// typeRef is the type of an integer literal, chosen by the parser.
type typeRef int

const (
	litInt typeRef = iota
	litUInt
	litLong
	litULong
	litLongLong
	litULongLong
)

// typeName is a type as written in a cast: a base name, then pointer,
// array and function declarators.
type typeName struct {
	base  string // "int", "unsigned long", "struct pt", "size_t"
	konst bool
	ptrs  []bool   // one per '*', true if that pointer is const
	dims  []int64  // array dimensions, outermost first
	fn    *fnDecl  // a pointer to function: base is its return type
	arr   *arrDecl // a pointer to array, "(*)[3]": base is its element type
	at    int
}

type arrDecl struct {
	ptrs int     // the '*'s inside "(*)"
	dims []int64 // the dimensions after it
}

type fnDecl struct {
	params   []*typeName
	variadic bool
	ptrs     int // the '*'s inside "(*)"
}

// parser is a recursive-descent parser of gdb's C expression language.
type parser struct {
	src    string
	toks   []token
	i      int
	isType func(name string) bool
	depth  int // nesting of the recursive descent
	chain  int // nodes built by the loops of left-associative operators
}

// maxDepth bounds the nesting of an expression as gdb's parser stack
// does (bison's YYMAXDEPTH): "((((...1...))))" 10000 deep is "A memory
// exhausted in expression". maxChain bounds the operators of
// left-associative chains ("1+1+1..."), which the parser builds without
// recursion but which make as deep a tree for Eval: gdb takes 20000.
// Without them a long enough expression overflows the goroutine stack,
// which kills the process.
const (
	maxDepth = 10000
	maxChain = 100000
)

// enter counts a level of recursion; leave must follow.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.exhausted()
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// link counts a node built by a loop.
func (p *parser) link() error {
	p.chain++
	if p.chain > maxChain {
		return p.exhausted()
	}
	return nil
}

func (p *parser) exhausted() error {
	pos := p.peek().pos
	return &SyntaxError{Src: p.src, Pos: pos, Msg: "A memory exhausted in expression, near `" + p.src[pos:] + "'."}
}

// Expr is a parsed expression.
type Expr struct {
	src  string
	root node
}

// String returns the expression's source.
func (e *Expr) String() string { return e.src }

// Parse parses a C expression. isType reports whether an identifier names
// a type rather than a variable (typedef names); it may be nil.
func Parse(src string, isType func(string) bool) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if isType == nil {
		isType = func(string) bool { return false }
	}
	p := &parser{src: src, toks: toks, isType: isType}
	if p.peek().kind == tEOF {
		return nil, &SyntaxError{Src: src, Msg: "Argument required (expression to compute)."}
	}
	var root node
	if p.startsType() && p.typeThenEOF() {
		t, err := p.typeName()
		if err != nil {
			return nil, err
		}
		root = &typeNode{at: 0, t: t}
	} else if p.startsType() {
		// gdb's grammar takes a leading type as the whole expression
		// and fails after it: "int i" is a syntax error near `i'.
		if _, err := p.typeName(); err != nil {
			return nil, err
		}
		return nil, p.errAt(p.peek().pos)
	} else {
		root, err = p.expr()
		if err != nil {
			return nil, err
		}
	}
	if p.is(")") {
		// gdb's lexer ends the expression at an unbalanced ')'.
		return nil, &SyntaxError{Src: src, Pos: p.peek().pos, Msg: "Junk after end of expression."}
	}
	if p.peek().kind != tEOF {
		return nil, p.errAt(p.peek().pos)
	}
	return &Expr{src: src, root: root}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) is(text string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == text
}

func (p *parser) accept(text string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(text string) error {
	if !p.accept(text) {
		return p.errAt(p.peek().pos)
	}
	return nil
}

func (p *parser) errAt(pos int) error { return &SyntaxError{Src: p.src, Pos: pos} }

func (p *parser) expr() (node, error) {
	x, err := p.assign()
	if err != nil {
		return nil, err
	}
	for p.is(",") {
		if err := p.link(); err != nil {
			return nil, err
		}
		at := p.next().pos
		y, err := p.assign()
		if err != nil {
			return nil, err
		}
		x = &binaryNode{at: at, op: ",", x: x, y: y}
	}
	return x, nil
}

var assignOps = map[string]bool{"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true,
	"<<=": true, ">>=": true, "&=": true, "^=": true, "|=": true}

func (p *parser) assign() (node, error) {
	x, err := p.cond()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tPunct && assignOps[t.text] {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		y, err := p.assign()
		p.leave()
		if err != nil {
			return nil, err
		}
		return &assignNode{at: t.pos, op: t.text, x: x, y: y}, nil
	}
	return x, nil
}

func (p *parser) cond() (node, error) {
	c, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if !p.is("?") {
		return c, nil
	}
	at := p.next().pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	a, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	b, err := p.cond()
	if err != nil {
		return nil, err
	}
	return &condNode{at: at, c: c, a: a, b: b}, nil
}

// levels are the binary operators from the loosest to the tightest, as in
// gdb's c-exp.y ('@' binds looser than '+').
var levels = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="},
	{"<<", ">>"}, {"@"}, {"+", "-"}, {"*", "/", "%"},
}

func (p *parser) binary(level int) (node, error) {
	if level == len(levels) {
		return p.unary()
	}
	x, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tPunct || !contains(levels[level], t.text) {
			return x, nil
		}
		if err := p.link(); err != nil {
			return nil, err
		}
		p.next()
		y, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		x = &binaryNode{at: t.pos, op: t.text, x: x, y: y}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) unary() (node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	if t.kind == tPunct {
		switch t.text {
		case "-", "+", "!", "~", "*", "&":
			p.next()
			x, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &unaryNode{at: t.pos, op: t.text, x: x}, nil
		case "++", "--":
			p.next()
			x, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &incNode{at: t.pos, x: x, op: t.text}, nil
		case "(":
			if p.peekAt(1).kind != tEOF && p.startsTypeAt(1) {
				p.next()
				tn, err := p.typeName()
				if err != nil {
					return nil, err
				}
				if err := p.expect(")"); err != nil {
					return nil, err
				}
				x, err := p.unary()
				if err != nil {
					return nil, err
				}
				return &castNode{at: t.pos, t: tn, x: x}, nil
			}
		case "{":
			p.next()
			tn, err := p.typeName()
			if err != nil {
				return nil, err
			}
			if err := p.expect("}"); err != nil {
				return nil, err
			}
			x, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &braceNode{at: t.pos, t: tn, x: x}, nil
		}
	}
	if t.kind == tIdent && t.text == "sizeof" {
		p.next()
		if p.is("(") && p.startsTypeAt(1) {
			p.next()
			tn, err := p.typeName()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return &sizeofNode{at: t.pos, t: tn}, nil
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &sizeofNode{at: t.pos, x: x}, nil
	}
	return p.postfix()
}

func (p *parser) postfix() (node, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tPunct {
			return x, nil
		}
		if err := p.link(); err != nil {
			return nil, err
		}
		switch t.text {
		case "[":
			p.next()
			i, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			x = &indexNode{at: t.pos, x: x, i: i}
		case ".", "->":
			p.next()
			name := p.peek()
			if name.kind != tIdent {
				return nil, p.errAt(name.pos)
			}
			p.next()
			x = &memberNode{at: t.pos, x: x, name: name.text, arrow: t.text == "->"}
		case "(":
			p.next()
			var args []node
			for !p.is(")") {
				a, err := p.assign()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if !p.accept(",") {
					break
				}
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			x = &callNode{at: t.pos, f: x, args: args}
		case "++", "--":
			p.next()
			x = &incNode{at: t.pos, x: x, op: t.text, post: true}
		default:
			return x, nil
		}
	}
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tIdent:
		if p.isType(t.text) || typeKeywords[t.text] {
			// A type where an operand belongs: "1 + int".
			return nil, p.errAt(t.pos)
		}
		return &identNode{at: t.pos, name: t.text}, nil
	case tNumber:
		return p.number(t)
	case tChar:
		return &charNode{at: t.pos, v: t.text[0]}, nil
	case tString:
		s := t.text
		for p.peek().kind == tString { // "a" "b" concatenates
			s += p.next().text
		}
		return &stringNode{at: t.pos, s: s}, nil
	case tDollar:
		return &dollarNode{at: t.pos, name: t.text[1:]}, nil
	case tPunct:
		if t.text == "(" {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return x, nil
		}
	}
	return nil, p.errAt(t.pos)
}

// number parses an integer or floating-point literal.
func (p *parser) number(t token) (node, error) {
	s := strings.ToLower(t.text)
	bad := func() error {
		return &SyntaxError{Src: p.src, Pos: t.pos, Msg: "Invalid number \"" + t.text + "\"."}
	}
	isHex := strings.HasPrefix(s, "0x")
	if !isHex && strings.ContainsAny(s, ".e") || isHex && strings.Contains(s, "p") {
		single := false
		if strings.HasSuffix(s, "f") && !isHex || isHex && strings.HasSuffix(s, "f") && strings.Contains(s, "p") {
			single, s = true, s[:len(s)-1]
		} else if strings.HasSuffix(s, "l") {
			s = s[:len(s)-1]
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return nil, bad()
		}
		return &floatNode{at: t.pos, v: f, single: single}, nil
	}
	// Integer suffixes.
	unsigned, longs := false, 0
	for len(s) > 0 {
		switch s[len(s)-1] {
		case 'u':
			unsigned = true
		case 'l':
			longs++
		default:
			goto digits
		}
		s = s[:len(s)-1]
	}
digits:
	base := 10
	switch {
	case isHex:
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0b"):
		base, s = 2, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil || s == "" {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, &SyntaxError{Src: p.src, Pos: t.pos, Msg: "Numeric constant too large."}
		}
		return nil, bad()
	}
	// C's rules for the type of an integer constant, on wasm32 (int and
	// long are 32 bits).
	var ty typeRef
	fits32s, fits32u := v <= math.MaxInt32, v <= math.MaxUint32
	fits64s := v <= math.MaxInt64
	decimal := base == 10
	switch {
	case longs == 0 && !unsigned && fits32s:
		ty = litInt
	case longs == 0 && (unsigned || !decimal) && fits32u:
		ty = litUInt
	case longs == 1 && !unsigned && fits32s:
		ty = litLong
	case longs <= 1 && (unsigned || !decimal) && fits32u:
		ty = litULong
	case !unsigned && fits64s:
		ty = litLongLong
	default:
		ty = litULongLong
	}
	return &intNode{at: t.pos, v: v, t: ty}, nil
}

// typeKeywords start a type name.
var typeKeywords = map[string]bool{
	"struct": true, "union": true, "enum": true, "class": true, "const": true, "volatile": true,
	"unsigned": true, "signed": true, "int": true, "char": true, "short": true, "long": true,
	"float": true, "double": true, "void": true, "_Bool": true, "bool": true,
}

func (p *parser) startsType() bool { return p.startsTypeAt(0) }

func (p *parser) startsTypeAt(k int) bool {
	t := p.peekAt(k)
	return t.kind == tIdent && (typeKeywords[t.text] || p.isType(t.text))
}

// typeThenEOF reports whether the rest of the input is exactly a type name.
func (p *parser) typeThenEOF() bool {
	save := p.i
	defer func() { p.i = save }()
	if _, err := p.typeName(); err != nil {
		return false
	}
	return p.peek().kind == tEOF
}

var baseWords = map[string]bool{"unsigned": true, "signed": true, "int": true, "char": true, "short": true,
	"long": true, "float": true, "double": true, "void": true, "_Bool": true, "bool": true}

// typeName parses a type name: qualifiers, a base type, then an abstract
// declarator ("*", "const *", "[4]", "(*)(int, char)").
func (p *parser) typeName() (*typeName, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	tn := &typeName{at: p.peek().pos}
	var words []string
	for {
		t := p.peek()
		if t.kind != tIdent {
			break
		}
		switch {
		case t.text == "const" || t.text == "volatile":
			tn.konst = tn.konst || t.text == "const"
			p.next()
			continue
		case t.text == "struct" || t.text == "union" || t.text == "enum" || t.text == "class":
			if len(words) > 0 {
				return nil, p.errAt(t.pos)
			}
			p.next()
			tag := p.next()
			if tag.kind != tIdent {
				return nil, p.errAt(tag.pos)
			}
			words = append(words, t.text, tag.text)
			for p.is("::") { // C++ qualified names
				p.next()
				n := p.next()
				if n.kind != tIdent {
					return nil, p.errAt(n.pos)
				}
				words[len(words)-1] += "::" + n.text
			}
			tn.base = strings.Join(words, " ")
			continue
		case baseWords[t.text] && tn.base == "":
			words = append(words, t.text)
			p.next()
			continue
		case len(words) == 0 && tn.base == "" && p.isType(t.text):
			p.next()
			name := t.text
			for p.is("::") && p.peekAt(1).kind == tIdent {
				p.next()
				name += "::" + p.next().text
			}
			tn.base = name
			continue
		}
		break
	}
	if tn.base == "" {
		if len(words) == 0 {
			return nil, p.errAt(p.peek().pos)
		}
		tn.base = strings.Join(words, " ")
	}
	// Declarators.
	for {
		switch {
		case p.accept("*"):
			c := false
			for p.peek().kind == tIdent && (p.peek().text == "const" || p.peek().text == "volatile") {
				c = c || p.next().text == "const"
			}
			tn.ptrs = append(tn.ptrs, c)
			continue
		case p.is("(") && p.peekAt(1).kind == tPunct && p.peekAt(1).text == "*":
			p.next()
			fd := &fnDecl{}
			for p.accept("*") {
				fd.ptrs++
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			if p.is("[") {
				// "(*)[3]": a pointer to an array.
				ad := &arrDecl{ptrs: fd.ptrs}
				for p.is("[") {
					d, err := p.dim()
					if err != nil {
						return nil, err
					}
					ad.dims = append(ad.dims, d)
				}
				tn.arr = ad
				break
			}
			if err := p.expect("("); err != nil {
				return nil, err
			}
			for !p.is(")") {
				if p.is(".") {
					// "..." lexes as three dots
					for range 3 {
						if err := p.expect("."); err != nil {
							return nil, err
						}
					}
					fd.variadic = true
					break
				}
				pt, err := p.typeName()
				if err != nil {
					return nil, err
				}
				fd.params = append(fd.params, pt)
				if !p.accept(",") {
					break
				}
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			tn.fn = fd
		case p.is("["):
			d, err := p.dim()
			if err != nil {
				return nil, err
			}
			tn.dims = append(tn.dims, d)
			continue
		}
		break
	}
	return tn, nil
}

// dim parses an array dimension: "[8]".
func (p *parser) dim() (int64, error) {
	p.next()
	n := p.next()
	if n.kind != tNumber {
		return 0, p.errAt(n.pos)
	}
	d, err := strconv.ParseInt(n.text, 0, 64)
	if err != nil || d < 0 {
		return 0, p.errAt(n.pos)
	}
	if err := p.expect("]"); err != nil {
		return 0, err
	}
	return d, nil
}
