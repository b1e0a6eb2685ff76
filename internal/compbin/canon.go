package compbin

import (
	"fmt"
	"strings"
)

// CanonKind is the kind of a canonical definition; the values are the
// binary opcodes (lift and lower are 0x00 and 0x01).
type CanonKind uint8

// Canonical definitions (Binary.md, "Canonical Definitions").
const (
	CanonLift                     CanonKind = 0x00
	CanonLower                    CanonKind = 0x01
	CanonResourceNew              CanonKind = 0x02
	CanonResourceDrop             CanonKind = 0x03
	CanonResourceRep              CanonKind = 0x04
	CanonTaskCancel               CanonKind = 0x05
	CanonSubtaskCancel            CanonKind = 0x06
	CanonResourceDropAsync        CanonKind = 0x07 // withdrawn: resource.drop async
	CanonBackpressureSet          CanonKind = 0x08 // removed in 2026 (CM#683), found in WASI 0.3.0-era binaries
	CanonTaskReturn               CanonKind = 0x09
	CanonContextGet               CanonKind = 0x0a
	CanonContextSet               CanonKind = 0x0b
	CanonThreadYield              CanonKind = 0x0c
	CanonSubtaskDrop              CanonKind = 0x0d
	CanonStreamNew                CanonKind = 0x0e
	CanonStreamRead               CanonKind = 0x0f
	CanonStreamWrite              CanonKind = 0x10
	CanonStreamCancelRead         CanonKind = 0x11
	CanonStreamCancelWrite        CanonKind = 0x12
	CanonStreamDropReadable       CanonKind = 0x13
	CanonStreamDropWritable       CanonKind = 0x14
	CanonFutureNew                CanonKind = 0x15
	CanonFutureRead               CanonKind = 0x16
	CanonFutureWrite              CanonKind = 0x17
	CanonFutureCancelRead         CanonKind = 0x18
	CanonFutureCancelWrite        CanonKind = 0x19
	CanonFutureDropReadable       CanonKind = 0x1a
	CanonFutureDropWritable       CanonKind = 0x1b
	CanonErrorContextNew          CanonKind = 0x1c
	CanonErrorContextDebugMessage CanonKind = 0x1d
	CanonErrorContextDrop         CanonKind = 0x1e
	CanonWaitableSetNew           CanonKind = 0x1f
	CanonWaitableSetWait          CanonKind = 0x20
	CanonWaitableSetPoll          CanonKind = 0x21
	CanonWaitableSetDrop          CanonKind = 0x22
	CanonWaitableJoin             CanonKind = 0x23
	CanonBackpressureInc          CanonKind = 0x24
	CanonBackpressureDec          CanonKind = 0x25
	CanonThreadIndex              CanonKind = 0x26
	CanonThreadNewIndirect        CanonKind = 0x27
	CanonThreadResumeLater        CanonKind = 0x28
	CanonThreadSuspend            CanonKind = 0x29
	CanonThreadSuspendThenResume  CanonKind = 0x2a
	CanonThreadYieldThenResume    CanonKind = 0x2b
	CanonThreadSuspendThenPromote CanonKind = 0x2c
	CanonThreadYieldThenPromote   CanonKind = 0x2d
	CanonThreadSpawnRef           CanonKind = 0x40
	CanonThreadSpawnIndirect      CanonKind = 0x41
	CanonThreadAvailableParallel  CanonKind = 0x42
)

var canonNames = map[CanonKind]string{
	CanonLift: "lift", CanonLower: "lower",
	CanonResourceNew: "resource.new", CanonResourceDrop: "resource.drop", CanonResourceRep: "resource.rep",
	CanonTaskCancel: "task.cancel", CanonSubtaskCancel: "subtask.cancel",
	CanonResourceDropAsync: "resource.drop async", CanonBackpressureSet: "backpressure.set",
	CanonTaskReturn: "task.return", CanonContextGet: "context.get", CanonContextSet: "context.set",
	CanonThreadYield: "thread.yield", CanonSubtaskDrop: "subtask.drop",
	CanonStreamNew: "stream.new", CanonStreamRead: "stream.read", CanonStreamWrite: "stream.write",
	CanonStreamCancelRead: "stream.cancel-read", CanonStreamCancelWrite: "stream.cancel-write",
	CanonStreamDropReadable: "stream.drop-readable", CanonStreamDropWritable: "stream.drop-writable",
	CanonFutureNew: "future.new", CanonFutureRead: "future.read", CanonFutureWrite: "future.write",
	CanonFutureCancelRead: "future.cancel-read", CanonFutureCancelWrite: "future.cancel-write",
	CanonFutureDropReadable: "future.drop-readable", CanonFutureDropWritable: "future.drop-writable",
	CanonErrorContextNew: "error-context.new", CanonErrorContextDebugMessage: "error-context.debug-message",
	CanonErrorContextDrop: "error-context.drop",
	CanonWaitableSetNew:   "waitable-set.new", CanonWaitableSetWait: "waitable-set.wait",
	CanonWaitableSetPoll: "waitable-set.poll", CanonWaitableSetDrop: "waitable-set.drop",
	CanonWaitableJoin:    "waitable.join",
	CanonBackpressureInc: "backpressure.inc", CanonBackpressureDec: "backpressure.dec",
	CanonThreadIndex: "thread.index", CanonThreadNewIndirect: "thread.new-indirect",
	CanonThreadResumeLater: "thread.resume-later", CanonThreadSuspend: "thread.suspend",
	CanonThreadSuspendThenResume: "thread.suspend-then-resume", CanonThreadYieldThenResume: "thread.yield-then-resume",
	CanonThreadSuspendThenPromote: "thread.suspend-then-promote", CanonThreadYieldThenPromote: "thread.yield-then-promote",
	CanonThreadSpawnRef: "thread.spawn-ref", CanonThreadSpawnIndirect: "thread.spawn-indirect",
	CanonThreadAvailableParallel: "thread.available-parallelism",
}

// String returns the text-format name ("lift", "stream.read").
func (k CanonKind) String() string {
	if s, ok := canonNames[k]; ok {
		return s
	}
	return fmt.Sprintf("canon(0x%02x)", uint8(k))
}

// Canon is a canonical definition (section 8). A lift defines a component
// function; every other kind defines a core function.
type Canon struct {
	// Index is the new index: in the func index space for CanonLift, in the
	// core func index space otherwise.
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// Kind is the kind of definition.
	Kind CanonKind
	// Func is the core function lifted, or the component function lowered.
	Func uint32
	// Type is the function type of a lift; the resource type of resource.*;
	// the stream or future type of stream.* and future.*; the core function
	// type of thread.new-indirect and thread.spawn-*.
	Type uint32
	// Options are the canonical options of lift, lower, task.return,
	// stream/future read and write, and error-context.new/debug-message.
	Options []CanonOpt
	// Result is task.return's optional result type.
	Result *ValType
	// Async is the async? immediate of subtask.cancel and
	// stream/future cancel-read/cancel-write (and withdrawn resource.drop async).
	Async bool
	// Cancellable is the cancel? immediate of waitable-set.wait/poll and thread.*.
	Cancellable bool
	// Shared is the shared? immediate of thread.spawn-* and available-parallelism.
	Shared bool
	// Memory is waitable-set.wait/poll's core memory index.
	Memory uint32
	// Table is thread.new-indirect's and thread.spawn-indirect's core table index.
	Table uint32
	// ValType and Slot are context.get/set's core value type and slot index.
	ValType CoreValType
	// Slot is context.get/set's slot index.
	Slot uint32
}

// DefinesCoreFunc reports whether the definition adds to the core func
// index space (everything but lift).
func (c *Canon) DefinesCoreFunc() bool { return c.Kind != CanonLift }

// Opt returns the option of the given kind, if present.
func (c *Canon) Opt(k OptKind) (CanonOpt, bool) {
	for _, o := range c.Options {
		if o.Kind == k {
			return o, true
		}
	}
	return CanonOpt{}, false
}

// IsAsync reports whether the definition carries the async option.
func (c *Canon) IsAsync() bool {
	_, ok := c.Opt(OptAsync)
	return ok
}

// String renders the definition compactly, e.g.
// "lift core func 3 (type 5) (memory 0) (realloc 2) async (callback 4)".
func (c *Canon) String() string {
	var b strings.Builder
	b.WriteString(c.Kind.String())
	switch c.Kind {
	case CanonLift:
		fmt.Fprintf(&b, " core func %d (type %d)", c.Func, c.Type)
	case CanonLower:
		fmt.Fprintf(&b, " func %d", c.Func)
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep, CanonResourceDropAsync,
		CanonStreamNew, CanonStreamRead, CanonStreamWrite, CanonStreamCancelRead, CanonStreamCancelWrite,
		CanonStreamDropReadable, CanonStreamDropWritable, CanonFutureNew, CanonFutureRead, CanonFutureWrite,
		CanonFutureCancelRead, CanonFutureCancelWrite, CanonFutureDropReadable, CanonFutureDropWritable:
		fmt.Fprintf(&b, " %d", c.Type)
	case CanonTaskReturn:
		if c.Result != nil {
			fmt.Fprintf(&b, " (result %s)", c.Result)
		}
	case CanonContextGet, CanonContextSet:
		fmt.Fprintf(&b, " %s %d", c.ValType, c.Slot)
	case CanonWaitableSetWait, CanonWaitableSetPoll:
		fmt.Fprintf(&b, " (memory %d)", c.Memory)
	case CanonThreadNewIndirect, CanonThreadSpawnIndirect:
		fmt.Fprintf(&b, " (type %d) (table %d)", c.Type, c.Table)
	case CanonThreadSpawnRef:
		fmt.Fprintf(&b, " (type %d)", c.Type)
	}
	if c.Async {
		b.WriteString(" async")
	}
	if c.Cancellable {
		b.WriteString(" cancellable")
	}
	if c.Shared {
		b.WriteString(" shared")
	}
	for _, o := range c.Options {
		b.WriteString(" " + o.String())
	}
	return b.String()
}

// OptKind is the kind of a canonical option; the values are the opcodes.
type OptKind uint8

// Canonical options.
const (
	OptUTF8        OptKind = 0x00
	OptUTF16       OptKind = 0x01
	OptLatin1UTF16 OptKind = 0x02
	OptMemory      OptKind = 0x03
	OptRealloc     OptKind = 0x04
	OptPostReturn  OptKind = 0x05
	OptAsync       OptKind = 0x06
	OptCallback    OptKind = 0x07
	OptCoreType    OptKind = 0x08 // 🛸 core-type
	OptGC          OptKind = 0x09 // 🛸 gc
)

// CanonOpt is a canonical option; Index is the operand of memory, realloc,
// post-return, callback and core-type.
type CanonOpt struct {
	// Kind is the option.
	Kind OptKind
	// Index is the core memory, core func or core type index operand.
	Index uint32
}

// String returns the option as in the text format ("string-encoding=utf8",
// "(memory 0)", "async").
func (o CanonOpt) String() string {
	switch o.Kind {
	case OptUTF8:
		return "string-encoding=utf8"
	case OptUTF16:
		return "string-encoding=utf16"
	case OptLatin1UTF16:
		return "string-encoding=latin1+utf16"
	case OptMemory:
		return fmt.Sprintf("(memory %d)", o.Index)
	case OptRealloc:
		return fmt.Sprintf("(realloc %d)", o.Index)
	case OptPostReturn:
		return fmt.Sprintf("(post-return %d)", o.Index)
	case OptAsync:
		return "async"
	case OptCallback:
		return fmt.Sprintf("(callback %d)", o.Index)
	case OptCoreType:
		return fmt.Sprintf("(core-type %d)", o.Index)
	case OptGC:
		return "gc"
	}
	return fmt.Sprintf("opt(0x%02x)", uint8(o.Kind))
}

func (r *reader) canonOpts() []CanonOpt {
	n := r.count()
	opts := make([]CanonOpt, 0, capHint(n))
	for range n {
		off := r.pos
		o := CanonOpt{Kind: OptKind(r.byte())}
		switch o.Kind {
		case OptUTF8, OptUTF16, OptLatin1UTF16, OptAsync, OptGC:
		case OptMemory, OptRealloc, OptPostReturn, OptCallback, OptCoreType:
			o.Index = r.u32()
		default:
			r.fail(off, "unknown canonical option 0x%02x", uint8(o.Kind))
		}
		opts = append(opts, o)
	}
	return opts
}

func (r *reader) canon() Canon {
	off := r.pos
	c := Canon{Offset: off, Kind: CanonKind(r.byte())}
	sortByte := func() {
		soff := r.pos
		if s := r.byte(); s != 0x00 {
			r.fail(soff, "%s: expected func sort 0x00, got 0x%02x", c.Kind, s)
		}
	}
	switch c.Kind {
	case CanonLift:
		sortByte()
		c.Func = r.u32()
		c.Options = r.canonOpts()
		c.Type = r.u32()
	case CanonLower:
		sortByte()
		c.Func = r.u32()
		c.Options = r.canonOpts()
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep, CanonResourceDropAsync,
		CanonStreamNew, CanonStreamDropReadable, CanonStreamDropWritable,
		CanonFutureNew, CanonFutureDropReadable, CanonFutureDropWritable:
		c.Type = r.u32()
	case CanonStreamRead, CanonStreamWrite, CanonFutureRead, CanonFutureWrite:
		c.Type = r.u32()
		c.Options = r.canonOpts()
	case CanonStreamCancelRead, CanonStreamCancelWrite, CanonFutureCancelRead, CanonFutureCancelWrite:
		c.Type = r.u32()
		c.Async = r.bool01("async")
	case CanonSubtaskCancel:
		c.Async = r.bool01("async")
	case CanonBackpressureSet, CanonBackpressureInc, CanonBackpressureDec, CanonTaskCancel,
		CanonSubtaskDrop, CanonErrorContextDrop, CanonWaitableSetNew, CanonWaitableSetDrop,
		CanonWaitableJoin, CanonThreadIndex, CanonThreadResumeLater:
	case CanonTaskReturn:
		c.Result = r.resultList()
		c.Options = r.canonOpts()
	case CanonContextGet, CanonContextSet:
		c.ValType = r.coreValType(false)
		c.Slot = r.u32()
	case CanonErrorContextNew, CanonErrorContextDebugMessage:
		c.Options = r.canonOpts()
	case CanonWaitableSetWait, CanonWaitableSetPoll:
		c.Cancellable = r.bool01("cancellable")
		c.Memory = r.u32()
	case CanonThreadYield, CanonThreadSuspend, CanonThreadSuspendThenResume, CanonThreadYieldThenResume,
		CanonThreadSuspendThenPromote, CanonThreadYieldThenPromote:
		c.Cancellable = r.bool01("cancellable")
	case CanonThreadNewIndirect:
		c.Type = r.u32()
		c.Table = r.u32()
	case CanonThreadSpawnRef:
		c.Shared = r.bool01("shared")
		c.Type = r.u32()
	case CanonThreadSpawnIndirect:
		c.Shared = r.bool01("shared")
		c.Type = r.u32()
		c.Table = r.u32()
	case CanonThreadAvailableParallel:
		c.Shared = r.bool01("shared")
	default:
		r.fail(off, "unknown canonical definition 0x%02x", uint8(c.Kind))
	}
	return c
}
