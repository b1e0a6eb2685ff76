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

// framePC is the address gdb shows for a frame: the pc of frame 0, the
// return address of a caller.
func framePC(f *session.Frame) session.FileOffset {
	if f.Index > 0 && !f.Inlined {
		return f.Return
	}
	return f.Loc.Offset
}

// showAddress says whether gdb prints a frame's address: not for frame 0
// at the start of a line, nor for the frames of inlined calls (they share
// their pc with the frame below).
func showAddress(st *session.Stop, f *session.Frame) bool {
	if f.Host != "" {
		return false
	}
	if f.Index == 0 {
		return !f.AtLineStart || !f.Loc.HasSource()
	}
	if prev := st.Frames[f.Index-1]; prev.Inlined {
		return false
	}
	return true
}

// frameLine formats a frame as bt, frame, up and down print it:
//
//	#1  0x000003fd in settle (acct=0x10a90 <accounts>, amounts=0x10010 <day1>, n=3) at ledger.c:43
func (c *Context) frameLine(st *session.Stop, f *session.Frame) string {
	return fmt.Sprintf("#%-2d %s", f.Index, c.frameDesc(f, showAddress(st, f)))
}

// frameDesc is the frame description without the "#N" prefix.
func (c *Context) frameDesc(f *session.Frame, showAddr bool) string {
	if call, ok := strings.CutPrefix(f.Host, session.BoundaryFramePrefix); ok {
		// A call from one component into another, with its lifted
		// arguments: "<component boundary> root/app-i calls f(s: "hi")".
		return "<component boundary> " + call
	}
	if f.Host != "" {
		return fmt.Sprintf("<host> in %s ()", f.Host)
	}
	var b strings.Builder
	if showAddr {
		b.WriteString(hexPC(framePC(f)))
		b.WriteString(" in ")
	}
	b.WriteString(f.Func.Name)
	b.WriteString(" (")
	b.WriteString(c.argsText(f))
	b.WriteString(")")
	prog := c.Sess.Program()
	switch {
	case f.Loc.HasSource():
		fmt.Fprintf(&b, " at %s:%d", f.Loc.File, f.Loc.Line)
	case prog.Kind == session.KindComponent && int(f.Loc.Module) < len(prog.Modules):
		// As gdb names the shared library of a frame without debug info:
		// in a component, the core module the frame runs in.
		fmt.Fprintf(&b, " from %s", prog.Modules[f.Loc.Module].Name)
	}
	return b.String()
}

// argsText formats a frame's arguments: "acct=0x10a90 <accounts>, k=DEPOSIT".
func (c *Context) argsText(f *session.Frame) string {
	args, err := c.Sess.FrameArgs(f.Index)
	if err != nil || len(args) == 0 {
		return ""
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.Name + "=" + a.Summary
	}
	return strings.Join(parts, ", ")
}

// sourceLine prints the source line of a frame: "25\t  int delta = ...",
// prefixed by the pc when it is not at the start of the line.
func (c *Context) sourceLine(f *session.Frame, withPC bool) {
	if !f.Loc.HasSource() {
		return
	}
	prefix := ""
	if withPC {
		prefix = hexPC(framePC(f)) + "\t"
	}
	ls, err := c.Sess.Source(f.Loc, f.Loc.Line, f.Loc.Line)
	if err != nil {
		c.Printf("%s%d\t%v\n", prefix, f.Loc.Line, err)
		return
	}
	c.Printf("%s%d\t%s\n", prefix, ls[0].Number, ls[0].Text)
	c.interp.list.setCenter(f.Loc, f.Loc.Line)
}

// srcAndLoc prints a frame as gdb's print_stack_frame with SRC_AND_LOC:
// its description, then its source line.
func (c *Context) srcAndLoc(st *session.Stop, f *session.Frame, withIndex bool) {
	if withIndex {
		c.Printf("%s\n", c.frameLine(st, f))
	} else {
		c.Printf("%s\n", c.frameDesc(f, showAddress(st, f)))
	}
	c.sourceLine(f, false)
}

// printStop prints what gdb prints when the program stops.
func printStop(c *Context, st *session.Stop) {
	if st.Note != "" {
		c.Printf("%s\n", st.Note)
	}
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
	case session.StopHalt:
		c.Printf("\nProgram received signal SIGINT, Interrupt.\n")
	case session.StopTrap:
		c.Printf("\nProgram received wasm trap: %s.\n", st.Trap)
		if st.Fatal {
			c.Printf("(The trap has already unwound the stack: the faulting frame's locals are lost. Continuing ends the program.)\n")
		}
	case session.StopEntry:
		c.Printf("\nProgram stopped.\n")
	case session.StopWatch:
		printWatch(c, st)
	case session.StopStep:
		if len(st.Frames) > 0 && st.SameFrame && st.Frames[0].Loc.HasSource() {
			f := &st.Frames[0]
			c.sourceLine(f, !f.AtLineStart)
			c.printDisplays()
			return
		}
	}
	if len(st.Frames) == 0 {
		c.Printf("<no frames>\n")
		return
	}
	c.srcAndLoc(st, &st.Frames[0], false)
	c.printDisplays()
}

// printExit prints gdb's exit line; the exit code is in octal, as in gdb.
func printExit(c *Context, st *session.Stop) {
	switch {
	case st.StartError != "":
		c.Printf("Cannot run the program: %s.\n", st.StartError)
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

// printDisplays prints the display expressions after a stop (filled in by
// the display command).
func (c *Context) printDisplays() {
	if c.interp.displays != nil {
		c.interp.displays(c)
	}
}
