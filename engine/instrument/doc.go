// Package instrument rewrites a WebAssembly core module so that a debugger
// can stop it: before every stop site it inserts a guarded probe that, when
// armed, passes the site, the function's locals and the operand values of
// the current block to a host function. The design and its measurements are
// in ../shared/docs/engine-design.md; docs/RATIONALE.md says why wdbg
// rewrites modules rather than hooking an interpreter.
//
// # What a rewritten function looks like
//
//	(func $f (param ...) (result R)
//	  (local <original locals> <scratch locals> $was)
//	  global.get $depth  i32.const 1  i32.add  global.set $depth
//	  block $body (result R)              ;; branches to the function label
//	    ...original body...               ;; land here; `return` becomes
//	  end                                 ;; `br` to $body
//	  global.get $depth  i32.const 1  i32.sub  global.set $depth)
//
// and at each site (the block's operand values spilled to scratch locals so
// the probe can see them, then restored):
//
//	local.set $s1  local.set $s0
//	global.get $arm  i64.const <mask of f>  i64.and  i64.const 0  i64.ne
//	if
//	  i32.const <site>  (local.get $i  <to i64>)*  (local.get $sN  <to i64>)*
//	  call $wdbg.probe<N>
//	end
//	local.get $s0  local.get $s1
//
// Around every call, a guarded enter/leave pair feeds the host's shadow
// stack with the caller's locals, so that caller frames' locals are
// readable at a stop:
//
//	global.get $calls  i64.const <mask>  i64.and  i64.const 0  i64.ne  local.tee $was
//	if  i32.const <site>  (local.get $i <to i64>)*  call $wdbg.enter<N>  end
//	call $callee
//	local.get $was  if  call $wdbg.leave  end
//
// `unreachable` gets an unguarded trap probe (it costs nothing: executing it
// is a trap anyway), and integer division and remainder get a check of
// their operands that calls the trap probe before the trap happens, so the
// debugger stops at the faulting instruction with the stack intact.
//
// # Arming
//
// Three mutable globals, imported from the "wdbg.state" module so that every
// instance of a program shares them: $arm and $calls are i64 masks (bit 63
// arms every function; bit h arms the functions whose index hashes to h),
// and $depth counts the guest frames on the stack. Only a handful of
// mutable globals are added because wazero's compiler reloads every mutable
// global after every call (engine-design.md §5.3).
//
// # Offsets
//
// Three address spaces meet here: original code offsets (wasmbin.CodeOffset,
// DWARF's), original file offsets (wasmbin.FileOffset) and offsets in the
// instrumented code ([InstrOffset]). [Result.Map] converts instrumented to
// original; nothing else does.
//
// # Debug info for wazero
//
// wazero records pc-to-offset maps (needed for the stack walk and for trap
// stack traces) only for modules with DWARF. The original DWARF is stale in
// the rewritten code and can be large, so it is replaced by a synthetic
// compile unit whose single line sequence covers the whole code section.
package instrument
