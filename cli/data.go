package cli

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"wdbg/session"
)

// xFormat is a parsed x/FMT.
type xFormat struct {
	count  int
	format byte // x d u o t c a f s i
	size   byte // b h w g
}

// parseXFormat parses "/4xw" style formats, starting from the previous
// format as gdb does.
func parseXFormat(s string, prev xFormat) (xFormat, error) {
	f := prev
	f.count = 1
	if s == "" {
		return f, nil
	}
	num := ""
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			num += string(ch)
		case strings.IndexByte("xduotcafsiz", ch) >= 0:
			f.format = ch
		case strings.IndexByte("bhwg", ch) >= 0:
			f.size = ch
		default:
			return f, fmt.Errorf("Invalid number %q.", s)
		}
	}
	if num != "" {
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			return f, fmt.Errorf("Invalid number %q.", num)
		}
		f.count = n
	}
	switch f.format {
	case 'c':
		if !strings.ContainsAny(s, "bhwg") {
			f.size = 'b'
		}
	case 'a':
		f.size = 'w'
	case 'f':
		if f.size != 'g' {
			f.size = 'w'
		}
	}
	return f, nil
}

func sizeBytes(sz byte) int {
	switch sz {
	case 'b':
		return 1
	case 'h':
		return 2
	case 'g':
		return 8
	}
	return 4
}

func cmdExamine(c *Context, args string) error {
	in := c.interp
	fmtText := ""
	if strings.HasPrefix(args, "/") {
		end := strings.IndexAny(args, " \t")
		if end < 0 {
			end = len(args)
		}
		fmtText, args = args[1:end], strings.TrimSpace(args[end:])
	}
	f, err := parseXFormat(fmtText, in.xFmt)
	if err != nil {
		return err
	}
	var addr uint64
	switch {
	case args != "":
		if addr, err = c.Sess.EvalAddress(args); err != nil {
			return err
		}
	case in.xSet:
		addr = in.xNext
	default:
		return errors.New("Argument required (starting display address).")
	}
	in.xFmt = f
	if f.format == 'i' {
		next, err := examineInstructions(c, addr, f.count)
		in.xNext, in.xSet = next, err == nil
		return err
	}
	if f.format == 's' {
		next, err := examineStrings(c, addr, f.count)
		in.xNext, in.xSet = next, err == nil
		return err
	}
	size := sizeBytes(f.size)
	buf, err := c.Sess.ReadMemory(addr, f.count*size)
	if err != nil {
		return err
	}
	perLine := 16 / size
	if f.format == 'c' {
		perLine = 8
	}
	if f.format == 'd' || f.format == 'u' || f.format == 'o' || f.format == 't' || f.format == 'f' || f.format == 'a' {
		perLine = max(1, 16/size)
		if f.format == 't' {
			perLine = max(1, 8/size)
		}
	}
	var line strings.Builder
	for i := 0; i < f.count; i++ {
		if i%perLine == 0 {
			if i > 0 {
				c.Printf("%s\n", line.String())
				line.Reset()
			}
			fmt.Fprintf(&line, "0x%x:", addr+uint64(i*size))
		}
		off := i * size
		if off+size > len(buf) {
			c.Printf("%s\n", line.String())
			return fmt.Errorf("Cannot access memory at address 0x%x", addr+uint64(off))
		}
		line.WriteByte('\t')
		line.WriteString(formatUnit(buf[off:off+size], f))
	}
	if line.Len() > 0 {
		c.Printf("%s\n", line.String())
	}
	in.xNext, in.xSet = addr+uint64(f.count*size), true
	return nil
}

// formatUnit formats one memory unit for x.
func formatUnit(b []byte, f xFormat) string {
	var u uint64
	switch len(b) {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		u = uint64(binary.LittleEndian.Uint32(b))
	default:
		u = binary.LittleEndian.Uint64(b)
	}
	bits := len(b) * 8
	signed := int64(u<<(64-bits)) >> (64 - bits)
	switch f.format {
	case 'd':
		return strconv.FormatInt(signed, 10)
	case 'u':
		return strconv.FormatUint(u, 10)
	case 'o':
		if u == 0 {
			return "0"
		}
		return "0" + strconv.FormatUint(u, 8)
	case 't':
		return fmt.Sprintf("%0*b", bits, u)
	case 'c':
		return fmt.Sprintf("%d %s", signed, charLiteral(byte(u)))
	case 'f':
		if len(b) == 8 {
			return strconv.FormatFloat(math.Float64frombits(u), 'g', -1, 64)
		}
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(u))), 'g', -1, 32)
	case 'a':
		return fmt.Sprintf("0x%x", u)
	}
	return fmt.Sprintf("0x%0*x", len(b)*2, u)
}

// charLiteral prints a byte as gdb prints a char: '\n', 'a', '\377'.
func charLiteral(b byte) string {
	switch b {
	case 0:
		return `'\000'`
	case '\n':
		return `'\n'`
	case '\t':
		return `'\t'`
	case '\r':
		return `'\r'`
	case '\'':
		return `'\''`
	case '\\':
		return `'\\'`
	}
	if b >= 0x20 && b < 0x7f {
		return "'" + string(rune(b)) + "'"
	}
	return fmt.Sprintf(`'\%03o'`, b)
}

func examineStrings(c *Context, addr uint64, n int) (uint64, error) {
	for i := 0; i < n; i++ {
		buf, err := c.Sess.ReadMemory(addr, 4096)
		if err != nil {
			return 0, err
		}
		end := 0
		for end < len(buf) && buf[end] != 0 {
			end++
		}
		c.Printf("0x%x:\t%s\n", addr, quoteC(buf[:end]))
		addr += uint64(end) + 1
	}
	return addr, nil
}

// quoteC quotes bytes as gdb prints a C string.
func quoteC(b []byte) string {
	var s strings.Builder
	s.WriteByte('"')
	for _, ch := range b {
		switch ch {
		case '"':
			s.WriteString(`\"`)
		case '\\':
			s.WriteString(`\\`)
		case '\n':
			s.WriteString(`\n`)
		case '\t':
			s.WriteString(`\t`)
		default:
			if ch >= 0x20 && ch < 0x7f {
				s.WriteByte(ch)
			} else {
				fmt.Fprintf(&s, `\%03o`, ch)
			}
		}
	}
	s.WriteByte('"')
	return s.String()
}

// examineInstructions disassembles n instructions from a code address.
func examineInstructions(c *Context, addr uint64, n int) (uint64, error) {
	m := c.Sess.Program().Modules[0]
	f, ok := m.FuncAtFile(session.FileOffset(addr))
	if !ok {
		return 0, fmt.Errorf("Cannot access memory at address 0x%x: not in a function's code", addr)
	}
	ins, err := m.Disassemble(f.Index)
	if err != nil {
		return 0, err
	}
	pc := currentPC(c)
	printed := 0
	next := addr
	for i, in := range ins {
		if uint64(in.Offset) < addr || printed == n {
			continue
		}
		mark := "  "
		if pc >= 0 && int64(in.Offset) == pc {
			mark = "=>"
		}
		c.Printf("%s %s <%s+%d>:\t%s\n", mark, hexPC(in.Offset), f.Name, uint32(in.Offset)-uint32(f.Start), in.Text)
		printed++
		if i+1 < len(ins) {
			next = uint64(ins[i+1].Offset)
		} else {
			next = uint64(f.End)
		}
	}
	return next, nil
}

// currentPC returns the selected frame's pc, or -1.
func currentPC(c *Context) int64 {
	st := c.Sess.Stop()
	if st == nil || !st.Valid() {
		return -1
	}
	f, err := c.Sess.Frame(c.Sess.SelectedFrame())
	if err != nil || f.Host != "" {
		return -1
	}
	if f.Index > 0 {
		return int64(f.Loc.Offset)
	}
	return int64(f.Loc.Offset)
}

func cmdDisassemble(c *Context, args string) error {
	prog := c.Sess.Program()
	var fn session.Function
	args = strings.TrimSpace(args)
	switch {
	case args == "":
		st, err := needStop(c)
		if err != nil {
			return errors.New("No frame selected.")
		}
		f := st.Frames[c.Sess.SelectedFrame()]
		if f.Host != "" {
			return fmt.Errorf("No function contains the host frame %s.", f.Host)
		}
		fn = f.Func
	default:
		fns := prog.FindFunctions(args)
		if len(fns) == 0 {
			addr, err := c.Sess.EvalAddress(args)
			if err != nil {
				return fmt.Errorf("No symbol %q in current context.", args)
			}
			f, ok := prog.Modules[0].FuncAtFile(session.FileOffset(addr))
			if !ok {
				return fmt.Errorf("No function contains specified address.")
			}
			fns = []session.Function{f}
		}
		fn = fns[0]
	}
	if fn.Imported {
		return fmt.Errorf("%s is imported: it has no code to disassemble.", fn.Name)
	}
	ins, err := prog.Modules[fn.Module].Disassemble(fn.Index)
	if err != nil {
		return err
	}
	pc := currentPC(c)
	c.Printf("Dump of assembler code for function %s:\n", fn.Name)
	for _, in := range ins {
		mark := "  "
		if int64(in.Offset) == pc {
			mark = "=>"
		}
		c.Printf("%s %s <+%d>:\t%s\n", mark, hexPC(in.Offset), uint32(in.Offset)-uint32(fn.Start), in.Text)
	}
	c.Printf("End of assembler dump.\n")
	return nil
}

func cmdInfoWasmLocals(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("No frame selected.")
	}
	ls, err := c.Sess.WasmLocals(c.Sess.SelectedFrame())
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		c.Printf("No locals.\n")
		return nil
	}
	missing := 0
	for _, l := range ls {
		if l.Value.Missing {
			missing++
			continue
		}
		kind := l.Type.String()
		if l.Param {
			kind += " param"
		}
		name := ""
		if l.Name != "" {
			name = " " + l.Name
		}
		c.Printf("$local%d%s (%s) = %s\n", l.Index, name, kind, l.Value)
	}
	if missing > 0 {
		c.Printf("(%d more wasm locals not captured: no debug info refers to them here; --all-locals captures every local)\n", missing)
	}
	return nil
}

func cmdInfoStack(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("No frame selected.")
	}
	vs, err := c.Sess.OperandStack(c.Sess.SelectedFrame())
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		c.Printf("The operand stack is empty.\n")
		return nil
	}
	for i, v := range vs {
		c.Printf("$stack%d (%s) = %s\n", i, v.Type, v)
	}
	return nil
}

func cmdInfoRegisters(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("The program has no registers now.")
	}
	f, err := c.Sess.Frame(c.Sess.SelectedFrame())
	if err != nil {
		return err
	}
	if f.Host != "" {
		return fmt.Errorf("frame %d is the host function %s: it has no pc", f.Index, f.Host)
	}
	pc := f.Loc.Offset
	c.Printf("%-15s0x%-18x0x%x <%s+%d>\n", "pc", uint32(pc), uint32(pc), f.Func.Name, uint32(pc)-uint32(f.Func.Start))
	return nil
}

func cmdInfoFrame(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("No stack.")
	}
	f, err := c.Sess.Frame(c.Sess.SelectedFrame())
	if err != nil {
		return err
	}
	c.Printf("Stack level %d, frame at pc %s:\n", f.Index, hexPC(f.Loc.Offset))
	if f.Host != "" {
		c.Printf(" host function %s\n", f.Host)
		return nil
	}
	c.Printf(" pc = %s in %s", hexPC(f.Loc.Offset), f.Func.Name)
	if f.Loc.HasSource() {
		c.Printf(" (%s:%d)", f.Loc.File, f.Loc.Line)
	}
	c.Printf("; saved pc = ")
	if st := c.Sess.Stop(); f.Index+1 < len(st.Frames) {
		c.Printf("%s\n", hexPC(st.Frames[f.Index+1].Return))
	} else {
		c.Printf("<host>\n")
	}
	if st := c.Sess.Stop(); f.Index+1 < len(st.Frames) {
		c.Printf(" called by frame at level %d\n", f.Index+1)
	}
	if f.Index > 0 {
		c.Printf(" caller of frame at level %d\n", f.Index-1)
	}
	c.Printf(" function %s, type %s, module %s\n", f.Func.Name, f.Func.Sig, c.Sess.Program().Modules[f.Loc.Module].Name)
	if f.LocalsCaptured {
		c.Printf(" wasm locals captured\n")
	} else {
		c.Printf(" wasm locals not captured (the frame was entered before wdbg tracked its calls)\n")
	}
	return nil
}

func cmdInfoFunctions(c *Context, args string) error {
	var re *regexp.Regexp
	if a := strings.TrimSpace(args); a != "" {
		var err error
		if re, err = regexp.Compile(a); err != nil {
			return fmt.Errorf("invalid regexp %q: %v", a, err)
		}
		c.Printf("All functions matching regular expression \"%s\":\n", a)
	} else {
		c.Printf("All defined functions:\n")
	}
	c.Printf("\nNon-debugging symbols:\n")
	for _, f := range c.Sess.Program().SortedFunctions() {
		if re != nil && !re.MatchString(f.Name) {
			continue
		}
		c.Printf("%s  %s\n", hexPC(f.Start), f.Name)
	}
	return nil
}

func cmdInfoImports(c *Context, args string) error {
	for _, m := range c.Sess.Program().Modules {
		ims := m.Imports()
		if len(ims) == 0 {
			c.Printf("%s has no imports.\n", m.Name)
			continue
		}
		c.Printf("Imports of %s:\n", m.Name)
		for _, im := range ims {
			c.Printf("  %-6s %-4d %s.%s %s\n", im.Kind, im.Index, im.Module, im.Name, im.Desc)
		}
	}
	return nil
}

func cmdInfoExports(c *Context, args string) error {
	for _, m := range c.Sess.Program().Modules {
		exs := m.Exports()
		if len(exs) == 0 {
			c.Printf("%s has no exports.\n", m.Name)
			continue
		}
		c.Printf("Exports of %s:\n", m.Name)
		for _, ex := range exs {
			c.Printf("  %-6s %-4d %s", ex.Kind, ex.Index, ex.Name)
			if ex.Desc != "" {
				c.Printf(" %s", ex.Desc)
			}
			c.Printf("\n")
		}
	}
	return nil
}

func cmdInfoMemory(c *Context, args string) error {
	mi := c.Sess.Memory()
	if !mi.Present {
		c.Printf("The module has no linear memory.\n")
		return nil
	}
	c.Printf("Memory 0: min %d pages", mi.Min)
	if mi.HasMax {
		c.Printf(", max %d pages", mi.Max)
	} else {
		c.Printf(", no maximum")
	}
	if mi.Imported != "" {
		c.Printf(", imported from %s", mi.Imported)
	}
	c.Printf("\n")
	if mi.Live {
		c.Printf("Current size: %d bytes (%d pages of 64 KiB)\n", mi.Size, mi.Size/65536)
	}
	return nil
}

func cmdInfoGlobals(c *Context, args string) error {
	gs, err := c.Sess.Globals()
	if err != nil {
		return errors.New("The program is not being run.")
	}
	if len(gs) == 0 {
		c.Printf("No globals.\n")
		return nil
	}
	for _, g := range gs {
		name := ""
		if g.Name != "" {
			name = " " + g.Name
		}
		kind := g.Type.String()
		if g.Mutable {
			kind = "mut " + kind
		}
		if g.Imported != "" {
			kind += ", imported from " + g.Imported
		}
		val := g.Value.String()
		if g.Err != nil {
			val = "<" + g.Err.Error() + ">"
		}
		c.Printf("$global%d%s (%s) = %s\n", g.Index, name, kind, val)
	}
	return nil
}

func cmdInfoProgram(c *Context, args string) error {
	st := c.Sess.Stop()
	switch c.Sess.State() {
	case session.StateNotStarted:
		c.Printf("The program being debugged is not being run.\n")
	case session.StateExited:
		c.Printf("The program being debugged is not being run.\n")
		if st != nil {
			printExit(c, st)
		}
	case session.StateStopped:
		c.Printf("\tUsing the wazero engine on %s.\n", c.Sess.Program().Path)
		c.Printf("Program stopped at %s.\n", hexPC(st.Frames[0].Loc.Offset))
		switch st.Reason {
		case session.StopBreakpoint:
			for _, id := range st.Breakpoints {
				c.Printf("It stopped at breakpoint %d.\n", id)
			}
		case session.StopStep:
			c.Printf("It stopped after being stepped.\n")
		case session.StopHalt:
			c.Printf("It stopped at a halt (interrupt).\n")
		case session.StopTrap:
			c.Printf("It stopped at a wasm trap: %s.\n", st.Trap)
		case session.StopEntry:
			c.Printf("It stopped before its first instruction.\n")
		}
	}
	return nil
}
