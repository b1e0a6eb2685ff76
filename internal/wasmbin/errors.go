package wasmbin

import (
	"errors"
	"fmt"
)

// Sentinel errors. Decode and DecodeBody wrap them with the place of the
// failure, so test for them with errors.Is.
var (
	// ErrNotWasm means the input does not start with the "\0asm" magic.
	ErrNotWasm = errors.New("bad magic number")
	// ErrComponent is returned by Decode for a component-model binary
	// (preamble version 0x0d, layer 1). Those are handled elsewhere.
	ErrComponent = errors.New("this is a WebAssembly component, not a core module")
	// ErrUnsupportedVersion means the magic is right but the version is
	// neither core version 1 nor a component.
	ErrUnsupportedVersion = errors.New("unsupported binary version")
	// ErrTruncated means the data ended in the middle of something.
	ErrTruncated = errors.New("unexpected end of data")
	// ErrUnknownOpcode is wrapped by the error for an opcode this package
	// does not know, e.g. "unknown opcode 0xfd 0x1ff".
	ErrUnknownOpcode = errors.New("unknown opcode")
	// ErrUnsupported marks well-formed constructs of proposals this package
	// deliberately does not decode (GC types, typed function references).
	ErrUnsupported = errors.New("not supported")
)

// DecodeError is the error Decode returns: what went wrong, in which
// section, and at which byte of the file.
type DecodeError struct {
	// Section is the section being decoded, or NoSection for the
	// preamble and section headers.
	Section SectionID
	// Offset is the file offset of the item that failed to decode.
	Offset FileOffset
	Err    error
}

func (e *DecodeError) Error() string {
	if e.Section == NoSection {
		return fmt.Sprintf("%v at offset %s", e.Err, hexOffset(uint64(e.Offset)))
	}
	return fmt.Sprintf("%s section at offset %s: %v", e.Section, hexOffset(uint64(e.Offset)), e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// CodeError reports a failure to decode or to type one instruction.
type CodeError struct {
	// Func is the index of the function in the function index space
	// (imported functions first), or -1 when DecodeBody was called on a
	// bare body and the function is not known.
	Func int
	// Off is the code offset of the instruction (or of the byte) at fault.
	Off CodeOffset
	// File is Off as a file offset; set only when Func >= 0.
	File FileOffset
	Err  error
}

func (e *CodeError) Error() string {
	if e.Func < 0 {
		return fmt.Sprintf("instruction at code offset %s: %v", hexOffset(uint64(e.Off)), e.Err)
	}
	return fmt.Sprintf("code section: function %d at offset %s: %v", e.Func, hexOffset(uint64(e.File)), e.Err)
}

func (e *CodeError) Unwrap() error { return e.Err }

// offsetError is the internal form of a decoding failure: the reader only
// knows the position; the caller that knows the section or the function
// turns it into a DecodeError or CodeError.
type offsetError struct {
	off int
	err error
}

func (e *offsetError) Error() string {
	return fmt.Sprintf("%v at offset %s", e.err, hexOffset(uint64(e.off)))
}

func (e *offsetError) Unwrap() error { return e.err }

// hexOffset prints offsets the way every message in this package does:
// "0" for zero (so the header reads "at offset 0"), hex otherwise.
func hexOffset(v uint64) string {
	if v == 0 {
		return "0"
	}
	return fmt.Sprintf("%#x", v)
}
