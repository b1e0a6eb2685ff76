package cli

import (
	"fmt"
	"strings"
)

func cmdDisplay(c *Context, args string) error {
	format := ""
	if strings.HasPrefix(args, "/") {
		end := strings.IndexAny(args, " \t")
		if end < 0 {
			end = len(args)
		}
		format, args = strings.TrimPrefix(args[:end], "/"), strings.TrimSpace(args[end:])
	}
	if strings.TrimSpace(args) == "" {
		printDisplays(c)
		return nil
	}
	d := c.Sess.AddDisplay(strings.TrimSpace(args), format)
	if st := c.Sess.Stop(); st != nil && st.Valid() {
		printDisplay(c, d.ID, d.Expr, d.Format)
	}
	return nil
}

func cmdUndisplay(c *Context, args string) error {
	list, err := displayIDs(c, args)
	if err != nil {
		return err
	}
	for _, id := range list {
		if err := c.Sess.DeleteDisplay(id); err != nil {
			return err
		}
	}
	return nil
}

func displayIDs(c *Context, args string) ([]int, error) {
	if strings.TrimSpace(args) == "" {
		var out []int
		for _, d := range c.Sess.Displays() {
			out = append(out, d.ID)
		}
		return out, nil
	}
	var out []int
	for _, f := range strings.Fields(args) {
		var n int
		if _, err := fmt.Sscanf(f, "%d", &n); err != nil {
			return nil, fmt.Errorf("Arguments must be display numbers.")
		}
		out = append(out, n)
	}
	return out, nil
}

func cmdInfoDisplay(c *Context, args string) error {
	ds := c.Sess.Displays()
	if len(ds) == 0 {
		c.Printf("There are no auto-display expressions now.\n")
		return nil
	}
	c.Printf("Auto-display expressions now in effect:\nNum Enb Expression\n")
	for _, d := range ds {
		f := ""
		if d.Format != "" {
			f = "/" + d.Format + " "
		}
		c.Printf("%d:   y  %s%s\n", d.ID, f, d.Expr)
	}
	return nil
}

// printDisplays prints every display, as gdb does after a stop.
func printDisplays(c *Context) {
	st := c.Sess.Stop()
	if st == nil || !st.Valid() {
		return
	}
	for _, d := range c.Sess.Displays() {
		if c.Sess.InScope(d) {
			printDisplay(c, d.ID, d.Expr, d.Format)
		}
	}
}

func printDisplay(c *Context, id int, expr, format string) {
	v, err := c.Sess.Evaluate(expr, format)
	f := ""
	if format != "" {
		f = "/" + format + " "
	}
	if err != nil {
		c.Printf("%d: %s%s = <error: %v>\n", id, f, expr, err)
		return
	}
	c.Printf("%d: %s%s = %s\n", id, f, expr, v.Value)
}
