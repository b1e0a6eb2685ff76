// Package abi is the Component Model's Canonical ABI, synchronous part:
// how component values are laid out in a core instance's linear memory and
// passed as core values, and how resource handles move between handle
// tables. It follows the executable specification, definitions.py in
// WebAssembly/component-model (design/mvp/canonical-abi, described in
// design/mvp/CanonicalABI.md); doc comments name the Python function each
// piece mirrors so the two can be read side by side.
//
// # Pieces
//
//   - Types: Type, with PrimType (BoolType … StringType, ErrorContextType),
//     ListType, RecordType, TupleType, VariantType, EnumType, OptionType,
//     ResultType, MapType, FlagsType, OwnType, BorrowType, StreamType and
//     FutureType; Validate.
//   - Layout: Size and Alignment (elem_size, alignment), Flatten
//     (flatten_type), FlattenFunc (flatten_functype), per AddrType for
//     memory64.
//   - Values: Value, with one Go type per kind of value (Bool … Handle),
//     and Format, which writes them in WIT value syntax for the debugger.
//   - Conversions: Load and Store (load, store) between values and memory,
//     Lift and Lower (lift_flat, lower_flat) between values and flat core
//     values, LiftValues and LowerValues (lift_flat_values,
//     lower_flat_values) for whole parameter and result lists, all under a
//     Context (LiftLowerContext) carrying the canonical Options.
//   - Handles: Table, Instance (a component instance's handle table),
//     ResourceType, ResourceHandle, BorrowScope and Lenders (the borrow
//     bookkeeping of tasks and subtasks), and the resource.new, .rep and
//     .drop built-ins.
//
// Traps are *Trap errors; values that do not fit their type are
// *MismatchError; nothing here panics on guest data.
//
// # Layout
//
// Values are stored little-endian at their natural alignment; records lay
// their fields out in order, each aligned, and round the size up to the
// record's alignment; a variant is a discriminant (u8, u16 or u32, by the
// number of cases) followed by the payload area at the largest case
// alignment. For example record { a: u8, b: string, c: option<u16> } in a
// 32-bit memory:
//
//	offset 0   a      u8
//	       1-3 padding
//	       4   b.ptr  u32 ─┐
//	       8   b.len  u32  ├─► string bytes elsewhere, allocated by realloc
//	       12  c.disc u8   │
//	       13  padding
//	       14  c.some u16
//	size 16, alignment 4
//
// Flattened, the same record is (i32 a, i32 b.ptr, i32 b.len, i32 c.disc,
// i32 c.some): variants pass their discriminant and then as many slots as
// their widest case, each slot the join of the cases' core types there (i32
// and f32 join to i32, anything else differing to i64).
//
// # NaNs
//
// The spec lifts every NaN as the canonical NaN (canonicalize_nan32/64) and
// lets lowering pick any NaN bits (maybe_scramble_nan32/64), except in the
// deterministic profile, which lowers the canonical NaN too. This package
// does the deterministic thing in both directions, so recordings replay
// bit for bit.
//
// # Concurrency and the async ABI
//
// Types are immutable and may be shared by any number of goroutines and
// component instances. Everything else belongs to the component instance
// it was made for: an Instance, its Table, its ResourceHandles and the
// Contexts of calls into or out of it are used by one goroutine at a time,
// the one currently running in that instance (the store's "baton"; see
// docs/component-async.md). No state is global, and a Context holds only
// the state of its own call, so with the async ABI several calls on one
// instance can each keep a Context while their guest stacks are suspended.
// The handle table already holds any Entry, ready for subtasks, stream and
// future ends and waitable sets; stream, future and error-context types
// are laid out and flattened, but lifting and lowering streams and futures
// returns ErrUnsupported until the async ABI exists.
package abi
