package cexpr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"wdbg/dwarf"
)

// evaluator evaluates one expression.
type evaluator struct {
	env Env
	// noSideEffects: evaluate for the type only (whatis, ptype, sizeof):
	// assignments and increments do not write.
	noSideEffects bool
}

// Eval evaluates the expression. Assignments write to the program.
func (e *Expr) Eval(env Env) (Value, error) {
	ev := &evaluator{env: env}
	return ev.eval(e.root)
}

// EvalType returns the expression's type without side effects; for an
// expression that is a type name ("struct pt", "int *"), that type.
func (e *Expr) EvalType(env Env) (dwarf.Type, error) {
	if tn, ok := e.root.(*typeNode); ok {
		return resolveType(env, tn.t)
	}
	ev := &evaluator{env: env, noSideEffects: true}
	v, err := ev.eval(e.root)
	if err != nil {
		return nil, err
	}
	return v.Type, nil
}

// IsType reports whether the whole expression is a type name.
func (e *Expr) IsType() bool {
	_, ok := e.root.(*typeNode)
	return ok
}

// Evaluate parses and evaluates src in env.
func Evaluate(env Env, src string) (Value, error) {
	e, err := Parse(src, TypeNames(env))
	if err != nil {
		return Value{}, err
	}
	return e.Eval(env)
}

// TypeNames returns the isType function Parse needs, answered by env: an
// identifier is a type name if env knows a type of that name and no
// variable hides it.
func TypeNames(env Env) func(string) bool {
	return func(name string) bool {
		if typeKeywords[name] {
			return true
		}
		if _, ok := env.Type(name); !ok {
			return false
		}
		_, isVar, _ := env.Lookup(name)
		return !isVar
	}
}

func (ev *evaluator) eval(n node) (Value, error) {
	switch n := n.(type) {
	case *identNode:
		v, ok, err := ev.env.Lookup(n.name)
		if err != nil {
			return Value{}, err
		}
		if !ok {
			return Value{}, fmt.Errorf("No symbol \"%s\" in current context.", n.name)
		}
		return v, nil
	case *intNode:
		return Int(litType(n.t), int64(n.v)), nil
	case *floatNode:
		if n.single {
			return Float(typeFloat, n.v), nil
		}
		return Float(typeDouble, n.v), nil
	case *charNode:
		return Int(typeChar, int64(int8(n.v))), nil
	case *stringNode:
		b := append([]byte(n.s), 0)
		return Bytes(&dwarf.Array{Elem: typeChar, Dims: []int64{int64(len(b))}}, b), nil
	case *dollarNode:
		return ev.dollar(n)
	case *unaryNode:
		return ev.unary(n)
	case *binaryNode:
		return ev.binary(n)
	case *assignNode:
		return ev.assign(n)
	case *incNode:
		return ev.inc(n)
	case *condNode:
		c, err := ev.eval(n.c)
		if err != nil {
			return Value{}, err
		}
		t, err := ev.truth(c)
		if err != nil {
			return Value{}, err
		}
		if t {
			return ev.eval(n.a)
		}
		return ev.eval(n.b)
	case *castNode:
		t, err := resolveType(ev.env, n.t)
		if err != nil {
			return Value{}, err
		}
		x, err := ev.eval(n.x)
		if err != nil {
			return Value{}, err
		}
		return ev.convert(x, t, true)
	case *braceNode:
		t, err := resolveType(ev.env, n.t)
		if err != nil {
			return Value{}, err
		}
		x, err := ev.eval(n.x)
		if err != nil {
			return Value{}, err
		}
		addr, err := ev.address(x)
		if err != nil {
			return Value{}, err
		}
		return Memory(t, addr), nil
	case *sizeofNode:
		var t dwarf.Type
		if n.t != nil {
			var err error
			if t, err = resolveType(ev.env, n.t); err != nil {
				return Value{}, err
			}
		} else {
			sub := &evaluator{env: ev.env, noSideEffects: true}
			x, err := sub.eval(n.x)
			if err != nil {
				return Value{}, err
			}
			t = x.Type
		}
		// gdb gives sizeof the type int: "p sizeof(int) - 8" is -4.
		if classOf(t) == clVoid {
			return Int(typeInt, 1), nil
		}
		return Int(typeInt, t.Size()), nil
	case *indexNode:
		return ev.index(n)
	case *memberNode:
		x, err := ev.eval(n.x)
		if err != nil {
			return Value{}, err
		}
		return ev.member(x, n.name, n.arrow)
	case *callNode:
		return Value{}, errors.New("Cannot call functions of the program: wdbg does not run guest code while the program is stopped.")
	case *typeNode:
		return Value{}, errors.New("Attempt to use a type name as an expression")
	}
	return Value{}, fmt.Errorf("internal error: unknown expression node %T", n)
}

func litType(t typeRef) dwarf.Type {
	switch t {
	case litUInt:
		return typeUInt
	case litLong:
		return typeLong
	case litULong:
		return typeULong
	case litLongLong:
		return typeLongLong
	case litULongLong:
		return typeULongLong
	}
	return typeInt
}

func (ev *evaluator) dollar(n *dollarNode) (Value, error) {
	name := n.name
	switch {
	case name == "":
		return ev.env.History(0)
	case name == "$":
		return ev.env.History(-1)
	case strings.HasPrefix(name, "$") && isDigits(name[1:]):
		k, err := strconv.Atoi(name[1:])
		if err != nil {
			return Value{}, fmt.Errorf("History has not yet reached $$%s.", name[1:])
		}
		return ev.env.History(-k)
	case isDigits(name):
		k, err := strconv.Atoi(name)
		if err != nil {
			return Value{}, fmt.Errorf("History has not yet reached $%s.", name)
		}
		if k == 0 {
			return ev.env.History(0)
		}
		return ev.env.History(k)
	}
	v, ok, err := ev.env.Dollar(name)
	if err != nil {
		return Value{}, err
	}
	if !ok {
		return Value{Type: typeVoid, Loc: Loc{Kind: NotLvalue}}, nil
	}
	return v, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scalar returns v with its bytes read, checking that they are available.
func (ev *evaluator) scalar(v Value) (Value, error) {
	v, err := fetch(ev.env, v)
	if err != nil {
		return v, err
	}
	if !v.available() {
		return v, errors.New("value has been optimized out")
	}
	return v, nil
}

// structOperand is gdb's error for an operator applied to a struct: it
// looks for an overloaded operator in the left operand's type, even in C.
// (Not for a union: gdb reports those as for any other non-number.) y is
// nil for a unary operator.
func structOperand(op string, x, y dwarf.Type) error {
	isStruct := func(t dwarf.Type) bool {
		s, ok := strip(t).(*dwarf.Struct)
		return ok && s.Kind != dwarf.KindUnion
	}
	switch {
	case isStruct(x):
		return fmt.Errorf("Structure has no component named operator%s.", op)
	case y != nil && isStruct(y):
		return errors.New("Can't do that binary op on that type")
	}
	return nil
}

// truth is C's truth value of a scalar.
func (ev *evaluator) truth(v Value) (bool, error) {
	v, err := ev.rvalue(v)
	if err != nil {
		return false, err
	}
	switch classOf(v.Type) {
	case clInt, clPtr:
		return v.raw() != 0, nil
	case clFloat:
		return floatValue(v) != 0, nil
	}
	return false, errors.New("Argument to arithmetic operation not a number or boolean.")
}

// rvalue converts arrays and functions to pointers (C's decay) and reads
// the value.
func (ev *evaluator) rvalue(v Value) (Value, error) {
	switch classOf(v.Type) {
	case clArray:
		addr, err := ev.addressOf(v)
		if err != nil {
			return Value{}, err
		}
		arr := strip(v.Type).(*dwarf.Array)
		return Int(&dwarf.Pointer{Elem: arr.ElemType(), ByteSize: 4}, int64(addr)), nil
	case clFunc:
		p := Int(&dwarf.Pointer{Elem: v.Type, ByteSize: 4}, int64(v.raw()))
		p.code = v.code // a code address, or a table index: as it came
		return p, nil
	}
	return ev.scalar(v)
}

// addressOf is the address of an lvalue in memory.
func (ev *evaluator) addressOf(v Value) (uint64, error) {
	if v.Loc.Kind != InMemory || v.bitSize > 0 {
		return 0, errors.New("Attempt to take address of value not located in memory.")
	}
	return v.Loc.Addr, nil
}

// address is the value of a pointer, integer or array, as an address.
func (ev *evaluator) address(v Value) (uint64, error) {
	v, err := ev.rvalue(v)
	if err != nil {
		return 0, err
	}
	switch classOf(v.Type) {
	case clInt, clPtr:
		return v.raw() & 0xffffffff, nil
	}
	return 0, errors.New("Attempt to take contents of a non-pointer value.")
}

func (ev *evaluator) unary(n *unaryNode) (Value, error) {
	x, err := ev.eval(n.x)
	if err != nil {
		return Value{}, err
	}
	switch n.op {
	case "*":
		return ev.deref(x)
	case "&":
		if classOf(x.Type) == clFunc {
			p := Int(&dwarf.Pointer{Elem: x.Type, ByteSize: 4}, int64(x.raw()))
			p.code = x.code
			return p, nil
		}
		addr, err := ev.addressOf(x)
		if err != nil {
			return Value{}, err
		}
		return Int(&dwarf.Pointer{Elem: x.Type, ByteSize: 4}, int64(addr)), nil
	case "!":
		if err := structOperand("!", x.Type, nil); err != nil {
			return Value{}, err
		}
		t, err := ev.truth(x)
		if err != nil {
			return Value{}, err
		}
		return Int(typeInt, b2i(!t)), nil
	}
	x, err = ev.rvalue(x)
	if err != nil {
		return Value{}, err
	}
	if err := structOperand(n.op, x.Type, nil); err != nil {
		return Value{}, err
	}
	switch classOf(x.Type) {
	case clInt:
		t := promote(x.Type)
		v := intValue(x)
		switch n.op {
		case "-":
			v = -v
		case "~":
			v = ^v
		}
		return Int(t, v), nil
	case clFloat:
		if n.op == "~" {
			return Value{}, errors.New("Argument to complement operation not an integer, boolean.")
		}
		f := floatValue(x)
		if n.op == "-" {
			f = -f
		}
		return Float(x.Type, f), nil
	}
	switch n.op {
	case "-":
		return Value{}, errors.New("Argument to negate operation not a number.")
	case "+":
		return Value{}, errors.New("Argument to positive operation not a number.")
	}
	return Value{}, errors.New("Argument to complement operation not an integer, boolean.")
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// deref is *x.
func (ev *evaluator) deref(x Value) (Value, error) {
	switch classOf(x.Type) {
	case clArray:
		return ev.element(x, 0)
	case clFunc:
		return x, nil
	case clPtr:
	case clInt:
		// gdb allows * on an integer (not a bool or an enum): it reads
		// an int at that address.
		if b, ok := strip(x.Type).(*dwarf.Base); ok && b.Encoding != dwarf.EncBool {
			x, err := ev.scalar(x)
			if err != nil {
				return Value{}, err
			}
			return Memory(typeInt, uint64(intValue(x))&0xffffffff), nil
		}
		return Value{}, errors.New("Attempt to take contents of a non-pointer value.")
	default:
		return Value{}, errors.New("Attempt to take contents of a non-pointer value.")
	}
	elem := pointee(x.Type)
	x, err := ev.scalar(x)
	if err != nil {
		return Value{}, err
	}
	switch classOf(elem) {
	case clVoid:
		return Value{}, errors.New("Attempt to take contents of a non-pointer value.")
	case clFunc:
		if x.code {
			return Function(elem, ev.env.CodeSymbol(x.raw()), x.raw()), nil
		}
		f := Function(elem, ev.env.FuncPointer(x.raw()), x.raw())
		f.code = false // the bytes are a function table index
		return f, nil
	}
	return Memory(elem, x.raw()&0xffffffff), nil
}

// element is x[i] of an array value.
func (ev *evaluator) element(x Value, i int64) (Value, error) {
	arr := strip(x.Type).(*dwarf.Array)
	et := arr.ElemType()
	es := et.Size()
	if x.Loc.Kind == InMemory {
		return Memory(et, x.Loc.Addr+uint64(i*es)), nil
	}
	if i < 0 || (arr.Count() >= 0 && i >= arr.Count()) {
		return Value{}, fmt.Errorf("no such vector element")
	}
	x, err := fetch(ev.env, x)
	if err != nil {
		return Value{}, err
	}
	return part(x, i*es, et), nil
}

func (ev *evaluator) index(n *indexNode) (Value, error) {
	x, err := ev.eval(n.x)
	if err != nil {
		return Value{}, err
	}
	i, err := ev.eval(n.i)
	if err != nil {
		return Value{}, err
	}
	if c := classOf(x.Type); c != clArray && c != clPtr {
		if ci := classOf(i.Type); ci == clArray || ci == clPtr {
			x, i = i, x
		}
	}
	i, err = ev.rvalue(i)
	if err != nil {
		return Value{}, err
	}
	if classOf(i.Type) != clInt {
		return Value{}, errors.New("Argument to arithmetic operation not a number or boolean.")
	}
	k := intValue(i)
	switch classOf(x.Type) {
	case clArray:
		return ev.element(x, k)
	case clPtr:
		p, err := ev.pointerAdd(x, k)
		if err != nil {
			return Value{}, err
		}
		return ev.deref(p)
	}
	return Value{}, fmt.Errorf("cannot subscript something of type `%s'", x.Type.Name())
}

// member is x.name or x->name.
func (ev *evaluator) member(x Value, name string, arrow bool) (Value, error) {
	if classOf(x.Type) == clPtr {
		var err error
		if x, err = ev.deref(x); err != nil {
			return Value{}, err
		}
	}
	st, ok := strip(x.Type).(*dwarf.Struct)
	if !ok {
		return Value{}, fmt.Errorf("Attempt to extract a component of a value that is not a structure%s.", map[bool]string{true: " pointer", false: ""}[arrow])
	}
	path, ok := findField(st, name, 0)
	if !ok {
		return Value{}, fmt.Errorf("There is no member named %s.", name)
	}
	for _, f := range path {
		x = field(x, f)
	}
	return x, nil
}

// findField finds a member by name, looking into anonymous members and
// base classes: the path of fields from st to it.
func findField(st *dwarf.Struct, name string, depth int) ([]dwarf.Field, bool) {
	if depth > 32 {
		return nil, false
	}
	for _, f := range st.Fields {
		if f.Name == name && !f.IsBase {
			return []dwarf.Field{f}, true
		}
	}
	for _, f := range st.Fields {
		if f.Name != "" && !f.IsBase {
			continue
		}
		if inner, ok := strip(f.Type).(*dwarf.Struct); ok {
			if p, ok := findField(inner, name, depth+1); ok {
				return append([]dwarf.Field{f}, p...), true
			}
		}
	}
	return nil, false
}

// field returns member f of struct value x.
func field(x Value, f dwarf.Field) Value {
	off := f.Offset
	if off < 0 {
		return OptimizedOut(f.Type)
	}
	if f.BitSize == 0 {
		return part(x, off, f.Type)
	}
	n := (f.BitOffset + f.BitSize + 7) / 8
	p := Value{Type: f.Type, bitOff: f.BitOffset, bitSize: f.BitSize}
	switch x.Loc.Kind {
	case InMemory:
		p.Loc = Loc{Kind: InMemory, Addr: x.Loc.Addr + uint64(off)}
	case NotLvalue:
	default:
		p.Loc = Loc{Kind: Composite}
	}
	if x.lazy {
		p.lazy = true
		return p
	}
	raw := part(Value{Type: x.Type, bytes: x.bytes, missing: x.missing}, off, &dwarf.Array{Elem: typeUChar, Dims: []int64{int64(n)}})
	p.bytes, p.missing = raw.bytes, raw.missing
	return p
}

func (ev *evaluator) pointerAdd(p Value, k int64) (Value, error) {
	p, err := ev.rvalue(p)
	if err != nil {
		return Value{}, err
	}
	es := int64(1)
	if el := pointee(p.Type); el != nil && classOf(el) != clVoid {
		if es = el.Size(); es == 0 {
			es = 1
		}
	}
	out := Int(p.Type, int64(uint32(int64(p.raw())+k*es)))
	out.code = p.code // "sq + 1" is still a code address: <sq+1>
	return out, nil
}

func (ev *evaluator) binary(n *binaryNode) (Value, error) {
	switch n.op {
	case ",":
		if _, err := ev.eval(n.x); err != nil {
			return Value{}, err
		}
		return ev.eval(n.y)
	case "&&", "||":
		x, err := ev.eval(n.x)
		if err != nil {
			return Value{}, err
		}
		if err := structOperand(n.op, x.Type, nil); err != nil {
			return Value{}, err
		}
		tx, err := ev.truth(x)
		if err != nil {
			return Value{}, err
		}
		if n.op == "&&" && !tx || n.op == "||" && tx {
			return Int(typeInt, b2i(tx)), nil
		}
		y, err := ev.eval(n.y)
		if err != nil {
			return Value{}, err
		}
		ty, err := ev.truth(y)
		if err != nil {
			return Value{}, err
		}
		return Int(typeInt, b2i(ty)), nil
	}
	x, err := ev.eval(n.x)
	if err != nil {
		return Value{}, err
	}
	y, err := ev.eval(n.y)
	if err != nil {
		return Value{}, err
	}
	if n.op == "@" {
		return ev.repeat(x, y)
	}
	return ev.arith(n.op, x, y)
}

// repeat is gdb's x@n: an array of n objects starting at x.
func (ev *evaluator) repeat(x, y Value) (Value, error) {
	y, err := ev.rvalue(y)
	if err != nil {
		return Value{}, err
	}
	if classOf(y.Type) != clInt {
		return Value{}, errors.New("Non-integral right operand for \"@\" operator.")
	}
	k := intValue(y)
	if x.Loc.Kind != InMemory {
		return Value{}, errors.New("Only values in memory can be extended with '@'.")
	}
	if k <= 0 {
		return Value{}, fmt.Errorf("Invalid number %d of repetitions.", k)
	}
	return Memory(&dwarf.Array{Elem: x.Type, Dims: []int64{k}}, x.Loc.Addr), nil
}

// arith applies a binary arithmetic, bitwise or comparison operator.
func (ev *evaluator) arith(op string, x, y Value) (Value, error) {
	x, err := ev.rvalue(x)
	if err != nil {
		return Value{}, err
	}
	y, err = ev.rvalue(y)
	if err != nil {
		return Value{}, err
	}
	cx, cy := classOf(x.Type), classOf(y.Type)
	if err := structOperand(op, x.Type, y.Type); err != nil {
		return Value{}, err
	}
	// Pointer arithmetic.
	if cx == clPtr || cy == clPtr {
		switch {
		case op == "+" && cx == clPtr && cy == clInt:
			return ev.pointerAdd(x, intValue(y))
		case op == "+" && cx == clInt && cy == clPtr:
			return ev.pointerAdd(y, intValue(x))
		case op == "-" && cx == clPtr && cy == clInt:
			return ev.pointerAdd(x, -intValue(y))
		case op == "-" && cx == clPtr && cy == clPtr:
			es := int64(1)
			if el := pointee(x.Type); el != nil && el.Size() > 0 {
				es = el.Size()
			}
			return Int(typeLong, (int64(int32(x.raw()))-int64(int32(y.raw())))/es), nil
		case isComparison(op) && (cx == clPtr || cx == clInt) && (cy == clPtr || cy == clInt):
			return Int(typeInt, b2i(compareU(op, x.raw()&0xffffffff, y.raw()&0xffffffff))), nil
		}
		return Value{}, errors.New("Argument to arithmetic operation not a number or boolean.")
	}
	if (cx != clInt && cx != clFloat) || (cy != clInt && cy != clFloat) {
		return Value{}, errors.New("Argument to arithmetic operation not a number or boolean.")
	}
	if op == "<<" || op == ">>" {
		if cx != clInt || cy != clInt {
			return Value{}, errors.New("Integer-only operation on floating point number.")
		}
		t := promote(x.Type)
		k := intValue(y)
		bits := int64(size(t) * 8)
		if k < 0 || k >= bits {
			return Int(t, 0), nil
		}
		v := intValue(Int(t, intValue(x)))
		if op == "<<" {
			return Int(t, v<<uint(k)), nil
		}
		if signed(t) {
			return Int(t, v>>uint(k)), nil
		}
		return Int(t, int64(uint64(v)&mask(size(t))>>uint(k))), nil
	}
	t := arith(x.Type, y.Type)
	if classOf(t) == clFloat {
		a, b := ev.toFloat(x), ev.toFloat(y)
		switch op {
		case "+":
			return Float(t, a+b), nil
		case "-":
			return Float(t, a-b), nil
		case "*":
			return Float(t, a*b), nil
		case "/":
			return Float(t, a/b), nil
		case "%", "&", "|", "^":
			return Value{}, errors.New("Integer-only operation on floating point number.")
		}
		return Int(typeInt, b2i(compareF(op, a, b))), nil
	}
	a, b := intValue(Int(t, intValue(x))), intValue(Int(t, intValue(y)))
	uns := !signed(t)
	m := mask(size(t))
	ua, ub := uint64(a)&m, uint64(b)&m
	switch op {
	case "+":
		return Int(t, a+b), nil
	case "-":
		return Int(t, a-b), nil
	case "*":
		return Int(t, a*b), nil
	case "/", "%":
		if b == 0 {
			return Value{}, errors.New("Division by zero")
		}
		if uns {
			if op == "/" {
				return Int(t, int64(ua/ub)), nil
			}
			return Int(t, int64(ua%ub)), nil
		}
		if a == math.MinInt64 && b == -1 {
			return Int(t, a), nil
		}
		if op == "/" {
			return Int(t, a/b), nil
		}
		return Int(t, a%b), nil
	case "&":
		return Int(t, a&b), nil
	case "|":
		return Int(t, a|b), nil
	case "^":
		return Int(t, a^b), nil
	}
	if uns {
		return Int(typeInt, b2i(compareU(op, ua, ub))), nil
	}
	return Int(typeInt, b2i(compareS(op, a, b))), nil
}

func mask(n int) uint64 {
	if n >= 8 || n <= 0 {
		return math.MaxUint64
	}
	return 1<<(8*uint(n)) - 1
}

func isComparison(op string) bool {
	switch op {
	case "==", "!=", "<", ">", "<=", ">=":
		return true
	}
	return false
}

func compareU(op string, a, b uint64) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case ">":
		return a > b
	case "<=":
		return a <= b
	}
	return a >= b
}

func compareS(op string, a, b int64) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case ">":
		return a > b
	case "<=":
		return a <= b
	}
	return a >= b
}

func compareF(op string, a, b float64) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case ">":
		return a > b
	case "<=":
		return a <= b
	}
	return a >= b
}

func (ev *evaluator) toFloat(v Value) float64 {
	if classOf(v.Type) == clFloat {
		return floatValue(v)
	}
	if signed(v.Type) {
		return float64(intValue(v))
	}
	return float64(v.raw())
}

// convert converts v to type t, as a C cast (explicit) or an assignment.
func (ev *evaluator) convert(v Value, t dwarf.Type, explicit bool) (Value, error) {
	ct := classOf(t)
	if ct == clVoid {
		return Value{Type: t}, nil
	}
	if ct == clStruct || ct == clArray {
		if strip(v.Type) == strip(t) || v.Type.Name() == t.Name() && v.Type.Size() == t.Size() {
			v.Type = t
			return v, nil
		}
		return Value{}, errors.New("Invalid cast.")
	}
	v, err := ev.rvalue(v)
	if err != nil {
		return Value{}, err
	}
	cv := classOf(v.Type)
	switch ct {
	case clInt:
		if isBool(t) {
			b, err := ev.truth(v)
			if err != nil {
				return Value{}, err
			}
			return Int(t, b2i(b)), nil
		}
		switch cv {
		case clInt, clPtr:
			return Int(t, intValue(v)), nil
		case clFloat:
			return Int(t, floatToInt(floatValue(v), !signed(t))), nil
		}
	case clFloat:
		switch cv {
		case clInt:
			return Float(t, ev.toFloat(v)), nil
		case clFloat:
			return Float(t, floatValue(v)), nil
		}
	case clPtr:
		switch cv {
		case clInt, clPtr:
			out := Int(t, intValue(v))
			out.code = v.code && classOf(pointee(t)) == clFunc
			return out, nil
		}
	}
	return Value{}, errors.New("Invalid cast.")
}

// floatToInt converts a float to an integer the same way on every host
// (Go leaves out-of-range conversions to the platform): as gdb does,
// values outside the 64-bit range saturate and NaN becomes the maximum;
// an unsigned target takes values up to 2^64 as C does.
func floatToInt(f float64, unsigned bool) int64 {
	switch {
	case math.IsNaN(f):
		return math.MaxInt64
	case f < -(1 << 63):
		return math.MinInt64
	case f < 1<<63:
		return int64(f)
	case unsigned && f < 1<<64:
		return int64(uint64(f))
	}
	return math.MaxInt64
}

func (ev *evaluator) assign(n *assignNode) (Value, error) {
	x, err := ev.eval(n.x)
	if err != nil {
		return Value{}, err
	}
	y, err := ev.eval(n.y)
	if err != nil {
		return Value{}, err
	}
	if n.op != "=" {
		if y, err = ev.arith(strings.TrimSuffix(n.op, "="), x, y); err != nil {
			return Value{}, err
		}
	}
	return ev.store(x, y, n.x)
}

func (ev *evaluator) inc(n *incNode) (Value, error) {
	x, err := ev.eval(n.x)
	if err != nil {
		return Value{}, err
	}
	op := "+"
	if n.op == "--" {
		op = "-"
	}
	y, err := ev.arith(op, x, Int(typeInt, 1))
	if err != nil {
		return Value{}, err
	}
	old, err := ev.rvalue(x)
	if err != nil {
		return Value{}, err
	}
	nv, err := ev.store(x, y, n.x)
	if err != nil || !n.post {
		return nv, err
	}
	// x++ is the old value, not an lvalue: "i++++" is an error, as in
	// gdb, not a second increment.
	old.Loc = Loc{Kind: NotLvalue}
	return old, nil
}

// store assigns y to the lvalue x and returns the new value of x.
func (ev *evaluator) store(x, y Value, target node) (Value, error) {
	if d, ok := target.(*dollarNode); ok && x.Loc.Kind != InWasm {
		if d.name == "" || d.name == "$" || isDigits(d.name) || strings.HasPrefix(d.name, "$") {
			// $, $$, $N, $$N: the value history is read-only.
			return Value{}, errors.New("Left operand of assignment is not a modifiable lvalue.")
		}
		// $name = value sets a convenience variable, whatever it held
		// before (a value read from the program's memory is a copy: the
		// assignment must not write there). As in gdb, an array in the
		// program's memory and a function decay to pointers; an array
		// that lives only in the debugger ("str") is kept.
		var err error
		if c := classOf(y.Type); c == clFunc || c == clArray && y.Loc.Kind == InMemory {
			y, err = ev.rvalue(y)
		} else {
			y, err = ev.rvalueKeep(y)
		}
		if err != nil {
			return Value{}, err
		}
		y.Loc = Loc{Kind: NotLvalue}
		if !ev.noSideEffects {
			if err := ev.env.SetDollar(d.name, y); err != nil {
				return Value{}, err
			}
		}
		return y, nil
	}
	switch x.Loc.Kind {
	case NotLvalue:
		return Value{}, errors.New("Left operand of assignment is not an lvalue.")
	case Composite:
		return Value{}, errors.New("Left operand of assignment is not a modifiable lvalue: the optimizer spread this object over several places.")
	}
	nv, err := ev.convert(y, x.Type, false)
	if err != nil {
		return Value{}, err
	}
	if nv, err = fetch(ev.env, nv); err != nil {
		return Value{}, err
	}
	if nv.code {
		// A function designator converts to its code address, but a
		// function pointer of the program holds an index into the
		// function table, which the Env cannot tell us.
		return Value{}, errors.New("Cannot assign a function to a function pointer of the program: its value is an index into the function table, which wdbg does not know for this function; assign the index instead.")
	}
	if ev.noSideEffects {
		nv.Loc = x.Loc
		return nv, nil
	}
	switch x.Loc.Kind {
	case InMemory:
		b := nv.bytes
		if x.bitSize > 0 {
			old, err := fetch(ev.env, x)
			if err != nil {
				return Value{}, err
			}
			b = setBits(old.bytes, x.bitOff, x.bitSize, nv.raw())
		}
		if err := ev.env.WriteMemory(x.Loc.Addr, b); err != nil {
			return Value{}, memErr(x.Loc.Addr, err)
		}
		return ev.scalarOrSelf(Memory(x.Type, x.Loc.Addr), x)
	case InWasm:
		var bits uint64
		var buf [8]byte
		copy(buf[:], nv.bytes)
		bits = binary.LittleEndian.Uint64(buf[:])
		if signed(x.Type) && size(x.Type) < 8 && size(x.Type) > 0 {
			bits = uint64(intValue(nv))
		}
		if err := ev.env.WriteWasm(x.Loc.Wasm, bits); err != nil {
			return Value{}, err
		}
		nv.Loc = x.Loc
		return nv, nil
	}
	return Value{}, errors.New("Left operand of assignment is not an lvalue.")
}

// scalarOrSelf re-reads a stored lvalue (keeping bitfield geometry).
func (ev *evaluator) scalarOrSelf(v, like Value) (Value, error) {
	v.bitOff, v.bitSize = like.bitOff, like.bitSize
	return fetch(ev.env, v)
}

// rvalueKeep reads v's bytes, keeping aggregates whole (for convenience
// variables and history).
func (ev *evaluator) rvalueKeep(v Value) (Value, error) {
	return fetch(ev.env, v)
}

func setBits(b []byte, off, n int, v uint64) []byte {
	out := append([]byte(nil), b...)
	for i := 0; i < n; i++ {
		bit := off + i
		if bit/8 >= len(out) {
			break
		}
		if v>>uint(i)&1 != 0 {
			out[bit/8] |= 1 << uint(bit%8)
		} else {
			out[bit/8] &^= 1 << uint(bit%8)
		}
	}
	return out
}

// resolveType turns a parsed type name into a type.
func resolveType(env Env, tn *typeName) (dwarf.Type, error) {
	base := strings.Join(strings.Fields(tn.base), " ")
	var t dwarf.Type
	if canon, ok := canonBaseName(base); ok {
		base = canon
	}
	if dt, ok := env.Type(base); ok {
		t = dt
	} else if bt, ok := builtinTypes[base]; ok {
		t = bt
	} else {
		for _, kw := range []string{"struct", "union", "enum"} {
			if tag, ok := strings.CutPrefix(base, kw+" "); ok {
				return nil, fmt.Errorf("No %s type named %s.", kw, tag)
			}
		}
		return nil, fmt.Errorf("No symbol \"%s\" in current context.", base)
	}
	if tn.konst {
		t = &dwarf.Qualified{Const: true, Type: t}
	}
	// The '*'s before a "(*)" declarator belong to its base: "char
	// *(*)(int)" returns a char *.
	for _, c := range tn.ptrs {
		t = &dwarf.Pointer{Elem: t, ByteSize: 4}
		if c {
			t = &dwarf.Qualified{Const: true, Type: t}
		}
	}
	if tn.arr != nil {
		t = &dwarf.Array{Elem: t, Dims: append([]int64(nil), tn.arr.dims...)}
		for range max(tn.arr.ptrs, 1) {
			t = &dwarf.Pointer{Elem: t, ByteSize: 4}
		}
	}
	if tn.fn != nil {
		// "()" is an unprototyped function, "(void)" one without
		// parameters.
		ft := &dwarf.FuncType{Return: t, Variadic: tn.fn.variadic, Prototyped: len(tn.fn.params) > 0 || tn.fn.variadic}
		for _, p := range tn.fn.params {
			pt, err := resolveType(env, p)
			if err != nil {
				return nil, err
			}
			if classOf(pt) == clVoid && len(tn.fn.params) == 1 {
				break
			}
			ft.Params = append(ft.Params, pt)
		}
		t = ft
		for range max(tn.fn.ptrs, 1) {
			t = &dwarf.Pointer{Elem: t, ByteSize: 4}
		}
	}
	if len(tn.dims) > 0 {
		t = &dwarf.Array{Elem: t, Dims: append([]int64(nil), tn.dims...)}
	}
	return t, nil
}

// canonBaseName spells a base type canonically ("long unsigned int" is
// "unsigned long").
func canonBaseName(s string) (string, bool) {
	words := strings.Fields(s)
	if len(words) < 2 && (len(words) == 0 || words[0] != "unsigned" && words[0] != "signed") {
		return s, len(words) == 1 && baseWords[words[0]]
	}
	var sign, unsigned, char, short, float, double bool
	longs := 0
	for _, w := range words {
		switch w {
		case "signed":
			sign = true
		case "unsigned":
			unsigned = true
		case "char":
			char = true
		case "short":
			short = true
		case "int":
		case "long":
			longs++
		case "float":
			float = true
		case "double":
			double = true
		default:
			return s, false
		}
	}
	switch {
	case float:
		return "float", true
	case double && longs > 0:
		return "long double", true
	case double:
		return "double", true
	case char && unsigned:
		return "unsigned char", true
	case char && sign:
		return "signed char", true
	case char:
		return "char", true
	}
	base := "int"
	switch {
	case short:
		base = "short"
	case longs == 1:
		base = "long"
	case longs >= 2:
		base = "long long"
	}
	if unsigned {
		if base == "int" {
			return "unsigned int", true
		}
		return "unsigned " + base, true
	}
	return base, true
}
