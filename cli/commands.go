package cli

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"wdbg/session"
)

// Commands returns the command table. It is built once and never changed.
func Commands() []*Command { return commandTable }

var commandTable []*Command

func init() {
	commandTable = []*Command{
		// running
		{Names: []string{"run", "r"}, Group: GroupRunning, Usage: "run [ARGS...]",
			Help: "Start the program, with ARGS if given (otherwise the previous ones).",
			Long: "Kills a running program first. Stops at the first breakpoint, trap or halt, or runs to the end.",
			Run:  cmdRun},
		{Names: []string{"start"}, Group: GroupRunning, Usage: "start [ARGS...]",
			Help: "Start the program and stop at the beginning of main (a temporary breakpoint).",
			Run:  cmdStart},
		{Names: []string{"starti"}, Group: GroupRunning, Usage: "starti [ARGS...]",
			Help: "Start the program and stop before its first instruction.",
			Run:  cmdStarti},
		{Names: []string{"continue", "c", "fg"}, Group: GroupRunning, Usage: "continue [N]",
			Help: "Continue the program; with N, ignore the current breakpoint N-1 more times.",
			Run:  cmdContinue},
		{Names: []string{"step", "s"}, Group: GroupRunning, Usage: "step [N]", Repeat: true,
			Help: "Step to the next source line, entering called functions that have line info.",
			Run:  cmdStep},
		{Names: []string{"next", "n"}, Group: GroupRunning, Usage: "next [N]", Repeat: true,
			Help: "Step to the next source line of this function, stepping over calls.",
			Run:  cmdNext},
		{Names: []string{"until", "u"}, Group: GroupRunning, Usage: "until [LOCATION]", Repeat: true,
			Help: "Like next, but never back to an earlier line (runs a loop to its end); with LOCATION, run until it is reached or the frame returns.",
			Run:  cmdUntil},
		{Names: []string{"advance"}, Group: GroupRunning, Usage: "advance LOCATION",
			Help: "Run until LOCATION is reached or the current frame returns.",
			Run:  cmdAdvance},
		{Names: []string{"stepi", "si"}, Group: GroupRunning, Usage: "stepi [N]", Repeat: true,
			Help: "Step to the next stop site, entering calls.",
			Long: "wdbg stops at sites: function entries, statements, branches, calls, returns and loop headers.\n" +
				"There is no branch or call between two sites, so stepi follows control flow exactly;\n" +
				"within straight-line code it moves to the next site. Start wdbg with --every-instruction\n" +
				"to make every instruction a site.",
			Run: cmdStepi},
		{Names: []string{"nexti", "ni"}, Group: GroupRunning, Usage: "nexti [N]", Repeat: true,
			Help: "Step to the next stop site of this function, stepping over calls.",
			Run:  cmdNexti},
		{Names: []string{"finish", "fin"}, Group: GroupRunning, Usage: "finish",
			Help: "Run until the selected frame returns, and print the value it returned.",
			Run:  cmdFinish},
		{Names: []string{"kill", "k"}, Group: GroupRunning, Usage: "kill",
			Help: "Kill the running program.", Run: cmdKill},

		// breakpoints
		{Names: []string{"break", "b", "br"}, Group: GroupBreakpoints, Usage: "break [LOCATION]",
			Help: "Set a breakpoint at LOCATION: FUNCTION, or *ADDRESS (an offset in the module file).",
			Long: "Without LOCATION, the breakpoint goes at the selected frame's pc.\n" +
				"An address between stop sites moves to the next site of its function; wdbg says so.",
			Run: cmdBreak(false), Complete: completeFunction},
		{Names: []string{"tbreak"}, Group: GroupBreakpoints, Usage: "tbreak [LOCATION]",
			Help: "Set a temporary breakpoint: deleted when hit.",
			Run:  cmdBreak(true), Complete: completeFunction},
		{Names: []string{"delete", "d"}, Group: GroupBreakpoints, Usage: "delete [N...]",
			Help: "Delete breakpoints N..., or all of them.", Run: cmdDelete},
		{Names: []string{"disable"}, Group: GroupBreakpoints, Usage: "disable [N...]",
			Help: "Disable breakpoints N..., or all of them.", Run: cmdEnable(false)},
		{Names: []string{"enable"}, Group: GroupBreakpoints, Usage: "enable [N...]",
			Help: "Enable breakpoints N..., or all of them.", Run: cmdEnable(true)},
		{Names: []string{"watch"}, Group: GroupBreakpoints, Usage: "watch EXPR",
			Help: "Stop at the first stop site after the value of EXPR changes (a software watchpoint).",
			Long: "An lvalue in linear memory is compared byte for byte; other expressions over globals are\n" +
				"evaluated at every site. A watchpoint on a frame's locals is deleted when the frame returns.",
			Run: cmdWatch, Complete: completeSymbol},
		{Names: []string{"condition"}, Group: GroupBreakpoints, Usage: "condition N [EXPR]",
			Help: "Make breakpoint N stop only if EXPR is true; without EXPR, unconditionally.", Run: cmdCondition},
		{Names: []string{"ignore"}, Group: GroupBreakpoints, Usage: "ignore N COUNT",
			Help: "Ignore the next COUNT hits of breakpoint N.", Run: cmdIgnore},

		// stack
		{Names: []string{"backtrace", "bt", "where"}, Group: GroupStack, Usage: "backtrace [-past-main] [N]",
			Help: "Print the call stack, or its innermost N frames. It ends at main unless -past-main is given.", Run: cmdBacktrace},
		{Names: []string{"frame", "f"}, Group: GroupStack, Usage: "frame [N]",
			Help: "Select frame N and print it, or print the selected frame.", Run: cmdFrame},
		{Names: []string{"up"}, Group: GroupStack, Usage: "up [N]",
			Help: "Select the frame N (default 1) levels up, towards the caller.", Run: cmdUpDown(1)},
		{Names: []string{"down"}, Group: GroupStack, Usage: "down [N]",
			Help: "Select the frame N (default 1) levels down, towards the callee.", Run: cmdUpDown(-1)},

		// data
		{Names: []string{"x"}, Group: GroupData, Usage: "x[/FMT] ADDRESS", Repeat: true,
			Help: "Examine linear memory: FMT is a count, a format (x d u o t c a f s i) and a size (b h w g).",
			Long: "Like gdb's x. Defaults: count 1, format x, size w; later x commands reuse the last\n" +
				"format and continue after the last address. x/i disassembles the module's code at a\n" +
				"code address (an offset in the module file); $pc is the selected frame's pc.",
			Run: cmdExamine},
		{Names: []string{"print", "p", "inspect"}, Group: GroupData, Usage: "print[/FMT] [EXPR]",
			Help: "Print the value of a C expression (FMT: x d u o t c a f s z), and record it as $N.",
			Long: "EXPR is C over the program's variables: a->b[3].c, *p, &x, (struct t *) p, sizeof x,\n" +
				"arithmetic and comparisons, assignment (x = 5), p[0]@4 for an array of four, {int} ADDR for\n" +
				"the int at ADDR, and $N, $, $$N for earlier values. $pc, $sp, $localN, $globalN and $stackN\n" +
				"read the WebAssembly state; $name = EXPR sets a convenience variable.",
			Run: cmdPrint, Complete: completeSymbol},
		{Names: []string{"call"}, Group: GroupData, Usage: "call EXPR",
			Help: "Like print, but print nothing for a void value.", Run: cmdCall, Complete: completeSymbol},
		{Names: []string{"output"}, Group: GroupData, Usage: "output[/FMT] EXPR",
			Help: "Print the value of EXPR with no newline and no $N.", Run: cmdOutput, Complete: completeSymbol},
		{Names: []string{"ptype"}, Group: GroupData, Usage: "ptype EXPR | TYPE",
			Help: "Print the type of an expression or a type name, with struct, union and enum members written out.",
			Run:  cmdPtype, Complete: completeSymbol},
		{Names: []string{"whatis"}, Group: GroupData, Usage: "whatis EXPR | TYPE",
			Help: "Print the type of an expression, or what a typedef names.", Run: cmdWhatis, Complete: completeSymbol},
		{Names: []string{"display"}, Group: GroupData, Usage: "display[/FMT] [EXPR]",
			Help: "Print EXPR at every stop (the TUI shows displays as watches); without EXPR, print them all now.",
			Run:  cmdDisplay},
		{Names: []string{"undisplay"}, Group: GroupData, Usage: "undisplay [N...]",
			Help: "Stop displaying expressions N..., or all of them.", Run: cmdUndisplay},
		{Names: []string{"list", "l"}, Group: GroupData, Usage: "list [LOCATION | FIRST,LAST | -]", Repeat: true,
			Help: "List ten source lines around LOCATION, lines FIRST to LAST, or the lines after (or, with -, before) the last listing.",
			Run:  cmdList, Complete: completeFunction},
		{Names: []string{"disassemble"}, Group: GroupData, Usage: "disassemble [FUNCTION | ADDRESS]",
			Help: "Print the WebAssembly text of a function, marking the selected frame's pc with =>.",
			Run:  cmdDisassemble, Complete: completeFunction},

		// status
		{Names: []string{"info", "i", "inf"}, Group: GroupStatus, Usage: "info SUBCOMMAND",
			Help: "Show things about the program being debugged.", Sub: infoTable},
		{Names: []string{"show"}, Group: GroupStatus, Usage: "show SUBCOMMAND",
			Help: "Show settings.", Sub: showTable},
		{Names: []string{"set"}, Group: GroupSupport, Usage: "set SUBCOMMAND | set EXPR",
			Help: "Change settings, or evaluate an assignment (set x = 3).", Sub: setTable, Run: cmdSetExpr},

		// support
		{Names: []string{"help", "h"}, Group: GroupSupport, Usage: "help [COMMAND]",
			Help: "Print the list of commands, or help on COMMAND.", Run: cmdHelp},
		{Names: []string{"echo"}, Group: GroupSupport, Usage: "echo TEXT",
			Help: "Print TEXT (C escapes \\n and \\t are understood).", Run: cmdEcho},
		{Names: []string{"quit", "q", "exit"}, Group: GroupSupport, Usage: "quit",
			Help: "Exit wdbg (killing the program).", Run: cmdQuit},
	}
}

var infoTable = []*Command{
	{Names: []string{"breakpoints", "b", "break"}, Usage: "info breakpoints",
		Help: "List breakpoints.", Run: cmdInfoBreakpoints},
	{Names: []string{"args"}, Usage: "info args",
		Help: "Print the arguments of the selected frame.", Run: cmdInfoArgs},
	{Names: []string{"locals"}, Usage: "info locals",
		Help: "Print the local variables of the selected frame, innermost scope first (its wasm locals, without debug info).", Run: cmdInfoLocals},
	{Names: []string{"wasm-locals"}, Usage: "info wasm-locals",
		Help: "Print the wasm locals of the selected frame (parameters first).", Run: cmdInfoWasmLocals},
	{Names: []string{"source"}, Usage: "info source",
		Help: "Describe the current source file.", Run: cmdInfoSource},
	{Names: []string{"line"}, Usage: "info line [LOCATION]",
		Help: "Show the code addresses of a source line.", Run: cmdInfoLine},
	{Names: []string{"stack"}, Usage: "info stack",
		Help: "Print the operand stack of the innermost block of frame 0, bottom first.", Run: cmdInfoStack},
	{Names: []string{"registers", "r", "all-registers"}, Usage: "info registers",
		Help: "Print the pc of the selected frame.", Run: cmdInfoRegisters},
	{Names: []string{"frame", "f"}, Usage: "info frame",
		Help: "Describe the selected frame.", Run: cmdInfoFrame},
	{Names: []string{"functions"}, Usage: "info functions [REGEXP]",
		Help: "List functions, or those whose names match REGEXP.", Run: cmdInfoFunctions},
	{Names: []string{"imports"}, Usage: "info imports",
		Help: "List the module's imports.", Run: cmdInfoImports},
	{Names: []string{"exports"}, Usage: "info exports",
		Help: "List the module's exports.", Run: cmdInfoExports},
	{Names: []string{"memory"}, Usage: "info memory",
		Help: "Describe linear memory.", Run: cmdInfoMemory},
	{Names: []string{"globals"}, Usage: "info globals",
		Help: "Print the globals of the selected frame's instance.", Run: cmdInfoGlobals},
	{Names: []string{"display"}, Usage: "info display",
		Help: "List the display expressions.", Run: cmdInfoDisplay},
	{Names: []string{"program"}, Usage: "info program",
		Help: "Print the program's state.", Run: cmdInfoProgram},
	{Names: []string{"components"}, Usage: "info components",
		Help: "Print a component's instance tree: imports and exports with their WIT types, core modules, core instances and nested components.", Run: cmdInfoComponents},
	{Names: []string{"resources"}, Usage: "info resources",
		Help: "Print the handle tables of a component's instances: each handle, its resource and what it refers to.", Run: cmdInfoResources},
	{Names: []string{"wit"}, Usage: "info wit",
		Help: "Print a component's imports and exports in WIT.", Run: cmdInfoWIT},
}

var showTable = []*Command{
	{Names: []string{"args"}, Usage: "show args", Help: "Show the program's arguments.", Run: cmdShowArgs},
	{Names: []string{"substitute-path"}, Usage: "show substitute-path", Help: "Show the source path substitution rules.", Run: cmdShowSubstitutePath},
	{Names: []string{"trace-calls"}, Usage: "show trace-calls", Help: "Show whether calls across component boundaries are traced.", Run: cmdShowTraceCalls},
}

var setTable = []*Command{
	{Names: []string{"variable", "var"}, Usage: "set variable EXPR", Help: "Evaluate an assignment: set var x = 3.", Run: cmdSetVar},
	{Names: []string{"args"}, Usage: "set args [ARGS...]", Help: "Set the program's arguments for the next run.", Run: cmdSetArgs},
	{Names: []string{"substitute-path"}, Usage: "set substitute-path FROM TO",
		Help: "Read sources whose path starts with FROM from TO instead.", Run: cmdSetSubstitutePath},
	{Names: []string{"trace-calls"}, Usage: "set trace-calls on|off",
		Help: "Print every call across a component boundary (to an import, the host or another component) with its arguments and results in WIT syntax.", Run: cmdSetTraceCalls},
}

// needStop returns the current valid stop, or gdb's error.
func needStop(c *Context) (*session.Stop, error) {
	st := c.Sess.Stop()
	if st == nil || !st.Valid() {
		return nil, errors.New("The program is not being run.")
	}
	return st, nil
}

// runErr words session errors as gdb does.
func runErr(err error) error {
	switch {
	case errors.Is(err, session.ErrNotRunning), errors.Is(err, session.ErrExited):
		return errors.New("The program is not being run.")
	}
	return err
}

func cmdRun(c *Context, args string) error {
	if args != "" {
		c.Sess.SetArgs(splitArgs(args))
	}
	if st := c.Sess.State(); st == session.StateStopped && c.Confirm != nil &&
		!c.Confirm("The program being debugged has been started already.\nStart it from the beginning? (y or n) ") {
		return errors.New("Program not restarted.")
	}
	c.chatter("Starting program: %s %s\n", c.Sess.Program().Path, strings.Join(c.Sess.Args(), " "))
	st, err := c.Sess.Run()
	if err != nil {
		return err
	}
	if st.StartError != "" {
		return fmt.Errorf("Cannot run the program: %s.", st.StartError)
	}
	printStop(c, st)
	return nil
}

func cmdStart(c *Context, args string) error {
	if _, err := c.Sess.SetBreakpoint("main", session.BreakOptions{Temporary: true}); err != nil {
		return err
	}
	return cmdRun(c, args)
}

func cmdStarti(c *Context, args string) error {
	if args != "" {
		c.Sess.SetArgs(splitArgs(args))
	}
	c.chatter("Starting program: %s %s\n", c.Sess.Program().Path, strings.Join(c.Sess.Args(), " "))
	st, err := c.Sess.StartInstruction()
	if err != nil {
		return err
	}
	printStop(c, st)
	return nil
}

func cmdContinue(c *Context, args string) error {
	if args != "" {
		n, err := strconv.Atoi(strings.TrimSpace(args))
		if err != nil || n < 1 {
			return fmt.Errorf("invalid count %q", args)
		}
		if st := c.Sess.Stop(); st != nil && st.Reason == session.StopBreakpoint && len(st.Breakpoints) > 0 {
			id := st.Breakpoints[0]
			_ = c.Sess.IgnoreBreakpoint(id, n-1)
			c.Printf("Will ignore next %d crossings of breakpoint %d.  Continuing.\n", n-1, id)
		}
	} else if _, err := needStop(c); err == nil {
		c.chatter("Continuing.\n")
	}
	st, err := c.Sess.Continue()
	if err != nil {
		return runErr(err)
	}
	printStop(c, st)
	return nil
}

// repeatStep runs a step command args (a count) times, stopping early when
// something other than the step itself stops the program.
func repeatStep(c *Context, args string, step func() (*session.Stop, error)) error {
	n, err := count(args)
	if err != nil {
		return err
	}
	var st *session.Stop
	for i := 0; i < n; i++ {
		st, err = step()
		if err != nil {
			return runErr(err)
		}
		if st.Reason != session.StopStep {
			break
		}
	}
	printStop(c, st)
	return nil
}

func count(args string) (int, error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(args)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid count %q", args)
	}
	return n, nil
}

func cmdStep(c *Context, args string) error { return repeatStep(c, args, c.Sess.Step) }
func cmdNext(c *Context, args string) error { return repeatStep(c, args, c.Sess.Next) }

func cmdUntil(c *Context, args string) error {
	if strings.TrimSpace(args) != "" {
		return cmdAdvance(c, args)
	}
	return repeatStep(c, "", c.Sess.Until)
}

func cmdAdvance(c *Context, args string) error {
	if strings.TrimSpace(args) == "" {
		return errors.New("Argument required (a location).")
	}
	st, err := c.Sess.Advance(args)
	if err != nil {
		return runErr(err)
	}
	printStop(c, st)
	return nil
}

func cmdStepi(c *Context, args string) error {
	return repeatStep(c, args, c.Sess.StepInstruction)
}

func cmdNexti(c *Context, args string) error {
	return repeatStep(c, args, c.Sess.NextInstruction)
}

func cmdFinish(c *Context, args string) error {
	st0, err := needStop(c)
	if err != nil {
		return err
	}
	sel := c.Sess.SelectedFrame()
	if _, ok := c.Sess.CallerFrame(sel); !ok {
		return errors.New(`"finish" not meaningful in the outermost frame.`)
	}
	c.chatter("Run till exit from %s\n", c.frameLine(st0, &st0.Frames[sel]))
	st, res, err := c.Sess.Finish()
	if err != nil {
		return runErr(err)
	}
	if st.Reason != session.StopStep {
		printStop(c, st)
		return nil
	}
	c.srcAndLoc(st, &st.Frames[0], false)
	if res != nil && res.Returned {
		if res.Unknown != "" {
			c.Printf("%s\n", res.Unknown)
		}
		for i, v := range res.Formatted {
			c.Printf("Value returned is $%d = %s\n", res.History[i], v)
		}
	}
	c.printDisplays()
	return nil
}

// chatter prints what gdb prints only for a person at a prompt
// ("Starting program:", "Continuing.", "Run till exit from ..."); batch
// mode leaves it out, as gdb --batch does.
func (c *Context) chatter(format string, args ...any) {
	if c.Interactive {
		c.Printf(format, args...)
	}
}

func cmdKill(c *Context, args string) error {
	if c.Sess.State() != session.StateStopped {
		return errors.New("The program is not being run.")
	}
	if c.Confirm != nil && !c.Confirm("Kill the program being debugged? (y or n) ") {
		return errors.New("Not confirmed.")
	}
	if err := c.Sess.Kill(); err != nil {
		return err
	}
	c.Printf("[Inferior 1 (process 1) killed]\n")
	return nil
}

func cmdHelp(c *Context, args string) error {
	if args == "" {
		writeHelp(c.Out)
		return nil
	}
	cmd, _, err := lookup(Commands(), args)
	if err != nil {
		// A prefix command on its own ("help info") is fine here.
		word, _ := splitWord(args)
		if cmd, err = find(Commands(), word); err != nil {
			return err
		}
	}
	writeCommandHelp(c.Out, cmd)
	return nil
}

func cmdEcho(c *Context, args string) error {
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`, `\"`, `"`)
	c.Printf("%s", r.Replace(args))
	return nil
}

func cmdQuit(c *Context, args string) error {
	if c.Sess.State() == session.StateStopped && c.Confirm != nil &&
		!c.Confirm("A debugging session is active.\n\n\tInferior 1 [process 1] will be killed.\n\nQuit anyway? (y or n) ") {
		return errors.New("Not confirmed.")
	}
	_ = c.Sess.Kill()
	c.interp.quit = true
	return nil
}

func cmdShowArgs(c *Context, args string) error {
	c.Printf("Argument list to give program being debugged when it is started is \"%s\".\n",
		strings.Join(c.Sess.Args(), " "))
	return nil
}

func cmdSetArgs(c *Context, args string) error {
	c.Sess.SetArgs(splitArgs(args))
	return nil
}

// splitArgs splits program arguments on spaces, honouring double and
// single quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// completeSymbol completes the last identifier of an expression with the
// names of functions and of the selected frame's variables.
func completeSymbol(c *Context, arg string) []string {
	i := strings.LastIndexFunc(arg, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	head, word := arg[:i+1], arg[i+1:]
	var names []string
	if st := c.Sess.Stop(); st != nil && st.Valid() {
		n := c.Sess.SelectedFrame()
		args, _ := c.Sess.FrameArgs(n)
		locals, _ := c.Sess.FrameLocals(n)
		for _, v := range append(args, locals...) {
			names = append(names, v.Name)
		}
	}
	names = append(names, completeFunction(c, "")...)
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, word) && !strings.Contains(n, " ") {
			out = append(out, head+n)
		}
	}
	sort.Strings(out)
	return dedupStrings(out)
}

func completeFunction(c *Context, arg string) []string {
	var out []string
	for _, m := range c.Sess.Program().Modules {
		for _, f := range m.Functions() {
			if !f.Imported && strings.HasPrefix(f.Name, arg) {
				out = append(out, f.Name)
			}
		}
	}
	sort.Strings(out)
	return dedupStrings(out)
}
