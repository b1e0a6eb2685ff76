package cexpr

import (
	"encoding/binary"
	"math"
	"math/big"

	"wdbg/dwarf"
)

// The C types of wasm32 that expressions produce (literals, arithmetic,
// comparisons). They are spelled as clang names them in DWARF.
var (
	typeInt        = &dwarf.Base{TypeName: "int", ByteSize: 4, Encoding: dwarf.EncSigned}
	typeUInt       = &dwarf.Base{TypeName: "unsigned int", ByteSize: 4, Encoding: dwarf.EncUnsigned}
	typeLong       = &dwarf.Base{TypeName: "long", ByteSize: 4, Encoding: dwarf.EncSigned}
	typeULong      = &dwarf.Base{TypeName: "unsigned long", ByteSize: 4, Encoding: dwarf.EncUnsigned}
	typeLongLong   = &dwarf.Base{TypeName: "long long", ByteSize: 8, Encoding: dwarf.EncSigned}
	typeULongLong  = &dwarf.Base{TypeName: "unsigned long long", ByteSize: 8, Encoding: dwarf.EncUnsigned}
	typeShort      = &dwarf.Base{TypeName: "short", ByteSize: 2, Encoding: dwarf.EncSigned}
	typeUShort     = &dwarf.Base{TypeName: "unsigned short", ByteSize: 2, Encoding: dwarf.EncUnsigned}
	typeChar       = &dwarf.Base{TypeName: "char", ByteSize: 1, Encoding: dwarf.EncSignedChar}
	typeSChar      = &dwarf.Base{TypeName: "signed char", ByteSize: 1, Encoding: dwarf.EncSignedChar}
	typeUChar      = &dwarf.Base{TypeName: "unsigned char", ByteSize: 1, Encoding: dwarf.EncUnsignedChar}
	typeBool       = &dwarf.Base{TypeName: "_Bool", ByteSize: 1, Encoding: dwarf.EncBool}
	typeFloat      = &dwarf.Base{TypeName: "float", ByteSize: 4, Encoding: dwarf.EncFloat}
	typeDouble     = &dwarf.Base{TypeName: "double", ByteSize: 8, Encoding: dwarf.EncFloat}
	typeLongDouble = &dwarf.Base{TypeName: "long double", ByteSize: 16, Encoding: dwarf.EncFloat}
	typeVoid       = &dwarf.Void{}
)

// Types of the wasm value types, for $localN and friends.
var (
	TypeI32 dwarf.Type = typeInt
	TypeI64 dwarf.Type = typeLongLong
	TypeF32 dwarf.Type = typeFloat
	TypeF64 dwarf.Type = typeDouble
	// TypeCodePtr is the type of $pc: a pointer to code.
	TypeCodePtr dwarf.Type = &dwarf.Pointer{Elem: &dwarf.FuncType{Return: typeVoid}, ByteSize: 4}
	// TypeVoidPtr is the type of $sp.
	TypeVoidPtr dwarf.Type = &dwarf.Pointer{Elem: typeVoid, ByteSize: 4}
)

// builtinTypes are the base types a cast may name even when the program's
// DWARF has none of them.
var builtinTypes = map[string]dwarf.Type{
	"int": typeInt, "unsigned int": typeUInt, "long": typeLong, "unsigned long": typeULong,
	"long long": typeLongLong, "unsigned long long": typeULongLong, "short": typeShort,
	"unsigned short": typeUShort, "char": typeChar, "signed char": typeSChar,
	"unsigned char": typeUChar, "_Bool": typeBool, "bool": typeBool, "float": typeFloat,
	"double": typeDouble, "long double": typeLongDouble, "void": typeVoid,
}

// class is what an operator sees of a type.
type class int

const (
	clOther  class = iota // an unmodelled type
	clInt                 // integers, chars, bool, enums
	clFloat               // float, double, long double
	clPtr                 // pointers (and references)
	clArray               // arrays
	clStruct              // structs, classes, unions
	clFunc                // functions
	clVoid
)

func strip(t dwarf.Type) dwarf.Type { return dwarf.Strip(t) }

func classOf(t dwarf.Type) class {
	switch u := strip(t).(type) {
	case *dwarf.Base:
		switch u.Encoding {
		case dwarf.EncFloat:
			return clFloat
		case dwarf.EncComplexFloat, dwarf.EncOther:
			return clOther
		}
		return clInt
	case *dwarf.Enum:
		return clInt
	case *dwarf.Pointer, *dwarf.Reference:
		return clPtr
	case *dwarf.Array:
		return clArray
	case *dwarf.Struct:
		return clStruct
	case *dwarf.FuncType:
		return clFunc
	case *dwarf.Void, nil:
		return clVoid
	}
	return clOther
}

func isScalar(t dwarf.Type) bool {
	switch classOf(t) {
	case clInt, clFloat, clPtr:
		return true
	}
	return false
}

// signed reports whether an integer type is signed.
func signed(t dwarf.Type) bool {
	switch u := strip(t).(type) {
	case *dwarf.Base:
		return u.Encoding == dwarf.EncSigned || u.Encoding == dwarf.EncSignedChar
	case *dwarf.Enum:
		return u.Signed
	}
	return false
}

// isChar reports whether t is a character type (printed as "65 'A'").
func isChar(t dwarf.Type) bool {
	b, ok := strip(t).(*dwarf.Base)
	return ok && b.ByteSize == 1 && (b.Encoding == dwarf.EncSignedChar || b.Encoding == dwarf.EncUnsignedChar ||
		b.Encoding == dwarf.EncUTF)
}

func isBool(t dwarf.Type) bool {
	b, ok := strip(t).(*dwarf.Base)
	return ok && b.Encoding == dwarf.EncBool
}

// pointee returns the type a pointer or reference points to.
func pointee(t dwarf.Type) dwarf.Type {
	switch u := strip(t).(type) {
	case *dwarf.Pointer:
		return u.Elem
	case *dwarf.Reference:
		return u.Elem
	}
	return nil
}

// intValue returns the value of an integer (or pointer) as an int64,
// sign-extended for signed types.
func intValue(v Value) int64 {
	u := v.raw()
	n := v.bitSize
	if n == 0 {
		n = 8 * min(len(v.bytes), 8)
	}
	if signed(v.Type) && n > 0 && n < 64 {
		shift := uint(64 - n)
		return int64(u<<shift) >> shift
	}
	return int64(u)
}

// floatValue returns the value of a float type as a float64.
func floatValue(v Value) float64 {
	switch len(v.bytes) {
	case 4:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(v.bytes)))
	case 8:
		return math.Float64frombits(binary.LittleEndian.Uint64(v.bytes))
	case 16:
		f, _ := quadBig(v.bytes).Float64()
		return f
	}
	return 0
}

// quadBig decodes an IEEE binary128 value (clang's long double on wasm32).
// NaNs and infinities are not representable in big.Float; callers check
// quadSpecial first.
func quadBig(b []byte) *big.Float {
	lo := binary.LittleEndian.Uint64(b[:8])
	hi := binary.LittleEndian.Uint64(b[8:16])
	neg := hi>>63 != 0
	exp := int((hi >> 48) & 0x7fff)
	mantHi := hi & (1<<48 - 1)
	m := new(big.Int).SetUint64(mantHi)
	m.Lsh(m, 64)
	m.Or(m, new(big.Int).SetUint64(lo))
	if exp != 0 {
		m.SetBit(m, 112, 1)
	} else {
		exp = 1 // subnormal
	}
	f := new(big.Float).SetPrec(113).SetInt(m)
	f.SetMantExp(f, exp-16383-112)
	if neg {
		f.Neg(f)
	}
	return f
}

// quadSpecial reports whether a binary128 is an infinity or a NaN, and
// gdb's spelling of it.
func quadSpecial(b []byte) (string, bool) {
	lo := binary.LittleEndian.Uint64(b[:8])
	hi := binary.LittleEndian.Uint64(b[8:16])
	if (hi>>48)&0x7fff != 0x7fff {
		return "", false
	}
	sign := ""
	if hi>>63 != 0 {
		sign = "-"
	}
	mant := new(big.Int).SetUint64(hi & (1<<48 - 1))
	mant.Lsh(mant, 64).Or(mant, new(big.Int).SetUint64(lo))
	if mant.Sign() == 0 {
		return sign + "inf", true
	}
	return sign + "nan(0x" + mant.Text(16) + ")", true
}

// quadBytes encodes f as an IEEE binary128.
func quadBytes(f float64) []byte {
	bits := math.Float64bits(f)
	sign := bits >> 63
	exp := int((bits >> 52) & 0x7ff)
	mant := bits & (1<<52 - 1)
	var hi, lo uint64
	switch {
	case exp == 0x7ff:
		hi = 0x7fff<<48 | mant>>4
		lo = mant << 60
	case exp == 0 && mant == 0:
	case exp == 0: // subnormal double: normalize
		e := -1022
		for mant&(1<<52) == 0 {
			mant <<= 1
			e--
		}
		mant &= 1<<52 - 1
		hi = uint64(e+16383)<<48 | mant>>4
		lo = mant << 60
	default:
		hi = uint64(exp-1023+16383)<<48 | mant>>4
		lo = mant << 60
	}
	hi |= sign << 63
	b := binary.LittleEndian.AppendUint64(nil, lo)
	return binary.LittleEndian.AppendUint64(b, hi)
}

// promote applies C's integer promotions: types smaller than int become
// int (all their values fit).
func promote(t dwarf.Type) dwarf.Type {
	s := strip(t)
	if classOf(s) != clInt {
		return s
	}
	if size(s) < 4 {
		return typeInt
	}
	if e, ok := s.(*dwarf.Enum); ok {
		return intType(size(e), e.Signed)
	}
	return s
}

// intType returns the integer type of a size and signedness.
func intType(n int, sign bool) dwarf.Type {
	switch {
	case n <= 4 && sign:
		return typeInt
	case n <= 4:
		return typeUInt
	case sign:
		return typeLongLong
	}
	return typeULongLong
}

// arith returns the common type of two arithmetic operands (C's usual
// arithmetic conversions).
func arith(a, b dwarf.Type) dwarf.Type {
	ca, cb := classOf(a), classOf(b)
	if ca == clFloat || cb == clFloat {
		fa, fb := 0, 0
		if ca == clFloat {
			fa = size(a)
		}
		if cb == clFloat {
			fb = size(b)
		}
		switch max(fa, fb) {
		case 4:
			return typeFloat
		case 16:
			return typeLongDouble
		}
		return typeDouble
	}
	pa, pb := promote(a), promote(b)
	sa, sb := size(pa), size(pb)
	ua, ub := !signed(pa), !signed(pb)
	switch {
	case ua == ub:
		if sa >= sb {
			return pa
		}
		return pb
	case ua && sa >= sb:
		return pa
	case ub && sb >= sa:
		return pb
	case !ua && sa > sb:
		return pa
	}
	return pb
}
