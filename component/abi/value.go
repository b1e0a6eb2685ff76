package abi

// Value is a lifted component value: the Go counterpart of the Python values
// definitions.py lifts to. Which implementation a value has follows from its
// type:
//
//	bool                          Bool
//	s8 … u64, f32, f64            S8 … U64, F32, F64
//	char                          Char
//	string                        String
//	list<u8>, list<u8, n>         Bytes (List of U8 is accepted when lowering)
//	other lists                   List
//	map<K, V>                     List of Tuple{K, V}
//	record                        Record (fields in type order)
//	tuple                         Tuple
//	variant, enum, option, result Variant (option: case 0 none, 1 some;
//	                              result: case 0 ok, 1 error)
//	flags                         Flags
//	own, borrow, stream, future   Handle
//	error-context                 *ErrorContext (Handle when inspecting)
//
// Values are plain data: they do not carry their type, so formatting takes
// the type as well (see Format).
type Value interface {
	isValue()
}

// The scalar values.
type (
	Bool bool
	S8   int8
	U8   uint8
	S16  int16
	U16  uint16
	S32  int32
	U32  uint32
	S64  int64
	U64  uint64
	F32  float32
	F64  float64
	// Char is a Unicode scalar value (never a surrogate, at most U+10FFFF).
	Char rune
)

// String is a lifted string. Text is its content in UTF-8. Src and
// CodeUnits record how it was encoded in the memory it was lifted from,
// which the spec keeps with every string value (its String tuple
// (str, encoding, tagged_code_units)) because the transcoding functions
// size their allocations from it. Strings made by a host need only Text:
// CodeUnits == 0 with a non-empty Text means "UTF-8, len(Text) units".
type String struct {
	Text      string
	Src       SourceEncoding
	CodeUnits uint64 // untagged: the latin1+utf16 tag is in Src
}

// Str returns a host string: UTF-8 with len(s) code units.
func Str(s string) String { return String{Text: s, Src: SourceUTF8, CodeUnits: uint64(len(s))} }

// SourceEncoding says how a lifted string was stored.
type SourceEncoding uint8

// The source encodings. Latin-1 and compact UTF-16 both come from memories
// using string-encoding=latin1+utf16; the spec treats a compact UTF-16
// source differently from a plain utf16 one when the destination is
// latin1+utf16 (store_probably_utf16_to_latin1_or_utf16).
const (
	SourceUTF8         SourceEncoding = iota // string-encoding=utf8, and host strings
	SourceUTF16                              // string-encoding=utf16
	SourceLatin1                             // latin1+utf16, stored as Latin-1
	SourceCompactUTF16                       // latin1+utf16, stored as UTF-16 (tag bit set)
)

func (s SourceEncoding) String() string {
	switch s {
	case SourceUTF8:
		return "utf8"
	case SourceUTF16:
		return "utf16"
	case SourceLatin1:
		return "latin1"
	case SourceCompactUTF16:
		return "latin1+utf16 (utf16)"
	}
	return "?"
}

// List is a list or fixed-length list (other than of u8), or a map.
type List []Value

// Bytes is a list<u8> or list<u8, n>, kept compact because byte buffers are
// by far the most common large values (WASI I/O).
type Bytes []byte

// Record is a record value: one value per field, in the type's order.
type Record []Value

// Tuple is a tuple value.
type Tuple []Value

// Variant is a value of a variant, enum, option or result type: the case
// index and the payload (nil for a case without one).
type Variant struct {
	Case    uint32
	Payload Value
}

// Flags is a flags value: bit i is the type's label i.
type Flags uint32

// Handle is a value of an own, borrow, stream or future type (and of
// error-context when inspecting).
//
// Rep is what the spec lifts own and borrow handles to: the resource's
// representation. Index is the handle's index in the table it was lifted
// from (0 if the value was made by a host); when inspecting, Index is all
// there is. Lowering an own or borrow uses Rep only.
type Handle struct {
	Index uint32
	Rep   uint32
}

// Some returns the option value some(v).
func Some(v Value) Variant { return Variant{Case: 1, Payload: v} }

// None returns the option value none.
func None() Variant { return Variant{Case: 0} }

// Ok returns the result value ok(v) (v nil for a result without ok payload).
func Ok(v Value) Variant { return Variant{Case: 0, Payload: v} }

// Err returns the result value error(v) (v nil for a result without error
// payload).
func Err(v Value) Variant { return Variant{Case: 1, Payload: v} }

func (Bool) isValue()          {}
func (S8) isValue()            {}
func (U8) isValue()            {}
func (S16) isValue()           {}
func (U16) isValue()           {}
func (S32) isValue()           {}
func (U32) isValue()           {}
func (S64) isValue()           {}
func (U64) isValue()           {}
func (F32) isValue()           {}
func (F64) isValue()           {}
func (Char) isValue()          {}
func (String) isValue()        {}
func (List) isValue()          {}
func (Bytes) isValue()         {}
func (Record) isValue()        {}
func (Tuple) isValue()         {}
func (Variant) isValue()       {}
func (Flags) isValue()         {}
func (Handle) isValue()        {}
func (*ErrorContext) isValue() {}
