package cli

import (
	"fmt"
	"strings"

	"wdbg/session"
)

// This file formats stops and frames in gdb's shapes.

// hexPC formats a code address (a module file offset) as gdb prints a pc
// on a 32-bit target.
func hexPC(off session.FileOffset) string { return fmt.Sprintf("0x%08x", uint32(off)) }

// frameLine formats a frame as bt and frame print it:
//
//	#1  0x000003f0 in settle ()
//
// Frame 0 of a stop at the start of a source line omits the address, as
// gdb does.
func frameLine(f *session.Frame, showAddr bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%-2d ", f.Index)
	b.WriteString(frameDesc(f, showAddr))
	return b.String()
}

// frameDesc is the frame description without the "#N" prefix.
func frameDesc(f *session.Frame, showAddr bool) string {
	if f.Host != "" {
		return fmt.Sprintf("<host> in %s ()", f.Host)
	}
	var b strings.Builder
	if showAddr {
		pc := f.Loc.Offset
		if f.Index > 0 {
			pc = f.Return
		}
		b.WriteString(hexPC(pc))
		b.WriteString(" in ")
	}
	b.WriteString(f.Func.Name)
	b.WriteString(" ()")
	if f.Loc.HasSource() {
		fmt.Fprintf(&b, " at %s:%d", f.Loc.File, f.Loc.Line)
	}
	return b.String()
}

// printStop prints what gdb prints when the program stops.
func printStop(c *Context, st *session.Stop) {
	switch st.Reason {
	case session.StopExited:
		printExit(c, st)
		return
	case session.StopBreakpoint:
		ids := make([]string, len(st.Breakpoints))
		for i, id := range st.Breakpoints {
			ids[i] = fmt.Sprint(id)
		}
		kind := "Breakpoint"
		if st.Temporary {
			kind = "Temporary breakpoint"
		}
		c.Printf("\n%s %s, ", kind, strings.Join(ids, ", "))
		printLocation(c, st, true)
		return
	case session.StopHalt:
		c.Printf("\nProgram received signal SIGINT, Interrupt.\n")
	case session.StopTrap:
		c.Printf("\nProgram received wasm trap: %s.\n", st.Trap)
		if st.Fatal {
			c.Printf("(The trap has already unwound the stack: the faulting frame's locals are lost. Continuing ends the program.)\n")
		}
	case session.StopEntry:
		c.Printf("\nProgram stopped.\n")
	}
	printLocation(c, st, false)
}

// printLocation prints the location line of a stop's frame 0.
func printLocation(c *Context, st *session.Stop, afterBreakpoint bool) {
	if len(st.Frames) == 0 {
		c.Printf("<no frames>\n")
		return
	}
	f := &st.Frames[0]
	c.Printf("%s\n", frameDesc(f, true))
}

// printExit prints gdb's exit line; the exit code is in octal, as in gdb.
func printExit(c *Context, st *session.Stop) {
	switch {
	case st.Trap == "killed":
		c.Printf("[Inferior 1 (process 1) killed]\n")
	case st.Trap != "":
		c.Printf("\nProgram terminated with wasm trap: %s.\nThe program no longer exists.\n", st.Trap)
	case st.ExitCode == 0:
		c.Printf("[Inferior 1 (process 1) exited normally]\n")
	default:
		c.Printf("[Inferior 1 (process 1) exited with code %02o]\n", st.ExitCode)
	}
}
