package wasmbin

import (
	"fmt"
	"strings"
)

// Op is an opcode. Single-byte opcodes are their byte (0x00-0xFB);
// prefixed ones are prefix<<24 | subopcode, so OpI32TruncSatF32S is
// 0xFC<<24|0, SIMD ops are 0xFD<<24|n and atomics 0xFE<<24|n.
type Op uint32

// Opcode prefixes.
const (
	prefixMisc   = 0xFC
	prefixSIMD   = 0xFD
	prefixAtomic = 0xFE
)

// Prefix returns the prefix byte of a prefixed opcode, 0 for a
// single-byte one.
func (o Op) Prefix() byte { return byte(o >> 24) }

// Sub returns the subopcode of a prefixed opcode, or the opcode byte.
func (o Op) Sub() uint32 { return uint32(o) & 0xffffff }

// String returns the WebAssembly text name ("i32.add", "i8x16.shuffle");
// unknown opcodes print as their bytes ("0xfd 0x1ff").
func (o Op) String() string {
	if d := lookupOp(o); d != nil {
		return d.name
	}
	return o.bytesString()
}

func (o Op) bytesString() string {
	if o.Prefix() != 0 {
		return fmt.Sprintf("0x%02x 0x%x", o.Prefix(), o.Sub())
	}
	return fmt.Sprintf("0x%02x", byte(o))
}

// Opcodes. The table opTable below is the single source of names,
// immediates and typing rules.
const (
	// single-byte opcodes (MVP, sign extension, reference types, tail calls, exception handling)
	OpUnreachable        Op = 0x00
	OpNop                Op = 0x01
	OpBlock              Op = 0x02
	OpLoop               Op = 0x03
	OpIf                 Op = 0x04
	OpElse               Op = 0x05
	OpTry                Op = 0x06
	OpCatch              Op = 0x07
	OpThrow              Op = 0x08
	OpRethrow            Op = 0x09
	OpThrowRef           Op = 0x0a
	OpEnd                Op = 0x0b
	OpBr                 Op = 0x0c
	OpBrIf               Op = 0x0d
	OpBrTable            Op = 0x0e
	OpReturn             Op = 0x0f
	OpCall               Op = 0x10
	OpCallIndirect       Op = 0x11
	OpReturnCall         Op = 0x12
	OpReturnCallIndirect Op = 0x13
	OpDelegate           Op = 0x18
	OpCatchAll           Op = 0x19
	OpDrop               Op = 0x1a
	OpSelect             Op = 0x1b
	OpSelectT            Op = 0x1c
	OpTryTable           Op = 0x1f
	OpLocalGet           Op = 0x20
	OpLocalSet           Op = 0x21
	OpLocalTee           Op = 0x22
	OpGlobalGet          Op = 0x23
	OpGlobalSet          Op = 0x24
	OpTableGet           Op = 0x25
	OpTableSet           Op = 0x26
	OpI32Load            Op = 0x28
	OpI64Load            Op = 0x29
	OpF32Load            Op = 0x2a
	OpF64Load            Op = 0x2b
	OpI32Load8S          Op = 0x2c
	OpI32Load8U          Op = 0x2d
	OpI32Load16S         Op = 0x2e
	OpI32Load16U         Op = 0x2f
	OpI64Load8S          Op = 0x30
	OpI64Load8U          Op = 0x31
	OpI64Load16S         Op = 0x32
	OpI64Load16U         Op = 0x33
	OpI64Load32S         Op = 0x34
	OpI64Load32U         Op = 0x35
	OpI32Store           Op = 0x36
	OpI64Store           Op = 0x37
	OpF32Store           Op = 0x38
	OpF64Store           Op = 0x39
	OpI32Store8          Op = 0x3a
	OpI32Store16         Op = 0x3b
	OpI64Store8          Op = 0x3c
	OpI64Store16         Op = 0x3d
	OpI64Store32         Op = 0x3e
	OpMemorySize         Op = 0x3f
	OpMemoryGrow         Op = 0x40
	OpI32Const           Op = 0x41
	OpI64Const           Op = 0x42
	OpF32Const           Op = 0x43
	OpF64Const           Op = 0x44
	OpI32Eqz             Op = 0x45
	OpI32Eq              Op = 0x46
	OpI32Ne              Op = 0x47
	OpI32LtS             Op = 0x48
	OpI32LtU             Op = 0x49
	OpI32GtS             Op = 0x4a
	OpI32GtU             Op = 0x4b
	OpI32LeS             Op = 0x4c
	OpI32LeU             Op = 0x4d
	OpI32GeS             Op = 0x4e
	OpI32GeU             Op = 0x4f
	OpI64Eqz             Op = 0x50
	OpI64Eq              Op = 0x51
	OpI64Ne              Op = 0x52
	OpI64LtS             Op = 0x53
	OpI64LtU             Op = 0x54
	OpI64GtS             Op = 0x55
	OpI64GtU             Op = 0x56
	OpI64LeS             Op = 0x57
	OpI64LeU             Op = 0x58
	OpI64GeS             Op = 0x59
	OpI64GeU             Op = 0x5a
	OpF32Eq              Op = 0x5b
	OpF32Ne              Op = 0x5c
	OpF32Lt              Op = 0x5d
	OpF32Gt              Op = 0x5e
	OpF32Le              Op = 0x5f
	OpF32Ge              Op = 0x60
	OpF64Eq              Op = 0x61
	OpF64Ne              Op = 0x62
	OpF64Lt              Op = 0x63
	OpF64Gt              Op = 0x64
	OpF64Le              Op = 0x65
	OpF64Ge              Op = 0x66
	OpI32Clz             Op = 0x67
	OpI32Ctz             Op = 0x68
	OpI32Popcnt          Op = 0x69
	OpI32Add             Op = 0x6a
	OpI32Sub             Op = 0x6b
	OpI32Mul             Op = 0x6c
	OpI32DivS            Op = 0x6d
	OpI32DivU            Op = 0x6e
	OpI32RemS            Op = 0x6f
	OpI32RemU            Op = 0x70
	OpI32And             Op = 0x71
	OpI32Or              Op = 0x72
	OpI32Xor             Op = 0x73
	OpI32Shl             Op = 0x74
	OpI32ShrS            Op = 0x75
	OpI32ShrU            Op = 0x76
	OpI32Rotl            Op = 0x77
	OpI32Rotr            Op = 0x78
	OpI64Clz             Op = 0x79
	OpI64Ctz             Op = 0x7a
	OpI64Popcnt          Op = 0x7b
	OpI64Add             Op = 0x7c
	OpI64Sub             Op = 0x7d
	OpI64Mul             Op = 0x7e
	OpI64DivS            Op = 0x7f
	OpI64DivU            Op = 0x80
	OpI64RemS            Op = 0x81
	OpI64RemU            Op = 0x82
	OpI64And             Op = 0x83
	OpI64Or              Op = 0x84
	OpI64Xor             Op = 0x85
	OpI64Shl             Op = 0x86
	OpI64ShrS            Op = 0x87
	OpI64ShrU            Op = 0x88
	OpI64Rotl            Op = 0x89
	OpI64Rotr            Op = 0x8a
	OpF32Abs             Op = 0x8b
	OpF32Neg             Op = 0x8c
	OpF32Ceil            Op = 0x8d
	OpF32Floor           Op = 0x8e
	OpF32Trunc           Op = 0x8f
	OpF32Nearest         Op = 0x90
	OpF32Sqrt            Op = 0x91
	OpF32Add             Op = 0x92
	OpF32Sub             Op = 0x93
	OpF32Mul             Op = 0x94
	OpF32Div             Op = 0x95
	OpF32Min             Op = 0x96
	OpF32Max             Op = 0x97
	OpF32Copysign        Op = 0x98
	OpF64Abs             Op = 0x99
	OpF64Neg             Op = 0x9a
	OpF64Ceil            Op = 0x9b
	OpF64Floor           Op = 0x9c
	OpF64Trunc           Op = 0x9d
	OpF64Nearest         Op = 0x9e
	OpF64Sqrt            Op = 0x9f
	OpF64Add             Op = 0xa0
	OpF64Sub             Op = 0xa1
	OpF64Mul             Op = 0xa2
	OpF64Div             Op = 0xa3
	OpF64Min             Op = 0xa4
	OpF64Max             Op = 0xa5
	OpF64Copysign        Op = 0xa6
	OpI32WrapI64         Op = 0xa7
	OpI32TruncF32S       Op = 0xa8
	OpI32TruncF32U       Op = 0xa9
	OpI32TruncF64S       Op = 0xaa
	OpI32TruncF64U       Op = 0xab
	OpI64ExtendI32S      Op = 0xac
	OpI64ExtendI32U      Op = 0xad
	OpI64TruncF32S       Op = 0xae
	OpI64TruncF32U       Op = 0xaf
	OpI64TruncF64S       Op = 0xb0
	OpI64TruncF64U       Op = 0xb1
	OpF32ConvertI32S     Op = 0xb2
	OpF32ConvertI32U     Op = 0xb3
	OpF32ConvertI64S     Op = 0xb4
	OpF32ConvertI64U     Op = 0xb5
	OpF32DemoteF64       Op = 0xb6
	OpF64ConvertI32S     Op = 0xb7
	OpF64ConvertI32U     Op = 0xb8
	OpF64ConvertI64S     Op = 0xb9
	OpF64ConvertI64U     Op = 0xba
	OpF64PromoteF32      Op = 0xbb
	OpI32ReinterpretF32  Op = 0xbc
	OpI64ReinterpretF64  Op = 0xbd
	OpF32ReinterpretI32  Op = 0xbe
	OpF64ReinterpretI64  Op = 0xbf
	OpI32Extend8S        Op = 0xc0
	OpI32Extend16S       Op = 0xc1
	OpI64Extend8S        Op = 0xc2
	OpI64Extend16S       Op = 0xc3
	OpI64Extend32S       Op = 0xc4
	OpRefNull            Op = 0xd0
	OpRefIsNull          Op = 0xd1
	OpRefFunc            Op = 0xd2

	// 0xFC prefix: non-trapping float-to-int, bulk memory, table operations
	OpI32TruncSatF32S Op = 0xFC<<24 | 0x00
	OpI32TruncSatF32U Op = 0xFC<<24 | 0x01
	OpI32TruncSatF64S Op = 0xFC<<24 | 0x02
	OpI32TruncSatF64U Op = 0xFC<<24 | 0x03
	OpI64TruncSatF32S Op = 0xFC<<24 | 0x04
	OpI64TruncSatF32U Op = 0xFC<<24 | 0x05
	OpI64TruncSatF64S Op = 0xFC<<24 | 0x06
	OpI64TruncSatF64U Op = 0xFC<<24 | 0x07
	OpMemoryInit      Op = 0xFC<<24 | 0x08
	OpDataDrop        Op = 0xFC<<24 | 0x09
	OpMemoryCopy      Op = 0xFC<<24 | 0x0a
	OpMemoryFill      Op = 0xFC<<24 | 0x0b
	OpTableInit       Op = 0xFC<<24 | 0x0c
	OpElemDrop        Op = 0xFC<<24 | 0x0d
	OpTableCopy       Op = 0xFC<<24 | 0x0e
	OpTableGrow       Op = 0xFC<<24 | 0x0f
	OpTableSize       Op = 0xFC<<24 | 0x10
	OpTableFill       Op = 0xFC<<24 | 0x11

	// 0xFD prefix: SIMD and relaxed SIMD
	OpV128Load                      Op = 0xFD<<24 | 0x00
	OpV128Load8x8S                  Op = 0xFD<<24 | 0x01
	OpV128Load8x8U                  Op = 0xFD<<24 | 0x02
	OpV128Load16x4S                 Op = 0xFD<<24 | 0x03
	OpV128Load16x4U                 Op = 0xFD<<24 | 0x04
	OpV128Load32x2S                 Op = 0xFD<<24 | 0x05
	OpV128Load32x2U                 Op = 0xFD<<24 | 0x06
	OpV128Load8Splat                Op = 0xFD<<24 | 0x07
	OpV128Load16Splat               Op = 0xFD<<24 | 0x08
	OpV128Load32Splat               Op = 0xFD<<24 | 0x09
	OpV128Load64Splat               Op = 0xFD<<24 | 0x0a
	OpV128Store                     Op = 0xFD<<24 | 0x0b
	OpV128Const                     Op = 0xFD<<24 | 0x0c
	OpI8x16Shuffle                  Op = 0xFD<<24 | 0x0d
	OpI8x16Swizzle                  Op = 0xFD<<24 | 0x0e
	OpI8x16Splat                    Op = 0xFD<<24 | 0x0f
	OpI16x8Splat                    Op = 0xFD<<24 | 0x10
	OpI32x4Splat                    Op = 0xFD<<24 | 0x11
	OpI64x2Splat                    Op = 0xFD<<24 | 0x12
	OpF32x4Splat                    Op = 0xFD<<24 | 0x13
	OpF64x2Splat                    Op = 0xFD<<24 | 0x14
	OpI8x16ExtractLaneS             Op = 0xFD<<24 | 0x15
	OpI8x16ExtractLaneU             Op = 0xFD<<24 | 0x16
	OpI8x16ReplaceLane              Op = 0xFD<<24 | 0x17
	OpI16x8ExtractLaneS             Op = 0xFD<<24 | 0x18
	OpI16x8ExtractLaneU             Op = 0xFD<<24 | 0x19
	OpI16x8ReplaceLane              Op = 0xFD<<24 | 0x1a
	OpI32x4ExtractLane              Op = 0xFD<<24 | 0x1b
	OpI32x4ReplaceLane              Op = 0xFD<<24 | 0x1c
	OpI64x2ExtractLane              Op = 0xFD<<24 | 0x1d
	OpI64x2ReplaceLane              Op = 0xFD<<24 | 0x1e
	OpF32x4ExtractLane              Op = 0xFD<<24 | 0x1f
	OpF32x4ReplaceLane              Op = 0xFD<<24 | 0x20
	OpF64x2ExtractLane              Op = 0xFD<<24 | 0x21
	OpF64x2ReplaceLane              Op = 0xFD<<24 | 0x22
	OpI8x16Eq                       Op = 0xFD<<24 | 0x23
	OpI8x16Ne                       Op = 0xFD<<24 | 0x24
	OpI8x16LtS                      Op = 0xFD<<24 | 0x25
	OpI8x16LtU                      Op = 0xFD<<24 | 0x26
	OpI8x16GtS                      Op = 0xFD<<24 | 0x27
	OpI8x16GtU                      Op = 0xFD<<24 | 0x28
	OpI8x16LeS                      Op = 0xFD<<24 | 0x29
	OpI8x16LeU                      Op = 0xFD<<24 | 0x2a
	OpI8x16GeS                      Op = 0xFD<<24 | 0x2b
	OpI8x16GeU                      Op = 0xFD<<24 | 0x2c
	OpI16x8Eq                       Op = 0xFD<<24 | 0x2d
	OpI16x8Ne                       Op = 0xFD<<24 | 0x2e
	OpI16x8LtS                      Op = 0xFD<<24 | 0x2f
	OpI16x8LtU                      Op = 0xFD<<24 | 0x30
	OpI16x8GtS                      Op = 0xFD<<24 | 0x31
	OpI16x8GtU                      Op = 0xFD<<24 | 0x32
	OpI16x8LeS                      Op = 0xFD<<24 | 0x33
	OpI16x8LeU                      Op = 0xFD<<24 | 0x34
	OpI16x8GeS                      Op = 0xFD<<24 | 0x35
	OpI16x8GeU                      Op = 0xFD<<24 | 0x36
	OpI32x4Eq                       Op = 0xFD<<24 | 0x37
	OpI32x4Ne                       Op = 0xFD<<24 | 0x38
	OpI32x4LtS                      Op = 0xFD<<24 | 0x39
	OpI32x4LtU                      Op = 0xFD<<24 | 0x3a
	OpI32x4GtS                      Op = 0xFD<<24 | 0x3b
	OpI32x4GtU                      Op = 0xFD<<24 | 0x3c
	OpI32x4LeS                      Op = 0xFD<<24 | 0x3d
	OpI32x4LeU                      Op = 0xFD<<24 | 0x3e
	OpI32x4GeS                      Op = 0xFD<<24 | 0x3f
	OpI32x4GeU                      Op = 0xFD<<24 | 0x40
	OpF32x4Eq                       Op = 0xFD<<24 | 0x41
	OpF32x4Ne                       Op = 0xFD<<24 | 0x42
	OpF32x4Lt                       Op = 0xFD<<24 | 0x43
	OpF32x4Gt                       Op = 0xFD<<24 | 0x44
	OpF32x4Le                       Op = 0xFD<<24 | 0x45
	OpF32x4Ge                       Op = 0xFD<<24 | 0x46
	OpF64x2Eq                       Op = 0xFD<<24 | 0x47
	OpF64x2Ne                       Op = 0xFD<<24 | 0x48
	OpF64x2Lt                       Op = 0xFD<<24 | 0x49
	OpF64x2Gt                       Op = 0xFD<<24 | 0x4a
	OpF64x2Le                       Op = 0xFD<<24 | 0x4b
	OpF64x2Ge                       Op = 0xFD<<24 | 0x4c
	OpV128Not                       Op = 0xFD<<24 | 0x4d
	OpV128And                       Op = 0xFD<<24 | 0x4e
	OpV128Andnot                    Op = 0xFD<<24 | 0x4f
	OpV128Or                        Op = 0xFD<<24 | 0x50
	OpV128Xor                       Op = 0xFD<<24 | 0x51
	OpV128Bitselect                 Op = 0xFD<<24 | 0x52
	OpV128AnyTrue                   Op = 0xFD<<24 | 0x53
	OpV128Load8Lane                 Op = 0xFD<<24 | 0x54
	OpV128Load16Lane                Op = 0xFD<<24 | 0x55
	OpV128Load32Lane                Op = 0xFD<<24 | 0x56
	OpV128Load64Lane                Op = 0xFD<<24 | 0x57
	OpV128Store8Lane                Op = 0xFD<<24 | 0x58
	OpV128Store16Lane               Op = 0xFD<<24 | 0x59
	OpV128Store32Lane               Op = 0xFD<<24 | 0x5a
	OpV128Store64Lane               Op = 0xFD<<24 | 0x5b
	OpV128Load32Zero                Op = 0xFD<<24 | 0x5c
	OpV128Load64Zero                Op = 0xFD<<24 | 0x5d
	OpF32x4DemoteF64x2Zero          Op = 0xFD<<24 | 0x5e
	OpF64x2PromoteLowF32x4          Op = 0xFD<<24 | 0x5f
	OpI8x16Abs                      Op = 0xFD<<24 | 0x60
	OpI8x16Neg                      Op = 0xFD<<24 | 0x61
	OpI8x16Popcnt                   Op = 0xFD<<24 | 0x62
	OpI8x16AllTrue                  Op = 0xFD<<24 | 0x63
	OpI8x16Bitmask                  Op = 0xFD<<24 | 0x64
	OpI8x16NarrowI16x8S             Op = 0xFD<<24 | 0x65
	OpI8x16NarrowI16x8U             Op = 0xFD<<24 | 0x66
	OpF32x4Ceil                     Op = 0xFD<<24 | 0x67
	OpF32x4Floor                    Op = 0xFD<<24 | 0x68
	OpF32x4Trunc                    Op = 0xFD<<24 | 0x69
	OpF32x4Nearest                  Op = 0xFD<<24 | 0x6a
	OpI8x16Shl                      Op = 0xFD<<24 | 0x6b
	OpI8x16ShrS                     Op = 0xFD<<24 | 0x6c
	OpI8x16ShrU                     Op = 0xFD<<24 | 0x6d
	OpI8x16Add                      Op = 0xFD<<24 | 0x6e
	OpI8x16AddSatS                  Op = 0xFD<<24 | 0x6f
	OpI8x16AddSatU                  Op = 0xFD<<24 | 0x70
	OpI8x16Sub                      Op = 0xFD<<24 | 0x71
	OpI8x16SubSatS                  Op = 0xFD<<24 | 0x72
	OpI8x16SubSatU                  Op = 0xFD<<24 | 0x73
	OpF64x2Ceil                     Op = 0xFD<<24 | 0x74
	OpF64x2Floor                    Op = 0xFD<<24 | 0x75
	OpI8x16MinS                     Op = 0xFD<<24 | 0x76
	OpI8x16MinU                     Op = 0xFD<<24 | 0x77
	OpI8x16MaxS                     Op = 0xFD<<24 | 0x78
	OpI8x16MaxU                     Op = 0xFD<<24 | 0x79
	OpF64x2Trunc                    Op = 0xFD<<24 | 0x7a
	OpI8x16AvgrU                    Op = 0xFD<<24 | 0x7b
	OpI16x8ExtaddPairwiseI8x16S     Op = 0xFD<<24 | 0x7c
	OpI16x8ExtaddPairwiseI8x16U     Op = 0xFD<<24 | 0x7d
	OpI32x4ExtaddPairwiseI16x8S     Op = 0xFD<<24 | 0x7e
	OpI32x4ExtaddPairwiseI16x8U     Op = 0xFD<<24 | 0x7f
	OpI16x8Abs                      Op = 0xFD<<24 | 0x80
	OpI16x8Neg                      Op = 0xFD<<24 | 0x81
	OpI16x8Q15mulrSatS              Op = 0xFD<<24 | 0x82
	OpI16x8AllTrue                  Op = 0xFD<<24 | 0x83
	OpI16x8Bitmask                  Op = 0xFD<<24 | 0x84
	OpI16x8NarrowI32x4S             Op = 0xFD<<24 | 0x85
	OpI16x8NarrowI32x4U             Op = 0xFD<<24 | 0x86
	OpI16x8ExtendLowI8x16S          Op = 0xFD<<24 | 0x87
	OpI16x8ExtendHighI8x16S         Op = 0xFD<<24 | 0x88
	OpI16x8ExtendLowI8x16U          Op = 0xFD<<24 | 0x89
	OpI16x8ExtendHighI8x16U         Op = 0xFD<<24 | 0x8a
	OpI16x8Shl                      Op = 0xFD<<24 | 0x8b
	OpI16x8ShrS                     Op = 0xFD<<24 | 0x8c
	OpI16x8ShrU                     Op = 0xFD<<24 | 0x8d
	OpI16x8Add                      Op = 0xFD<<24 | 0x8e
	OpI16x8AddSatS                  Op = 0xFD<<24 | 0x8f
	OpI16x8AddSatU                  Op = 0xFD<<24 | 0x90
	OpI16x8Sub                      Op = 0xFD<<24 | 0x91
	OpI16x8SubSatS                  Op = 0xFD<<24 | 0x92
	OpI16x8SubSatU                  Op = 0xFD<<24 | 0x93
	OpF64x2Nearest                  Op = 0xFD<<24 | 0x94
	OpI16x8Mul                      Op = 0xFD<<24 | 0x95
	OpI16x8MinS                     Op = 0xFD<<24 | 0x96
	OpI16x8MinU                     Op = 0xFD<<24 | 0x97
	OpI16x8MaxS                     Op = 0xFD<<24 | 0x98
	OpI16x8MaxU                     Op = 0xFD<<24 | 0x99
	OpI16x8AvgrU                    Op = 0xFD<<24 | 0x9b
	OpI16x8ExtmulLowI8x16S          Op = 0xFD<<24 | 0x9c
	OpI16x8ExtmulHighI8x16S         Op = 0xFD<<24 | 0x9d
	OpI16x8ExtmulLowI8x16U          Op = 0xFD<<24 | 0x9e
	OpI16x8ExtmulHighI8x16U         Op = 0xFD<<24 | 0x9f
	OpI32x4Abs                      Op = 0xFD<<24 | 0xa0
	OpI32x4Neg                      Op = 0xFD<<24 | 0xa1
	OpI32x4AllTrue                  Op = 0xFD<<24 | 0xa3
	OpI32x4Bitmask                  Op = 0xFD<<24 | 0xa4
	OpI32x4ExtendLowI16x8S          Op = 0xFD<<24 | 0xa7
	OpI32x4ExtendHighI16x8S         Op = 0xFD<<24 | 0xa8
	OpI32x4ExtendLowI16x8U          Op = 0xFD<<24 | 0xa9
	OpI32x4ExtendHighI16x8U         Op = 0xFD<<24 | 0xaa
	OpI32x4Shl                      Op = 0xFD<<24 | 0xab
	OpI32x4ShrS                     Op = 0xFD<<24 | 0xac
	OpI32x4ShrU                     Op = 0xFD<<24 | 0xad
	OpI32x4Add                      Op = 0xFD<<24 | 0xae
	OpI32x4Sub                      Op = 0xFD<<24 | 0xb1
	OpI32x4Mul                      Op = 0xFD<<24 | 0xb5
	OpI32x4MinS                     Op = 0xFD<<24 | 0xb6
	OpI32x4MinU                     Op = 0xFD<<24 | 0xb7
	OpI32x4MaxS                     Op = 0xFD<<24 | 0xb8
	OpI32x4MaxU                     Op = 0xFD<<24 | 0xb9
	OpI32x4DotI16x8S                Op = 0xFD<<24 | 0xba
	OpI32x4ExtmulLowI16x8S          Op = 0xFD<<24 | 0xbc
	OpI32x4ExtmulHighI16x8S         Op = 0xFD<<24 | 0xbd
	OpI32x4ExtmulLowI16x8U          Op = 0xFD<<24 | 0xbe
	OpI32x4ExtmulHighI16x8U         Op = 0xFD<<24 | 0xbf
	OpI64x2Abs                      Op = 0xFD<<24 | 0xc0
	OpI64x2Neg                      Op = 0xFD<<24 | 0xc1
	OpI64x2AllTrue                  Op = 0xFD<<24 | 0xc3
	OpI64x2Bitmask                  Op = 0xFD<<24 | 0xc4
	OpI64x2ExtendLowI32x4S          Op = 0xFD<<24 | 0xc7
	OpI64x2ExtendHighI32x4S         Op = 0xFD<<24 | 0xc8
	OpI64x2ExtendLowI32x4U          Op = 0xFD<<24 | 0xc9
	OpI64x2ExtendHighI32x4U         Op = 0xFD<<24 | 0xca
	OpI64x2Shl                      Op = 0xFD<<24 | 0xcb
	OpI64x2ShrS                     Op = 0xFD<<24 | 0xcc
	OpI64x2ShrU                     Op = 0xFD<<24 | 0xcd
	OpI64x2Add                      Op = 0xFD<<24 | 0xce
	OpI64x2Sub                      Op = 0xFD<<24 | 0xd1
	OpI64x2Mul                      Op = 0xFD<<24 | 0xd5
	OpI64x2Eq                       Op = 0xFD<<24 | 0xd6
	OpI64x2Ne                       Op = 0xFD<<24 | 0xd7
	OpI64x2LtS                      Op = 0xFD<<24 | 0xd8
	OpI64x2GtS                      Op = 0xFD<<24 | 0xd9
	OpI64x2LeS                      Op = 0xFD<<24 | 0xda
	OpI64x2GeS                      Op = 0xFD<<24 | 0xdb
	OpI64x2ExtmulLowI32x4S          Op = 0xFD<<24 | 0xdc
	OpI64x2ExtmulHighI32x4S         Op = 0xFD<<24 | 0xdd
	OpI64x2ExtmulLowI32x4U          Op = 0xFD<<24 | 0xde
	OpI64x2ExtmulHighI32x4U         Op = 0xFD<<24 | 0xdf
	OpF32x4Abs                      Op = 0xFD<<24 | 0xe0
	OpF32x4Neg                      Op = 0xFD<<24 | 0xe1
	OpF32x4Sqrt                     Op = 0xFD<<24 | 0xe3
	OpF32x4Add                      Op = 0xFD<<24 | 0xe4
	OpF32x4Sub                      Op = 0xFD<<24 | 0xe5
	OpF32x4Mul                      Op = 0xFD<<24 | 0xe6
	OpF32x4Div                      Op = 0xFD<<24 | 0xe7
	OpF32x4Min                      Op = 0xFD<<24 | 0xe8
	OpF32x4Max                      Op = 0xFD<<24 | 0xe9
	OpF32x4Pmin                     Op = 0xFD<<24 | 0xea
	OpF32x4Pmax                     Op = 0xFD<<24 | 0xeb
	OpF64x2Abs                      Op = 0xFD<<24 | 0xec
	OpF64x2Neg                      Op = 0xFD<<24 | 0xed
	OpF64x2Sqrt                     Op = 0xFD<<24 | 0xef
	OpF64x2Add                      Op = 0xFD<<24 | 0xf0
	OpF64x2Sub                      Op = 0xFD<<24 | 0xf1
	OpF64x2Mul                      Op = 0xFD<<24 | 0xf2
	OpF64x2Div                      Op = 0xFD<<24 | 0xf3
	OpF64x2Min                      Op = 0xFD<<24 | 0xf4
	OpF64x2Max                      Op = 0xFD<<24 | 0xf5
	OpF64x2Pmin                     Op = 0xFD<<24 | 0xf6
	OpF64x2Pmax                     Op = 0xFD<<24 | 0xf7
	OpI32x4TruncSatF32x4S           Op = 0xFD<<24 | 0xf8
	OpI32x4TruncSatF32x4U           Op = 0xFD<<24 | 0xf9
	OpF32x4ConvertI32x4S            Op = 0xFD<<24 | 0xfa
	OpF32x4ConvertI32x4U            Op = 0xFD<<24 | 0xfb
	OpI32x4TruncSatF64x2SZero       Op = 0xFD<<24 | 0xfc
	OpI32x4TruncSatF64x2UZero       Op = 0xFD<<24 | 0xfd
	OpF64x2ConvertLowI32x4S         Op = 0xFD<<24 | 0xfe
	OpF64x2ConvertLowI32x4U         Op = 0xFD<<24 | 0xff
	OpI8x16RelaxedSwizzle           Op = 0xFD<<24 | 0x100
	OpI32x4RelaxedTruncF32x4S       Op = 0xFD<<24 | 0x101
	OpI32x4RelaxedTruncF32x4U       Op = 0xFD<<24 | 0x102
	OpI32x4RelaxedTruncF64x2SZero   Op = 0xFD<<24 | 0x103
	OpI32x4RelaxedTruncF64x2UZero   Op = 0xFD<<24 | 0x104
	OpF32x4RelaxedMadd              Op = 0xFD<<24 | 0x105
	OpF32x4RelaxedNmadd             Op = 0xFD<<24 | 0x106
	OpF64x2RelaxedMadd              Op = 0xFD<<24 | 0x107
	OpF64x2RelaxedNmadd             Op = 0xFD<<24 | 0x108
	OpI8x16RelaxedLaneselect        Op = 0xFD<<24 | 0x109
	OpI16x8RelaxedLaneselect        Op = 0xFD<<24 | 0x10a
	OpI32x4RelaxedLaneselect        Op = 0xFD<<24 | 0x10b
	OpI64x2RelaxedLaneselect        Op = 0xFD<<24 | 0x10c
	OpF32x4RelaxedMin               Op = 0xFD<<24 | 0x10d
	OpF32x4RelaxedMax               Op = 0xFD<<24 | 0x10e
	OpF64x2RelaxedMin               Op = 0xFD<<24 | 0x10f
	OpF64x2RelaxedMax               Op = 0xFD<<24 | 0x110
	OpI16x8RelaxedQ15mulrS          Op = 0xFD<<24 | 0x111
	OpI16x8RelaxedDotI8x16I7x16S    Op = 0xFD<<24 | 0x112
	OpI32x4RelaxedDotI8x16I7x16AddS Op = 0xFD<<24 | 0x113

	// 0xFE prefix: threads (atomics)
	OpMemoryAtomicNotify     Op = 0xFE<<24 | 0x00
	OpMemoryAtomicWait32     Op = 0xFE<<24 | 0x01
	OpMemoryAtomicWait64     Op = 0xFE<<24 | 0x02
	OpAtomicFence            Op = 0xFE<<24 | 0x03
	OpI32AtomicLoad          Op = 0xFE<<24 | 0x10
	OpI64AtomicLoad          Op = 0xFE<<24 | 0x11
	OpI32AtomicLoad8U        Op = 0xFE<<24 | 0x12
	OpI32AtomicLoad16U       Op = 0xFE<<24 | 0x13
	OpI64AtomicLoad8U        Op = 0xFE<<24 | 0x14
	OpI64AtomicLoad16U       Op = 0xFE<<24 | 0x15
	OpI64AtomicLoad32U       Op = 0xFE<<24 | 0x16
	OpI32AtomicStore         Op = 0xFE<<24 | 0x17
	OpI64AtomicStore         Op = 0xFE<<24 | 0x18
	OpI32AtomicStore8        Op = 0xFE<<24 | 0x19
	OpI32AtomicStore16       Op = 0xFE<<24 | 0x1a
	OpI64AtomicStore8        Op = 0xFE<<24 | 0x1b
	OpI64AtomicStore16       Op = 0xFE<<24 | 0x1c
	OpI64AtomicStore32       Op = 0xFE<<24 | 0x1d
	OpI32AtomicRmwAdd        Op = 0xFE<<24 | 0x1e
	OpI64AtomicRmwAdd        Op = 0xFE<<24 | 0x1f
	OpI32AtomicRmw8AddU      Op = 0xFE<<24 | 0x20
	OpI32AtomicRmw16AddU     Op = 0xFE<<24 | 0x21
	OpI64AtomicRmw8AddU      Op = 0xFE<<24 | 0x22
	OpI64AtomicRmw16AddU     Op = 0xFE<<24 | 0x23
	OpI64AtomicRmw32AddU     Op = 0xFE<<24 | 0x24
	OpI32AtomicRmwSub        Op = 0xFE<<24 | 0x25
	OpI64AtomicRmwSub        Op = 0xFE<<24 | 0x26
	OpI32AtomicRmw8SubU      Op = 0xFE<<24 | 0x27
	OpI32AtomicRmw16SubU     Op = 0xFE<<24 | 0x28
	OpI64AtomicRmw8SubU      Op = 0xFE<<24 | 0x29
	OpI64AtomicRmw16SubU     Op = 0xFE<<24 | 0x2a
	OpI64AtomicRmw32SubU     Op = 0xFE<<24 | 0x2b
	OpI32AtomicRmwAnd        Op = 0xFE<<24 | 0x2c
	OpI64AtomicRmwAnd        Op = 0xFE<<24 | 0x2d
	OpI32AtomicRmw8AndU      Op = 0xFE<<24 | 0x2e
	OpI32AtomicRmw16AndU     Op = 0xFE<<24 | 0x2f
	OpI64AtomicRmw8AndU      Op = 0xFE<<24 | 0x30
	OpI64AtomicRmw16AndU     Op = 0xFE<<24 | 0x31
	OpI64AtomicRmw32AndU     Op = 0xFE<<24 | 0x32
	OpI32AtomicRmwOr         Op = 0xFE<<24 | 0x33
	OpI64AtomicRmwOr         Op = 0xFE<<24 | 0x34
	OpI32AtomicRmw8OrU       Op = 0xFE<<24 | 0x35
	OpI32AtomicRmw16OrU      Op = 0xFE<<24 | 0x36
	OpI64AtomicRmw8OrU       Op = 0xFE<<24 | 0x37
	OpI64AtomicRmw16OrU      Op = 0xFE<<24 | 0x38
	OpI64AtomicRmw32OrU      Op = 0xFE<<24 | 0x39
	OpI32AtomicRmwXor        Op = 0xFE<<24 | 0x3a
	OpI64AtomicRmwXor        Op = 0xFE<<24 | 0x3b
	OpI32AtomicRmw8XorU      Op = 0xFE<<24 | 0x3c
	OpI32AtomicRmw16XorU     Op = 0xFE<<24 | 0x3d
	OpI64AtomicRmw8XorU      Op = 0xFE<<24 | 0x3e
	OpI64AtomicRmw16XorU     Op = 0xFE<<24 | 0x3f
	OpI64AtomicRmw32XorU     Op = 0xFE<<24 | 0x40
	OpI32AtomicRmwXchg       Op = 0xFE<<24 | 0x41
	OpI64AtomicRmwXchg       Op = 0xFE<<24 | 0x42
	OpI32AtomicRmw8XchgU     Op = 0xFE<<24 | 0x43
	OpI32AtomicRmw16XchgU    Op = 0xFE<<24 | 0x44
	OpI64AtomicRmw8XchgU     Op = 0xFE<<24 | 0x45
	OpI64AtomicRmw16XchgU    Op = 0xFE<<24 | 0x46
	OpI64AtomicRmw32XchgU    Op = 0xFE<<24 | 0x47
	OpI32AtomicRmwCmpxchg    Op = 0xFE<<24 | 0x48
	OpI64AtomicRmwCmpxchg    Op = 0xFE<<24 | 0x49
	OpI32AtomicRmw8CmpxchgU  Op = 0xFE<<24 | 0x4a
	OpI32AtomicRmw16CmpxchgU Op = 0xFE<<24 | 0x4b
	OpI64AtomicRmw8CmpxchgU  Op = 0xFE<<24 | 0x4c
	OpI64AtomicRmw16CmpxchgU Op = 0xFE<<24 | 0x4d
	OpI64AtomicRmw32CmpxchgU Op = 0xFE<<24 | 0x4e
)

// immKind says which immediates follow an opcode and which Instr fields
// hold them.
type immKind uint8

const (
	immNone         immKind = iota
	immBlock                // Block
	immLabel                // Index: label depth
	immBrTable              // Labels, default last
	immFunc                 // Index: function
	immCallIndirect         // Index: type, Index2: table
	immLocal                // Index
	immGlobal               // Index
	immTable                // Index: table
	immMem                  // Mem
	immMemIdx               // Index: memory
	immI32                  // Const (sign-extended)
	immI64                  // Const
	immF32                  // Const (bits)
	immF64                  // Const (bits)
	immSelectT              // Types
	immHeapType             // Index: heap type byte (0x70 func, 0x6f extern, 0x69 exn)
	immTag                  // Index: tag
	immTryTable             // Block, Catches
	immMemInit              // Index: data segment, Index2: memory
	immData                 // Index: data segment
	immMemCopy              // Index: destination memory, Index2: source memory
	immTableInit            // Index: element segment, Index2: table
	immElem                 // Index: element segment
	immTableCopy            // Index: destination table, Index2: source table
	immV128                 // V128
	immShuffle              // V128: 16 lane indices
	immLane                 // Index: lane
	immMemLane              // Mem, Index: lane
	immFence                // a single reserved 0x00 byte
)

// opDef is one row of the opcode table. The table drives decoding,
// encoding, formatting and typing, so adding an opcode is one line here
// (plus code in the typer only if its sig is "*").
type opDef struct {
	op   Op
	name string
	imm  immKind
	// sig is the operand-stack effect, "params -> results". "a" stands for
	// the address type (i32, or i64 for a 64-bit memory) of the memory the
	// instruction accesses. "*" means the rule depends on immediates or on
	// control state, and the typer implements it in code.
	sig string
	// natural is the access width in bytes of memory instructions; the
	// alignment immediate may not exceed it (atomics: must equal it).
	natural uint8
}

var opTable = [...]opDef{
	{OpUnreachable, "unreachable", immNone, "*", 0},
	{OpNop, "nop", immNone, "->", 0},
	{OpBlock, "block", immBlock, "*", 0},
	{OpLoop, "loop", immBlock, "*", 0},
	{OpIf, "if", immBlock, "*", 0},
	{OpElse, "else", immNone, "*", 0},
	{OpTry, "try", immBlock, "*", 0},
	{OpCatch, "catch", immTag, "*", 0},
	{OpThrow, "throw", immTag, "*", 0},
	{OpRethrow, "rethrow", immLabel, "*", 0},
	{OpThrowRef, "throw_ref", immNone, "*", 0},
	{OpEnd, "end", immNone, "*", 0},
	{OpBr, "br", immLabel, "*", 0},
	{OpBrIf, "br_if", immLabel, "*", 0},
	{OpBrTable, "br_table", immBrTable, "*", 0},
	{OpReturn, "return", immNone, "*", 0},
	{OpCall, "call", immFunc, "*", 0},
	{OpCallIndirect, "call_indirect", immCallIndirect, "*", 0},
	{OpReturnCall, "return_call", immFunc, "*", 0},
	{OpReturnCallIndirect, "return_call_indirect", immCallIndirect, "*", 0},
	{OpDelegate, "delegate", immLabel, "*", 0},
	{OpCatchAll, "catch_all", immNone, "*", 0},
	{OpDrop, "drop", immNone, "*", 0},
	{OpSelect, "select", immNone, "*", 0},
	{OpSelectT, "select", immSelectT, "*", 0},
	{OpTryTable, "try_table", immTryTable, "*", 0},
	{OpLocalGet, "local.get", immLocal, "*", 0},
	{OpLocalSet, "local.set", immLocal, "*", 0},
	{OpLocalTee, "local.tee", immLocal, "*", 0},
	{OpGlobalGet, "global.get", immGlobal, "*", 0},
	{OpGlobalSet, "global.set", immGlobal, "*", 0},
	{OpTableGet, "table.get", immTable, "*", 0},
	{OpTableSet, "table.set", immTable, "*", 0},
	{OpI32Load, "i32.load", immMem, "a -> i32", 4},
	{OpI64Load, "i64.load", immMem, "a -> i64", 8},
	{OpF32Load, "f32.load", immMem, "a -> f32", 4},
	{OpF64Load, "f64.load", immMem, "a -> f64", 8},
	{OpI32Load8S, "i32.load8_s", immMem, "a -> i32", 1},
	{OpI32Load8U, "i32.load8_u", immMem, "a -> i32", 1},
	{OpI32Load16S, "i32.load16_s", immMem, "a -> i32", 2},
	{OpI32Load16U, "i32.load16_u", immMem, "a -> i32", 2},
	{OpI64Load8S, "i64.load8_s", immMem, "a -> i64", 1},
	{OpI64Load8U, "i64.load8_u", immMem, "a -> i64", 1},
	{OpI64Load16S, "i64.load16_s", immMem, "a -> i64", 2},
	{OpI64Load16U, "i64.load16_u", immMem, "a -> i64", 2},
	{OpI64Load32S, "i64.load32_s", immMem, "a -> i64", 4},
	{OpI64Load32U, "i64.load32_u", immMem, "a -> i64", 4},
	{OpI32Store, "i32.store", immMem, "a i32 ->", 4},
	{OpI64Store, "i64.store", immMem, "a i64 ->", 8},
	{OpF32Store, "f32.store", immMem, "a f32 ->", 4},
	{OpF64Store, "f64.store", immMem, "a f64 ->", 8},
	{OpI32Store8, "i32.store8", immMem, "a i32 ->", 1},
	{OpI32Store16, "i32.store16", immMem, "a i32 ->", 2},
	{OpI64Store8, "i64.store8", immMem, "a i64 ->", 1},
	{OpI64Store16, "i64.store16", immMem, "a i64 ->", 2},
	{OpI64Store32, "i64.store32", immMem, "a i64 ->", 4},
	{OpMemorySize, "memory.size", immMemIdx, "-> a", 0},
	{OpMemoryGrow, "memory.grow", immMemIdx, "a -> a", 0},
	{OpI32Const, "i32.const", immI32, "-> i32", 0},
	{OpI64Const, "i64.const", immI64, "-> i64", 0},
	{OpF32Const, "f32.const", immF32, "-> f32", 0},
	{OpF64Const, "f64.const", immF64, "-> f64", 0},
	{OpI32Eqz, "i32.eqz", immNone, "i32 -> i32", 0},
	{OpI32Eq, "i32.eq", immNone, "i32 i32 -> i32", 0},
	{OpI32Ne, "i32.ne", immNone, "i32 i32 -> i32", 0},
	{OpI32LtS, "i32.lt_s", immNone, "i32 i32 -> i32", 0},
	{OpI32LtU, "i32.lt_u", immNone, "i32 i32 -> i32", 0},
	{OpI32GtS, "i32.gt_s", immNone, "i32 i32 -> i32", 0},
	{OpI32GtU, "i32.gt_u", immNone, "i32 i32 -> i32", 0},
	{OpI32LeS, "i32.le_s", immNone, "i32 i32 -> i32", 0},
	{OpI32LeU, "i32.le_u", immNone, "i32 i32 -> i32", 0},
	{OpI32GeS, "i32.ge_s", immNone, "i32 i32 -> i32", 0},
	{OpI32GeU, "i32.ge_u", immNone, "i32 i32 -> i32", 0},
	{OpI64Eqz, "i64.eqz", immNone, "i64 -> i32", 0},
	{OpI64Eq, "i64.eq", immNone, "i64 i64 -> i32", 0},
	{OpI64Ne, "i64.ne", immNone, "i64 i64 -> i32", 0},
	{OpI64LtS, "i64.lt_s", immNone, "i64 i64 -> i32", 0},
	{OpI64LtU, "i64.lt_u", immNone, "i64 i64 -> i32", 0},
	{OpI64GtS, "i64.gt_s", immNone, "i64 i64 -> i32", 0},
	{OpI64GtU, "i64.gt_u", immNone, "i64 i64 -> i32", 0},
	{OpI64LeS, "i64.le_s", immNone, "i64 i64 -> i32", 0},
	{OpI64LeU, "i64.le_u", immNone, "i64 i64 -> i32", 0},
	{OpI64GeS, "i64.ge_s", immNone, "i64 i64 -> i32", 0},
	{OpI64GeU, "i64.ge_u", immNone, "i64 i64 -> i32", 0},
	{OpF32Eq, "f32.eq", immNone, "f32 f32 -> i32", 0},
	{OpF32Ne, "f32.ne", immNone, "f32 f32 -> i32", 0},
	{OpF32Lt, "f32.lt", immNone, "f32 f32 -> i32", 0},
	{OpF32Gt, "f32.gt", immNone, "f32 f32 -> i32", 0},
	{OpF32Le, "f32.le", immNone, "f32 f32 -> i32", 0},
	{OpF32Ge, "f32.ge", immNone, "f32 f32 -> i32", 0},
	{OpF64Eq, "f64.eq", immNone, "f64 f64 -> i32", 0},
	{OpF64Ne, "f64.ne", immNone, "f64 f64 -> i32", 0},
	{OpF64Lt, "f64.lt", immNone, "f64 f64 -> i32", 0},
	{OpF64Gt, "f64.gt", immNone, "f64 f64 -> i32", 0},
	{OpF64Le, "f64.le", immNone, "f64 f64 -> i32", 0},
	{OpF64Ge, "f64.ge", immNone, "f64 f64 -> i32", 0},
	{OpI32Clz, "i32.clz", immNone, "i32 -> i32", 0},
	{OpI32Ctz, "i32.ctz", immNone, "i32 -> i32", 0},
	{OpI32Popcnt, "i32.popcnt", immNone, "i32 -> i32", 0},
	{OpI32Add, "i32.add", immNone, "i32 i32 -> i32", 0},
	{OpI32Sub, "i32.sub", immNone, "i32 i32 -> i32", 0},
	{OpI32Mul, "i32.mul", immNone, "i32 i32 -> i32", 0},
	{OpI32DivS, "i32.div_s", immNone, "i32 i32 -> i32", 0},
	{OpI32DivU, "i32.div_u", immNone, "i32 i32 -> i32", 0},
	{OpI32RemS, "i32.rem_s", immNone, "i32 i32 -> i32", 0},
	{OpI32RemU, "i32.rem_u", immNone, "i32 i32 -> i32", 0},
	{OpI32And, "i32.and", immNone, "i32 i32 -> i32", 0},
	{OpI32Or, "i32.or", immNone, "i32 i32 -> i32", 0},
	{OpI32Xor, "i32.xor", immNone, "i32 i32 -> i32", 0},
	{OpI32Shl, "i32.shl", immNone, "i32 i32 -> i32", 0},
	{OpI32ShrS, "i32.shr_s", immNone, "i32 i32 -> i32", 0},
	{OpI32ShrU, "i32.shr_u", immNone, "i32 i32 -> i32", 0},
	{OpI32Rotl, "i32.rotl", immNone, "i32 i32 -> i32", 0},
	{OpI32Rotr, "i32.rotr", immNone, "i32 i32 -> i32", 0},
	{OpI64Clz, "i64.clz", immNone, "i64 -> i64", 0},
	{OpI64Ctz, "i64.ctz", immNone, "i64 -> i64", 0},
	{OpI64Popcnt, "i64.popcnt", immNone, "i64 -> i64", 0},
	{OpI64Add, "i64.add", immNone, "i64 i64 -> i64", 0},
	{OpI64Sub, "i64.sub", immNone, "i64 i64 -> i64", 0},
	{OpI64Mul, "i64.mul", immNone, "i64 i64 -> i64", 0},
	{OpI64DivS, "i64.div_s", immNone, "i64 i64 -> i64", 0},
	{OpI64DivU, "i64.div_u", immNone, "i64 i64 -> i64", 0},
	{OpI64RemS, "i64.rem_s", immNone, "i64 i64 -> i64", 0},
	{OpI64RemU, "i64.rem_u", immNone, "i64 i64 -> i64", 0},
	{OpI64And, "i64.and", immNone, "i64 i64 -> i64", 0},
	{OpI64Or, "i64.or", immNone, "i64 i64 -> i64", 0},
	{OpI64Xor, "i64.xor", immNone, "i64 i64 -> i64", 0},
	{OpI64Shl, "i64.shl", immNone, "i64 i64 -> i64", 0},
	{OpI64ShrS, "i64.shr_s", immNone, "i64 i64 -> i64", 0},
	{OpI64ShrU, "i64.shr_u", immNone, "i64 i64 -> i64", 0},
	{OpI64Rotl, "i64.rotl", immNone, "i64 i64 -> i64", 0},
	{OpI64Rotr, "i64.rotr", immNone, "i64 i64 -> i64", 0},
	{OpF32Abs, "f32.abs", immNone, "f32 -> f32", 0},
	{OpF32Neg, "f32.neg", immNone, "f32 -> f32", 0},
	{OpF32Ceil, "f32.ceil", immNone, "f32 -> f32", 0},
	{OpF32Floor, "f32.floor", immNone, "f32 -> f32", 0},
	{OpF32Trunc, "f32.trunc", immNone, "f32 -> f32", 0},
	{OpF32Nearest, "f32.nearest", immNone, "f32 -> f32", 0},
	{OpF32Sqrt, "f32.sqrt", immNone, "f32 -> f32", 0},
	{OpF32Add, "f32.add", immNone, "f32 f32 -> f32", 0},
	{OpF32Sub, "f32.sub", immNone, "f32 f32 -> f32", 0},
	{OpF32Mul, "f32.mul", immNone, "f32 f32 -> f32", 0},
	{OpF32Div, "f32.div", immNone, "f32 f32 -> f32", 0},
	{OpF32Min, "f32.min", immNone, "f32 f32 -> f32", 0},
	{OpF32Max, "f32.max", immNone, "f32 f32 -> f32", 0},
	{OpF32Copysign, "f32.copysign", immNone, "f32 f32 -> f32", 0},
	{OpF64Abs, "f64.abs", immNone, "f64 -> f64", 0},
	{OpF64Neg, "f64.neg", immNone, "f64 -> f64", 0},
	{OpF64Ceil, "f64.ceil", immNone, "f64 -> f64", 0},
	{OpF64Floor, "f64.floor", immNone, "f64 -> f64", 0},
	{OpF64Trunc, "f64.trunc", immNone, "f64 -> f64", 0},
	{OpF64Nearest, "f64.nearest", immNone, "f64 -> f64", 0},
	{OpF64Sqrt, "f64.sqrt", immNone, "f64 -> f64", 0},
	{OpF64Add, "f64.add", immNone, "f64 f64 -> f64", 0},
	{OpF64Sub, "f64.sub", immNone, "f64 f64 -> f64", 0},
	{OpF64Mul, "f64.mul", immNone, "f64 f64 -> f64", 0},
	{OpF64Div, "f64.div", immNone, "f64 f64 -> f64", 0},
	{OpF64Min, "f64.min", immNone, "f64 f64 -> f64", 0},
	{OpF64Max, "f64.max", immNone, "f64 f64 -> f64", 0},
	{OpF64Copysign, "f64.copysign", immNone, "f64 f64 -> f64", 0},
	{OpI32WrapI64, "i32.wrap_i64", immNone, "i64 -> i32", 0},
	{OpI32TruncF32S, "i32.trunc_f32_s", immNone, "f32 -> i32", 0},
	{OpI32TruncF32U, "i32.trunc_f32_u", immNone, "f32 -> i32", 0},
	{OpI32TruncF64S, "i32.trunc_f64_s", immNone, "f64 -> i32", 0},
	{OpI32TruncF64U, "i32.trunc_f64_u", immNone, "f64 -> i32", 0},
	{OpI64ExtendI32S, "i64.extend_i32_s", immNone, "i32 -> i64", 0},
	{OpI64ExtendI32U, "i64.extend_i32_u", immNone, "i32 -> i64", 0},
	{OpI64TruncF32S, "i64.trunc_f32_s", immNone, "f32 -> i64", 0},
	{OpI64TruncF32U, "i64.trunc_f32_u", immNone, "f32 -> i64", 0},
	{OpI64TruncF64S, "i64.trunc_f64_s", immNone, "f64 -> i64", 0},
	{OpI64TruncF64U, "i64.trunc_f64_u", immNone, "f64 -> i64", 0},
	{OpF32ConvertI32S, "f32.convert_i32_s", immNone, "i32 -> f32", 0},
	{OpF32ConvertI32U, "f32.convert_i32_u", immNone, "i32 -> f32", 0},
	{OpF32ConvertI64S, "f32.convert_i64_s", immNone, "i64 -> f32", 0},
	{OpF32ConvertI64U, "f32.convert_i64_u", immNone, "i64 -> f32", 0},
	{OpF32DemoteF64, "f32.demote_f64", immNone, "f64 -> f32", 0},
	{OpF64ConvertI32S, "f64.convert_i32_s", immNone, "i32 -> f64", 0},
	{OpF64ConvertI32U, "f64.convert_i32_u", immNone, "i32 -> f64", 0},
	{OpF64ConvertI64S, "f64.convert_i64_s", immNone, "i64 -> f64", 0},
	{OpF64ConvertI64U, "f64.convert_i64_u", immNone, "i64 -> f64", 0},
	{OpF64PromoteF32, "f64.promote_f32", immNone, "f32 -> f64", 0},
	{OpI32ReinterpretF32, "i32.reinterpret_f32", immNone, "f32 -> i32", 0},
	{OpI64ReinterpretF64, "i64.reinterpret_f64", immNone, "f64 -> i64", 0},
	{OpF32ReinterpretI32, "f32.reinterpret_i32", immNone, "i32 -> f32", 0},
	{OpF64ReinterpretI64, "f64.reinterpret_i64", immNone, "i64 -> f64", 0},
	{OpI32Extend8S, "i32.extend8_s", immNone, "i32 -> i32", 0},
	{OpI32Extend16S, "i32.extend16_s", immNone, "i32 -> i32", 0},
	{OpI64Extend8S, "i64.extend8_s", immNone, "i64 -> i64", 0},
	{OpI64Extend16S, "i64.extend16_s", immNone, "i64 -> i64", 0},
	{OpI64Extend32S, "i64.extend32_s", immNone, "i64 -> i64", 0},
	{OpRefNull, "ref.null", immHeapType, "*", 0},
	{OpRefIsNull, "ref.is_null", immNone, "*", 0},
	{OpRefFunc, "ref.func", immFunc, "*", 0},
	{OpI32TruncSatF32S, "i32.trunc_sat_f32_s", immNone, "f32 -> i32", 0},
	{OpI32TruncSatF32U, "i32.trunc_sat_f32_u", immNone, "f32 -> i32", 0},
	{OpI32TruncSatF64S, "i32.trunc_sat_f64_s", immNone, "f64 -> i32", 0},
	{OpI32TruncSatF64U, "i32.trunc_sat_f64_u", immNone, "f64 -> i32", 0},
	{OpI64TruncSatF32S, "i64.trunc_sat_f32_s", immNone, "f32 -> i64", 0},
	{OpI64TruncSatF32U, "i64.trunc_sat_f32_u", immNone, "f32 -> i64", 0},
	{OpI64TruncSatF64S, "i64.trunc_sat_f64_s", immNone, "f64 -> i64", 0},
	{OpI64TruncSatF64U, "i64.trunc_sat_f64_u", immNone, "f64 -> i64", 0},
	{OpMemoryInit, "memory.init", immMemInit, "*", 0},
	{OpDataDrop, "data.drop", immData, "->", 0},
	{OpMemoryCopy, "memory.copy", immMemCopy, "*", 0},
	{OpMemoryFill, "memory.fill", immMemIdx, "a i32 a ->", 0},
	{OpTableInit, "table.init", immTableInit, "*", 0},
	{OpElemDrop, "elem.drop", immElem, "->", 0},
	{OpTableCopy, "table.copy", immTableCopy, "*", 0},
	{OpTableGrow, "table.grow", immTable, "*", 0},
	{OpTableSize, "table.size", immTable, "*", 0},
	{OpTableFill, "table.fill", immTable, "*", 0},
	{OpV128Load, "v128.load", immMem, "a -> v128", 16},
	{OpV128Load8x8S, "v128.load8x8_s", immMem, "a -> v128", 8},
	{OpV128Load8x8U, "v128.load8x8_u", immMem, "a -> v128", 8},
	{OpV128Load16x4S, "v128.load16x4_s", immMem, "a -> v128", 8},
	{OpV128Load16x4U, "v128.load16x4_u", immMem, "a -> v128", 8},
	{OpV128Load32x2S, "v128.load32x2_s", immMem, "a -> v128", 8},
	{OpV128Load32x2U, "v128.load32x2_u", immMem, "a -> v128", 8},
	{OpV128Load8Splat, "v128.load8_splat", immMem, "a -> v128", 1},
	{OpV128Load16Splat, "v128.load16_splat", immMem, "a -> v128", 2},
	{OpV128Load32Splat, "v128.load32_splat", immMem, "a -> v128", 4},
	{OpV128Load64Splat, "v128.load64_splat", immMem, "a -> v128", 8},
	{OpV128Store, "v128.store", immMem, "a v128 ->", 16},
	{OpV128Const, "v128.const", immV128, "-> v128", 0},
	{OpI8x16Shuffle, "i8x16.shuffle", immShuffle, "v128 v128 -> v128", 0},
	{OpI8x16Swizzle, "i8x16.swizzle", immNone, "v128 v128 -> v128", 0},
	{OpI8x16Splat, "i8x16.splat", immNone, "i32 -> v128", 0},
	{OpI16x8Splat, "i16x8.splat", immNone, "i32 -> v128", 0},
	{OpI32x4Splat, "i32x4.splat", immNone, "i32 -> v128", 0},
	{OpI64x2Splat, "i64x2.splat", immNone, "i64 -> v128", 0},
	{OpF32x4Splat, "f32x4.splat", immNone, "f32 -> v128", 0},
	{OpF64x2Splat, "f64x2.splat", immNone, "f64 -> v128", 0},
	{OpI8x16ExtractLaneS, "i8x16.extract_lane_s", immLane, "v128 -> i32", 0},
	{OpI8x16ExtractLaneU, "i8x16.extract_lane_u", immLane, "v128 -> i32", 0},
	{OpI8x16ReplaceLane, "i8x16.replace_lane", immLane, "v128 i32 -> v128", 0},
	{OpI16x8ExtractLaneS, "i16x8.extract_lane_s", immLane, "v128 -> i32", 0},
	{OpI16x8ExtractLaneU, "i16x8.extract_lane_u", immLane, "v128 -> i32", 0},
	{OpI16x8ReplaceLane, "i16x8.replace_lane", immLane, "v128 i32 -> v128", 0},
	{OpI32x4ExtractLane, "i32x4.extract_lane", immLane, "v128 -> i32", 0},
	{OpI32x4ReplaceLane, "i32x4.replace_lane", immLane, "v128 i32 -> v128", 0},
	{OpI64x2ExtractLane, "i64x2.extract_lane", immLane, "v128 -> i64", 0},
	{OpI64x2ReplaceLane, "i64x2.replace_lane", immLane, "v128 i64 -> v128", 0},
	{OpF32x4ExtractLane, "f32x4.extract_lane", immLane, "v128 -> f32", 0},
	{OpF32x4ReplaceLane, "f32x4.replace_lane", immLane, "v128 f32 -> v128", 0},
	{OpF64x2ExtractLane, "f64x2.extract_lane", immLane, "v128 -> f64", 0},
	{OpF64x2ReplaceLane, "f64x2.replace_lane", immLane, "v128 f64 -> v128", 0},
	{OpI8x16Eq, "i8x16.eq", immNone, "v128 v128 -> v128", 0},
	{OpI8x16Ne, "i8x16.ne", immNone, "v128 v128 -> v128", 0},
	{OpI8x16LtS, "i8x16.lt_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16LtU, "i8x16.lt_u", immNone, "v128 v128 -> v128", 0},
	{OpI8x16GtS, "i8x16.gt_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16GtU, "i8x16.gt_u", immNone, "v128 v128 -> v128", 0},
	{OpI8x16LeS, "i8x16.le_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16LeU, "i8x16.le_u", immNone, "v128 v128 -> v128", 0},
	{OpI8x16GeS, "i8x16.ge_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16GeU, "i8x16.ge_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8Eq, "i16x8.eq", immNone, "v128 v128 -> v128", 0},
	{OpI16x8Ne, "i16x8.ne", immNone, "v128 v128 -> v128", 0},
	{OpI16x8LtS, "i16x8.lt_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8LtU, "i16x8.lt_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8GtS, "i16x8.gt_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8GtU, "i16x8.gt_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8LeS, "i16x8.le_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8LeU, "i16x8.le_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8GeS, "i16x8.ge_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8GeU, "i16x8.ge_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4Eq, "i32x4.eq", immNone, "v128 v128 -> v128", 0},
	{OpI32x4Ne, "i32x4.ne", immNone, "v128 v128 -> v128", 0},
	{OpI32x4LtS, "i32x4.lt_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4LtU, "i32x4.lt_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4GtS, "i32x4.gt_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4GtU, "i32x4.gt_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4LeS, "i32x4.le_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4LeU, "i32x4.le_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4GeS, "i32x4.ge_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4GeU, "i32x4.ge_u", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Eq, "f32x4.eq", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Ne, "f32x4.ne", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Lt, "f32x4.lt", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Gt, "f32x4.gt", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Le, "f32x4.le", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Ge, "f32x4.ge", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Eq, "f64x2.eq", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Ne, "f64x2.ne", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Lt, "f64x2.lt", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Gt, "f64x2.gt", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Le, "f64x2.le", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Ge, "f64x2.ge", immNone, "v128 v128 -> v128", 0},
	{OpV128Not, "v128.not", immNone, "v128 -> v128", 0},
	{OpV128And, "v128.and", immNone, "v128 v128 -> v128", 0},
	{OpV128Andnot, "v128.andnot", immNone, "v128 v128 -> v128", 0},
	{OpV128Or, "v128.or", immNone, "v128 v128 -> v128", 0},
	{OpV128Xor, "v128.xor", immNone, "v128 v128 -> v128", 0},
	{OpV128Bitselect, "v128.bitselect", immNone, "v128 v128 v128 -> v128", 0},
	{OpV128AnyTrue, "v128.any_true", immNone, "v128 -> i32", 0},
	{OpV128Load8Lane, "v128.load8_lane", immMemLane, "a v128 -> v128", 1},
	{OpV128Load16Lane, "v128.load16_lane", immMemLane, "a v128 -> v128", 2},
	{OpV128Load32Lane, "v128.load32_lane", immMemLane, "a v128 -> v128", 4},
	{OpV128Load64Lane, "v128.load64_lane", immMemLane, "a v128 -> v128", 8},
	{OpV128Store8Lane, "v128.store8_lane", immMemLane, "a v128 ->", 1},
	{OpV128Store16Lane, "v128.store16_lane", immMemLane, "a v128 ->", 2},
	{OpV128Store32Lane, "v128.store32_lane", immMemLane, "a v128 ->", 4},
	{OpV128Store64Lane, "v128.store64_lane", immMemLane, "a v128 ->", 8},
	{OpV128Load32Zero, "v128.load32_zero", immMem, "a -> v128", 4},
	{OpV128Load64Zero, "v128.load64_zero", immMem, "a -> v128", 8},
	{OpF32x4DemoteF64x2Zero, "f32x4.demote_f64x2_zero", immNone, "v128 -> v128", 0},
	{OpF64x2PromoteLowF32x4, "f64x2.promote_low_f32x4", immNone, "v128 -> v128", 0},
	{OpI8x16Abs, "i8x16.abs", immNone, "v128 -> v128", 0},
	{OpI8x16Neg, "i8x16.neg", immNone, "v128 -> v128", 0},
	{OpI8x16Popcnt, "i8x16.popcnt", immNone, "v128 -> v128", 0},
	{OpI8x16AllTrue, "i8x16.all_true", immNone, "v128 -> i32", 0},
	{OpI8x16Bitmask, "i8x16.bitmask", immNone, "v128 -> i32", 0},
	{OpI8x16NarrowI16x8S, "i8x16.narrow_i16x8_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16NarrowI16x8U, "i8x16.narrow_i16x8_u", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Ceil, "f32x4.ceil", immNone, "v128 -> v128", 0},
	{OpF32x4Floor, "f32x4.floor", immNone, "v128 -> v128", 0},
	{OpF32x4Trunc, "f32x4.trunc", immNone, "v128 -> v128", 0},
	{OpF32x4Nearest, "f32x4.nearest", immNone, "v128 -> v128", 0},
	{OpI8x16Shl, "i8x16.shl", immNone, "v128 i32 -> v128", 0},
	{OpI8x16ShrS, "i8x16.shr_s", immNone, "v128 i32 -> v128", 0},
	{OpI8x16ShrU, "i8x16.shr_u", immNone, "v128 i32 -> v128", 0},
	{OpI8x16Add, "i8x16.add", immNone, "v128 v128 -> v128", 0},
	{OpI8x16AddSatS, "i8x16.add_sat_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16AddSatU, "i8x16.add_sat_u", immNone, "v128 v128 -> v128", 0},
	{OpI8x16Sub, "i8x16.sub", immNone, "v128 v128 -> v128", 0},
	{OpI8x16SubSatS, "i8x16.sub_sat_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16SubSatU, "i8x16.sub_sat_u", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Ceil, "f64x2.ceil", immNone, "v128 -> v128", 0},
	{OpF64x2Floor, "f64x2.floor", immNone, "v128 -> v128", 0},
	{OpI8x16MinS, "i8x16.min_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16MinU, "i8x16.min_u", immNone, "v128 v128 -> v128", 0},
	{OpI8x16MaxS, "i8x16.max_s", immNone, "v128 v128 -> v128", 0},
	{OpI8x16MaxU, "i8x16.max_u", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Trunc, "f64x2.trunc", immNone, "v128 -> v128", 0},
	{OpI8x16AvgrU, "i8x16.avgr_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtaddPairwiseI8x16S, "i16x8.extadd_pairwise_i8x16_s", immNone, "v128 -> v128", 0},
	{OpI16x8ExtaddPairwiseI8x16U, "i16x8.extadd_pairwise_i8x16_u", immNone, "v128 -> v128", 0},
	{OpI32x4ExtaddPairwiseI16x8S, "i32x4.extadd_pairwise_i16x8_s", immNone, "v128 -> v128", 0},
	{OpI32x4ExtaddPairwiseI16x8U, "i32x4.extadd_pairwise_i16x8_u", immNone, "v128 -> v128", 0},
	{OpI16x8Abs, "i16x8.abs", immNone, "v128 -> v128", 0},
	{OpI16x8Neg, "i16x8.neg", immNone, "v128 -> v128", 0},
	{OpI16x8Q15mulrSatS, "i16x8.q15mulr_sat_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8AllTrue, "i16x8.all_true", immNone, "v128 -> i32", 0},
	{OpI16x8Bitmask, "i16x8.bitmask", immNone, "v128 -> i32", 0},
	{OpI16x8NarrowI32x4S, "i16x8.narrow_i32x4_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8NarrowI32x4U, "i16x8.narrow_i32x4_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtendLowI8x16S, "i16x8.extend_low_i8x16_s", immNone, "v128 -> v128", 0},
	{OpI16x8ExtendHighI8x16S, "i16x8.extend_high_i8x16_s", immNone, "v128 -> v128", 0},
	{OpI16x8ExtendLowI8x16U, "i16x8.extend_low_i8x16_u", immNone, "v128 -> v128", 0},
	{OpI16x8ExtendHighI8x16U, "i16x8.extend_high_i8x16_u", immNone, "v128 -> v128", 0},
	{OpI16x8Shl, "i16x8.shl", immNone, "v128 i32 -> v128", 0},
	{OpI16x8ShrS, "i16x8.shr_s", immNone, "v128 i32 -> v128", 0},
	{OpI16x8ShrU, "i16x8.shr_u", immNone, "v128 i32 -> v128", 0},
	{OpI16x8Add, "i16x8.add", immNone, "v128 v128 -> v128", 0},
	{OpI16x8AddSatS, "i16x8.add_sat_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8AddSatU, "i16x8.add_sat_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8Sub, "i16x8.sub", immNone, "v128 v128 -> v128", 0},
	{OpI16x8SubSatS, "i16x8.sub_sat_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8SubSatU, "i16x8.sub_sat_u", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Nearest, "f64x2.nearest", immNone, "v128 -> v128", 0},
	{OpI16x8Mul, "i16x8.mul", immNone, "v128 v128 -> v128", 0},
	{OpI16x8MinS, "i16x8.min_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8MinU, "i16x8.min_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8MaxS, "i16x8.max_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8MaxU, "i16x8.max_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8AvgrU, "i16x8.avgr_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtmulLowI8x16S, "i16x8.extmul_low_i8x16_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtmulHighI8x16S, "i16x8.extmul_high_i8x16_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtmulLowI8x16U, "i16x8.extmul_low_i8x16_u", immNone, "v128 v128 -> v128", 0},
	{OpI16x8ExtmulHighI8x16U, "i16x8.extmul_high_i8x16_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4Abs, "i32x4.abs", immNone, "v128 -> v128", 0},
	{OpI32x4Neg, "i32x4.neg", immNone, "v128 -> v128", 0},
	{OpI32x4AllTrue, "i32x4.all_true", immNone, "v128 -> i32", 0},
	{OpI32x4Bitmask, "i32x4.bitmask", immNone, "v128 -> i32", 0},
	{OpI32x4ExtendLowI16x8S, "i32x4.extend_low_i16x8_s", immNone, "v128 -> v128", 0},
	{OpI32x4ExtendHighI16x8S, "i32x4.extend_high_i16x8_s", immNone, "v128 -> v128", 0},
	{OpI32x4ExtendLowI16x8U, "i32x4.extend_low_i16x8_u", immNone, "v128 -> v128", 0},
	{OpI32x4ExtendHighI16x8U, "i32x4.extend_high_i16x8_u", immNone, "v128 -> v128", 0},
	{OpI32x4Shl, "i32x4.shl", immNone, "v128 i32 -> v128", 0},
	{OpI32x4ShrS, "i32x4.shr_s", immNone, "v128 i32 -> v128", 0},
	{OpI32x4ShrU, "i32x4.shr_u", immNone, "v128 i32 -> v128", 0},
	{OpI32x4Add, "i32x4.add", immNone, "v128 v128 -> v128", 0},
	{OpI32x4Sub, "i32x4.sub", immNone, "v128 v128 -> v128", 0},
	{OpI32x4Mul, "i32x4.mul", immNone, "v128 v128 -> v128", 0},
	{OpI32x4MinS, "i32x4.min_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4MinU, "i32x4.min_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4MaxS, "i32x4.max_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4MaxU, "i32x4.max_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4DotI16x8S, "i32x4.dot_i16x8_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4ExtmulLowI16x8S, "i32x4.extmul_low_i16x8_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4ExtmulHighI16x8S, "i32x4.extmul_high_i16x8_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4ExtmulLowI16x8U, "i32x4.extmul_low_i16x8_u", immNone, "v128 v128 -> v128", 0},
	{OpI32x4ExtmulHighI16x8U, "i32x4.extmul_high_i16x8_u", immNone, "v128 v128 -> v128", 0},
	{OpI64x2Abs, "i64x2.abs", immNone, "v128 -> v128", 0},
	{OpI64x2Neg, "i64x2.neg", immNone, "v128 -> v128", 0},
	{OpI64x2AllTrue, "i64x2.all_true", immNone, "v128 -> i32", 0},
	{OpI64x2Bitmask, "i64x2.bitmask", immNone, "v128 -> i32", 0},
	{OpI64x2ExtendLowI32x4S, "i64x2.extend_low_i32x4_s", immNone, "v128 -> v128", 0},
	{OpI64x2ExtendHighI32x4S, "i64x2.extend_high_i32x4_s", immNone, "v128 -> v128", 0},
	{OpI64x2ExtendLowI32x4U, "i64x2.extend_low_i32x4_u", immNone, "v128 -> v128", 0},
	{OpI64x2ExtendHighI32x4U, "i64x2.extend_high_i32x4_u", immNone, "v128 -> v128", 0},
	{OpI64x2Shl, "i64x2.shl", immNone, "v128 i32 -> v128", 0},
	{OpI64x2ShrS, "i64x2.shr_s", immNone, "v128 i32 -> v128", 0},
	{OpI64x2ShrU, "i64x2.shr_u", immNone, "v128 i32 -> v128", 0},
	{OpI64x2Add, "i64x2.add", immNone, "v128 v128 -> v128", 0},
	{OpI64x2Sub, "i64x2.sub", immNone, "v128 v128 -> v128", 0},
	{OpI64x2Mul, "i64x2.mul", immNone, "v128 v128 -> v128", 0},
	{OpI64x2Eq, "i64x2.eq", immNone, "v128 v128 -> v128", 0},
	{OpI64x2Ne, "i64x2.ne", immNone, "v128 v128 -> v128", 0},
	{OpI64x2LtS, "i64x2.lt_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2GtS, "i64x2.gt_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2LeS, "i64x2.le_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2GeS, "i64x2.ge_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2ExtmulLowI32x4S, "i64x2.extmul_low_i32x4_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2ExtmulHighI32x4S, "i64x2.extmul_high_i32x4_s", immNone, "v128 v128 -> v128", 0},
	{OpI64x2ExtmulLowI32x4U, "i64x2.extmul_low_i32x4_u", immNone, "v128 v128 -> v128", 0},
	{OpI64x2ExtmulHighI32x4U, "i64x2.extmul_high_i32x4_u", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Abs, "f32x4.abs", immNone, "v128 -> v128", 0},
	{OpF32x4Neg, "f32x4.neg", immNone, "v128 -> v128", 0},
	{OpF32x4Sqrt, "f32x4.sqrt", immNone, "v128 -> v128", 0},
	{OpF32x4Add, "f32x4.add", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Sub, "f32x4.sub", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Mul, "f32x4.mul", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Div, "f32x4.div", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Min, "f32x4.min", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Max, "f32x4.max", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Pmin, "f32x4.pmin", immNone, "v128 v128 -> v128", 0},
	{OpF32x4Pmax, "f32x4.pmax", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Abs, "f64x2.abs", immNone, "v128 -> v128", 0},
	{OpF64x2Neg, "f64x2.neg", immNone, "v128 -> v128", 0},
	{OpF64x2Sqrt, "f64x2.sqrt", immNone, "v128 -> v128", 0},
	{OpF64x2Add, "f64x2.add", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Sub, "f64x2.sub", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Mul, "f64x2.mul", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Div, "f64x2.div", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Min, "f64x2.min", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Max, "f64x2.max", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Pmin, "f64x2.pmin", immNone, "v128 v128 -> v128", 0},
	{OpF64x2Pmax, "f64x2.pmax", immNone, "v128 v128 -> v128", 0},
	{OpI32x4TruncSatF32x4S, "i32x4.trunc_sat_f32x4_s", immNone, "v128 -> v128", 0},
	{OpI32x4TruncSatF32x4U, "i32x4.trunc_sat_f32x4_u", immNone, "v128 -> v128", 0},
	{OpF32x4ConvertI32x4S, "f32x4.convert_i32x4_s", immNone, "v128 -> v128", 0},
	{OpF32x4ConvertI32x4U, "f32x4.convert_i32x4_u", immNone, "v128 -> v128", 0},
	{OpI32x4TruncSatF64x2SZero, "i32x4.trunc_sat_f64x2_s_zero", immNone, "v128 -> v128", 0},
	{OpI32x4TruncSatF64x2UZero, "i32x4.trunc_sat_f64x2_u_zero", immNone, "v128 -> v128", 0},
	{OpF64x2ConvertLowI32x4S, "f64x2.convert_low_i32x4_s", immNone, "v128 -> v128", 0},
	{OpF64x2ConvertLowI32x4U, "f64x2.convert_low_i32x4_u", immNone, "v128 -> v128", 0},
	{OpI8x16RelaxedSwizzle, "i8x16.relaxed_swizzle", immNone, "v128 v128 -> v128", 0},
	{OpI32x4RelaxedTruncF32x4S, "i32x4.relaxed_trunc_f32x4_s", immNone, "v128 -> v128", 0},
	{OpI32x4RelaxedTruncF32x4U, "i32x4.relaxed_trunc_f32x4_u", immNone, "v128 -> v128", 0},
	{OpI32x4RelaxedTruncF64x2SZero, "i32x4.relaxed_trunc_f64x2_s_zero", immNone, "v128 -> v128", 0},
	{OpI32x4RelaxedTruncF64x2UZero, "i32x4.relaxed_trunc_f64x2_u_zero", immNone, "v128 -> v128", 0},
	{OpF32x4RelaxedMadd, "f32x4.relaxed_madd", immNone, "v128 v128 v128 -> v128", 0},
	{OpF32x4RelaxedNmadd, "f32x4.relaxed_nmadd", immNone, "v128 v128 v128 -> v128", 0},
	{OpF64x2RelaxedMadd, "f64x2.relaxed_madd", immNone, "v128 v128 v128 -> v128", 0},
	{OpF64x2RelaxedNmadd, "f64x2.relaxed_nmadd", immNone, "v128 v128 v128 -> v128", 0},
	{OpI8x16RelaxedLaneselect, "i8x16.relaxed_laneselect", immNone, "v128 v128 v128 -> v128", 0},
	{OpI16x8RelaxedLaneselect, "i16x8.relaxed_laneselect", immNone, "v128 v128 v128 -> v128", 0},
	{OpI32x4RelaxedLaneselect, "i32x4.relaxed_laneselect", immNone, "v128 v128 v128 -> v128", 0},
	{OpI64x2RelaxedLaneselect, "i64x2.relaxed_laneselect", immNone, "v128 v128 v128 -> v128", 0},
	{OpF32x4RelaxedMin, "f32x4.relaxed_min", immNone, "v128 v128 -> v128", 0},
	{OpF32x4RelaxedMax, "f32x4.relaxed_max", immNone, "v128 v128 -> v128", 0},
	{OpF64x2RelaxedMin, "f64x2.relaxed_min", immNone, "v128 v128 -> v128", 0},
	{OpF64x2RelaxedMax, "f64x2.relaxed_max", immNone, "v128 v128 -> v128", 0},
	{OpI16x8RelaxedQ15mulrS, "i16x8.relaxed_q15mulr_s", immNone, "v128 v128 -> v128", 0},
	{OpI16x8RelaxedDotI8x16I7x16S, "i16x8.relaxed_dot_i8x16_i7x16_s", immNone, "v128 v128 -> v128", 0},
	{OpI32x4RelaxedDotI8x16I7x16AddS, "i32x4.relaxed_dot_i8x16_i7x16_add_s", immNone, "v128 v128 v128 -> v128", 0},
	{OpMemoryAtomicNotify, "memory.atomic.notify", immMem, "a i32 -> i32", 4},
	{OpMemoryAtomicWait32, "memory.atomic.wait32", immMem, "a i32 i64 -> i32", 4},
	{OpMemoryAtomicWait64, "memory.atomic.wait64", immMem, "a i64 i64 -> i32", 8},
	{OpAtomicFence, "atomic.fence", immFence, "->", 0},
	{OpI32AtomicLoad, "i32.atomic.load", immMem, "a -> i32", 4},
	{OpI64AtomicLoad, "i64.atomic.load", immMem, "a -> i64", 8},
	{OpI32AtomicLoad8U, "i32.atomic.load8_u", immMem, "a -> i32", 1},
	{OpI32AtomicLoad16U, "i32.atomic.load16_u", immMem, "a -> i32", 2},
	{OpI64AtomicLoad8U, "i64.atomic.load8_u", immMem, "a -> i64", 1},
	{OpI64AtomicLoad16U, "i64.atomic.load16_u", immMem, "a -> i64", 2},
	{OpI64AtomicLoad32U, "i64.atomic.load32_u", immMem, "a -> i64", 4},
	{OpI32AtomicStore, "i32.atomic.store", immMem, "a i32 ->", 4},
	{OpI64AtomicStore, "i64.atomic.store", immMem, "a i64 ->", 8},
	{OpI32AtomicStore8, "i32.atomic.store8", immMem, "a i32 ->", 1},
	{OpI32AtomicStore16, "i32.atomic.store16", immMem, "a i32 ->", 2},
	{OpI64AtomicStore8, "i64.atomic.store8", immMem, "a i64 ->", 1},
	{OpI64AtomicStore16, "i64.atomic.store16", immMem, "a i64 ->", 2},
	{OpI64AtomicStore32, "i64.atomic.store32", immMem, "a i64 ->", 4},
	{OpI32AtomicRmwAdd, "i32.atomic.rmw.add", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwAdd, "i64.atomic.rmw.add", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8AddU, "i32.atomic.rmw8.add_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16AddU, "i32.atomic.rmw16.add_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8AddU, "i64.atomic.rmw8.add_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16AddU, "i64.atomic.rmw16.add_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32AddU, "i64.atomic.rmw32.add_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwSub, "i32.atomic.rmw.sub", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwSub, "i64.atomic.rmw.sub", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8SubU, "i32.atomic.rmw8.sub_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16SubU, "i32.atomic.rmw16.sub_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8SubU, "i64.atomic.rmw8.sub_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16SubU, "i64.atomic.rmw16.sub_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32SubU, "i64.atomic.rmw32.sub_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwAnd, "i32.atomic.rmw.and", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwAnd, "i64.atomic.rmw.and", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8AndU, "i32.atomic.rmw8.and_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16AndU, "i32.atomic.rmw16.and_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8AndU, "i64.atomic.rmw8.and_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16AndU, "i64.atomic.rmw16.and_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32AndU, "i64.atomic.rmw32.and_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwOr, "i32.atomic.rmw.or", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwOr, "i64.atomic.rmw.or", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8OrU, "i32.atomic.rmw8.or_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16OrU, "i32.atomic.rmw16.or_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8OrU, "i64.atomic.rmw8.or_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16OrU, "i64.atomic.rmw16.or_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32OrU, "i64.atomic.rmw32.or_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwXor, "i32.atomic.rmw.xor", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwXor, "i64.atomic.rmw.xor", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8XorU, "i32.atomic.rmw8.xor_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16XorU, "i32.atomic.rmw16.xor_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8XorU, "i64.atomic.rmw8.xor_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16XorU, "i64.atomic.rmw16.xor_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32XorU, "i64.atomic.rmw32.xor_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwXchg, "i32.atomic.rmw.xchg", immMem, "a i32 -> i32", 4},
	{OpI64AtomicRmwXchg, "i64.atomic.rmw.xchg", immMem, "a i64 -> i64", 8},
	{OpI32AtomicRmw8XchgU, "i32.atomic.rmw8.xchg_u", immMem, "a i32 -> i32", 1},
	{OpI32AtomicRmw16XchgU, "i32.atomic.rmw16.xchg_u", immMem, "a i32 -> i32", 2},
	{OpI64AtomicRmw8XchgU, "i64.atomic.rmw8.xchg_u", immMem, "a i64 -> i64", 1},
	{OpI64AtomicRmw16XchgU, "i64.atomic.rmw16.xchg_u", immMem, "a i64 -> i64", 2},
	{OpI64AtomicRmw32XchgU, "i64.atomic.rmw32.xchg_u", immMem, "a i64 -> i64", 4},
	{OpI32AtomicRmwCmpxchg, "i32.atomic.rmw.cmpxchg", immMem, "a i32 i32 -> i32", 4},
	{OpI64AtomicRmwCmpxchg, "i64.atomic.rmw.cmpxchg", immMem, "a i64 i64 -> i64", 8},
	{OpI32AtomicRmw8CmpxchgU, "i32.atomic.rmw8.cmpxchg_u", immMem, "a i32 i32 -> i32", 1},
	{OpI32AtomicRmw16CmpxchgU, "i32.atomic.rmw16.cmpxchg_u", immMem, "a i32 i32 -> i32", 2},
	{OpI64AtomicRmw8CmpxchgU, "i64.atomic.rmw8.cmpxchg_u", immMem, "a i64 i64 -> i64", 1},
	{OpI64AtomicRmw16CmpxchgU, "i64.atomic.rmw16.cmpxchg_u", immMem, "a i64 i64 -> i64", 2},
	{OpI64AtomicRmw32CmpxchgU, "i64.atomic.rmw32.cmpxchg_u", immMem, "a i64 i64 -> i64", 4},
}

// tAddr is the placeholder for "a" in parsed signatures. It is never a
// value type of a module, and the typer replaces it before use.
const tAddr ValType = 0x01

// opInfo is an opDef with its signature parsed and derived facts cached.
type opInfo struct {
	opDef
	in, out  []ValType
	special  bool
	alignLog uint8 // log2(natural)
	lanes    uint8 // number of lanes a lane immediate indexes
}

var (
	singleOps   [256]*opInfo
	prefixedOps = map[Op]*opInfo{}
	opsByName   = map[string]*opInfo{}
)

func init() {
	for i := range opTable {
		d := &opTable[i]
		info := &opInfo{opDef: *d}
		if d.sig == "*" {
			info.special = true
		} else {
			in, out, ok := strings.Cut(d.sig, "->")
			if !ok {
				panic("wasmbin: bad signature for " + d.name)
			}
			info.in = parseSig(d.name, in)
			info.out = parseSig(d.name, out)
		}
		for n := d.natural; n > 1; n >>= 1 {
			info.alignLog++
		}
		switch d.imm {
		case immLane:
			info.lanes = lanesOf(d.name)
		case immMemLane:
			info.lanes = 16 / d.natural
		case immShuffle:
			info.lanes = 32
		}
		if d.op.Prefix() == 0 {
			if singleOps[d.op] != nil {
				panic("wasmbin: duplicate opcode " + d.name)
			}
			singleOps[d.op] = info
		} else {
			if prefixedOps[d.op] != nil {
				panic("wasmbin: duplicate opcode " + d.name)
			}
			prefixedOps[d.op] = info
		}
		if d.op != OpSelectT {
			opsByName[d.name] = info
		}
	}
}

func parseSig(name, s string) []ValType {
	var out []ValType
	for _, f := range strings.Fields(s) {
		var t ValType
		switch f {
		case "i32":
			t = I32
		case "i64":
			t = I64
		case "f32":
			t = F32
		case "f64":
			t = F64
		case "v128":
			t = V128
		case "a":
			t = tAddr
		default:
			panic("wasmbin: bad type " + f + " in signature of " + name)
		}
		out = append(out, t)
	}
	return out
}

// lanesOf derives the lane count from a SIMD shape prefix ("i16x8." -> 8).
func lanesOf(name string) uint8 {
	switch {
	case strings.HasPrefix(name, "i8x16."):
		return 16
	case strings.HasPrefix(name, "i16x8."):
		return 8
	case strings.HasPrefix(name, "i32x4."), strings.HasPrefix(name, "f32x4."):
		return 4
	case strings.HasPrefix(name, "i64x2."), strings.HasPrefix(name, "f64x2."):
		return 2
	}
	panic("wasmbin: no lane shape in " + name)
}

// lookupOp returns the table row of op, nil if op is unknown.
func lookupOp(op Op) *opInfo {
	if op.Prefix() == 0 {
		if op > 0xff {
			return nil
		}
		return singleOps[op]
	}
	return prefixedOps[op]
}

// Signature returns the operand and result types of an instruction whose
// types do not depend on its immediates or context (i32.add, i64.load8_u,
// memory.grow...), with the address type "a" of memory instructions as i64
// for a 64-bit memory and i32 otherwise. It is false for the others
// (local.get, call, select, block...) and for unknown opcodes.
func (o Op) Signature(mem64 bool) (FuncType, bool) {
	d := lookupOp(o)
	if d == nil || d.special {
		return FuncType{}, false
	}
	addr := func(ts []ValType) []ValType {
		out := make([]ValType, len(ts))
		for i, t := range ts {
			out[i] = t
			if t == tAddr {
				out[i] = I32
				if mem64 {
					out[i] = I64
				}
			}
		}
		return out
	}
	return FuncType{Params: addr(d.in), Results: addr(d.out)}, true
}

// OpByName returns the opcode with the given text name. The untyped
// "select" maps to OpSelect.
func OpByName(name string) (Op, bool) {
	if d := opsByName[name]; d != nil {
		return d.op, true
	}
	return 0, false
}
