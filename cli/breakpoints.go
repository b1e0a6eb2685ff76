package cli

import (
	"fmt"
	"strconv"
	"strings"

	"wdbg/session"
)

func cmdBreak(temporary bool) func(c *Context, args string) error {
	return func(c *Context, args string) error {
		spec, cond := splitCondition(args)
		bp, err := c.Sess.SetBreakpoint(spec, session.BreakOptions{Temporary: temporary, Condition: cond})
		if err != nil {
			return err
		}
		kind := "Breakpoint"
		if temporary {
			kind = "Temporary breakpoint"
		}
		if n := len(bp.Locations); n > 1 {
			c.Printf("%s %d at 0x%x: %s. (%d locations)\n", kind, bp.ID, uint32(bp.Locations[0].Loc.Offset), bp.Spec, n)
			return nil
		}
		for _, l := range bp.Locations {
			c.Printf("%s %d at 0x%x", kind, bp.ID, uint32(l.Loc.Offset))
			if l.Loc.HasSource() {
				c.Printf(": file %s, line %d.", l.Loc.File, l.Loc.Line)
			}
			if l.Moved {
				c.Printf(" (moved from 0x%x, which is not a stop site)", uint32(l.Requested))
			}
			c.Printf("\n")
		}
		return nil
	}
}

// ids parses breakpoint numbers; empty means every breakpoint.
func ids(c *Context, args string) ([]int, error) {
	var out []int
	if strings.TrimSpace(args) == "" {
		for _, bp := range c.Sess.Breakpoints() {
			out = append(out, bp.ID)
		}
		return out, nil
	}
	for _, f := range strings.Fields(args) {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("Convenience variable must have integer value.\nArgs must be numbers or '$' variables.")
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("inverted or bad breakpoint range %q", f)
			}
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	return out, nil
}

func cmdDelete(c *Context, args string) error {
	list, err := ids(c, args)
	if err != nil {
		return err
	}
	if strings.TrimSpace(args) == "" && len(list) > 0 && c.Confirm != nil && !c.Confirm("Delete all breakpoints? (y or n) ") {
		return nil
	}
	var errs []string
	for _, id := range list {
		if err := c.Sess.DeleteBreakpoint(id); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func cmdEnable(on bool) func(c *Context, args string) error {
	return func(c *Context, args string) error {
		list, err := ids(c, args)
		if err != nil {
			return err
		}
		for _, id := range list {
			if err := c.Sess.EnableBreakpoint(id, on); err != nil {
				return err
			}
		}
		return nil
	}
}

func cmdIgnore(c *Context, args string) error {
	f := strings.Fields(args)
	if len(f) != 2 {
		return fmt.Errorf("Argument required (a breakpoint number and a count).")
	}
	id, err1 := strconv.Atoi(f[0])
	n, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || n < 0 {
		return fmt.Errorf("usage: ignore N COUNT")
	}
	if err := c.Sess.IgnoreBreakpoint(id, n); err != nil {
		return err
	}
	switch n {
	case 0:
		c.Printf("Will stop next time breakpoint %d is reached.\n", id)
	case 1:
		c.Printf("Will ignore next crossing of breakpoint %d.\n", id)
	default:
		c.Printf("Will ignore next %d crossings of breakpoint %d.\n", n, id)
	}
	return nil
}

func cmdInfoBreakpoints(c *Context, args string) error {
	bps := c.Sess.Breakpoints()
	if len(bps) == 0 {
		c.Printf("No breakpoints.\n")
		return nil
	}
	c.Printf("Num     Type           Disp Enb Address    What\n")
	for _, bp := range bps {
		disp := "keep"
		if bp.Temporary {
			disp = "del"
		}
		enb := "y"
		if !bp.Enabled {
			enb = "n"
		}
		if bp.Kind == session.KindWatchpoint {
			c.Printf("%-7d %-14s %-4s %-3s %-10s %s\n", bp.ID, "watchpoint", disp, enb, "", bp.Spec)
		}
		for i, l := range bp.Locations {
			num := strconv.Itoa(bp.ID)
			if len(bp.Locations) > 1 {
				if i == 0 {
					c.Printf("%-7s %-14s %-4s %-3s %-10s %s\n", num, "breakpoint", disp, enb, "<MULTIPLE>", "")
				}
				num = fmt.Sprintf("%d.%d", bp.ID, i+1)
			}
			c.Printf("%-7s %-14s %-4s %-3s %s %s\n", num, "breakpoint", disp, enb, hexPC(l.Loc.Offset), what(l))
		}
		if bp.Condition != "" {
			c.Printf("\tstop only if %s\n", bp.Condition)
		}
		switch bp.Hits {
		case 0:
		case 1:
			c.Printf("\tbreakpoint already hit 1 time\n")
		default:
			c.Printf("\tbreakpoint already hit %d times\n", bp.Hits)
		}
		if bp.Ignore > 0 {
			c.Printf("\tWill ignore next %d crossings of breakpoint.\n", bp.Ignore)
		}
	}
	return nil
}

// what describes a breakpoint location: "in f at file:line", else <f+off>.
func what(l session.BreakpointLocation) string {
	if l.Loc.HasSource() {
		return fmt.Sprintf("in %s at %s:%d", l.Func.Name, l.Loc.File, l.Loc.Line)
	}
	return fmt.Sprintf("<%s+%d>", l.Func.Name, uint32(l.Loc.Offset)-uint32(l.Func.Start))
}
