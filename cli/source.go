package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"wdbg/session"
)

// listState is where `list` continues, as gdb remembers it.
type listState struct {
	loc         session.Location // the file being listed
	first, last int              // the last lines printed; 0 if none
	center      int              // a line to center the next list on, when set by a stop
}

// setCenter makes the next plain `list` center on line of loc's file.
func (l *listState) setCenter(loc session.Location, line int) {
	l.loc, l.center, l.first, l.last = loc, line, 0, 0
}

func cmdList(c *Context, args string) error {
	ls := &c.interp.list
	args = strings.TrimSpace(args)
	first := 0
	switch {
	case args == "":
		switch {
		case ls.center > 0:
			first = max(ls.center-5, 1)
			ls.center = 0
		case ls.last > 0:
			first = ls.last + 1
		default:
			loc, err := c.defaultListLocation()
			if err != nil {
				return err
			}
			ls.loc = loc
			first = max(loc.Line-5, 1)
		}
	case args == "-":
		if ls.first <= 1 {
			return errors.New("Already at the start of " + ls.loc.File + ".")
		}
		first = max(ls.first-10, 1)
		return c.listLines(first, ls.first-1)
	case strings.Contains(args, ","):
		// gdb's "list FIRST,LAST", "list FIRST," and "list ,LAST".
		from, to, _ := strings.Cut(args, ",")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		var lo, hi session.Location
		var err error
		if from != "" {
			if lo, err = c.Sess.SourceLocation(from, ls.loc); err != nil {
				return err
			}
			ls.loc = lo
		}
		if to != "" {
			if hi, err = c.Sess.SourceLocation(to, ls.loc); err != nil {
				return err
			}
			ls.loc = hi
		}
		switch {
		case from == "" && to == "":
			return errors.New("list: give a first or a last line around the comma")
		case from == "":
			return c.listLines(max(hi.Line-9, 1), hi.Line)
		case to == "":
			return c.listLines(lo.Line, lo.Line+9)
		}
		if hi.Line < lo.Line {
			return errors.New("Second line number out of range; the first is larger.")
		}
		return c.listLines(lo.Line, hi.Line)
	default:
		loc, err := c.Sess.SourceLocation(args, ls.loc)
		if err != nil {
			return err
		}
		ls.loc = loc
		first = max(loc.Line-5, 1)
	}
	return c.listLines(first, first+9)
}

// listLines prints lines [from, to] of the current list file.
func (c *Context) listLines(from, to int) error {
	ls := &c.interp.list
	lines, err := c.Sess.Source(ls.loc, from, to)
	if err != nil {
		return err
	}
	for _, l := range lines {
		c.Printf("%d\t%s\n", l.Number, l.Text)
	}
	ls.first, ls.last = lines[0].Number, lines[len(lines)-1].Number
	return nil
}

// defaultListLocation: around main, as gdb lists before the program runs.
func (c *Context) defaultListLocation() (session.Location, error) {
	return c.Sess.SourceLocation("main", session.Location{})
}

func cmdInfoSource(c *Context, args string) error {
	loc := c.interp.list.loc
	if st := c.Sess.Stop(); st != nil && st.Valid() {
		if f, err := c.Sess.Frame(c.Sess.SelectedFrame()); err == nil && f.Loc.HasSource() {
			loc = f.Loc
		}
	}
	if !loc.HasSource() {
		c.Printf("No current source file.\n")
		return nil
	}
	info, err := c.Sess.SourceInfo(loc)
	if err != nil {
		return err
	}
	c.Printf("Current source file is %s\n", loc.File)
	if info.CompDir != "" {
		c.Printf("Compilation directory is %s\n", info.CompDir)
	}
	if info.Found {
		c.Printf("Located in %s\n", loc.Path)
		c.Printf("Contains %d lines.\n", info.Lines)
	}
	c.Printf("Source language is %s.\n", info.Language)
	if info.Producer != "" {
		c.Printf("Producer is %s.\n", info.Producer)
	}
	if info.DWARFVersion > 0 {
		c.Printf("Compiled with DWARF %d debugging format.\n", info.DWARFVersion)
	}
	c.Printf("Does not include preprocessor macro info.\n")
	return nil
}

func cmdInfoLine(c *Context, args string) error {
	var loc session.Location
	if strings.TrimSpace(args) == "" {
		f, err := c.Sess.Frame(c.Sess.SelectedFrame())
		if err != nil {
			return errors.New("No line number information available.")
		}
		loc = f.Loc
	} else {
		var err error
		if loc, err = c.Sess.SourceLocation(args, c.interp.list.loc); err != nil {
			return err
		}
	}
	if !loc.HasSource() {
		return fmt.Errorf("No line number information available for address %s", hexPC(loc.Offset))
	}
	lo, hi, ok := c.Sess.LineAddresses(loc)
	if !ok {
		c.Printf("Line %d of \"%s\" is at address %s but contains no code.\n", loc.Line, loc.File, hexPC(loc.Offset))
		return nil
	}
	c.Printf("Line %d of \"%s\" starts at address %s and ends at %s.\n", loc.Line, loc.File, hexPC(lo), hexPC(hi))
	return nil
}

func cmdSetSubstitutePath(c *Context, args string) error {
	f := strings.Fields(args)
	if len(f) != 2 {
		return errors.New("Incorrect usage, too few arguments in command")
	}
	c.Sess.SubstitutePath(f[0], f[1])
	return nil
}

func cmdShowSubstitutePath(c *Context, args string) error {
	rules := c.Sess.SubstitutePaths()
	c.Printf("List of all source path substitution rules:\n")
	for _, r := range rules {
		c.Printf("  `%s' -> `%s'.\n", r[0], r[1])
	}
	return nil
}

// lineArg parses an optional count argument.
func lineArg(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
