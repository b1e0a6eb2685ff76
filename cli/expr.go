package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"wdbg/session"
)

// This file holds the commands over C expressions: print, output, ptype,
// whatis, set var, info args and locals, watch and condition.

// splitFormat splits "/x EXPR" into the format letters and the rest.
func splitFormat(args string) (string, string) {
	args = strings.TrimSpace(args)
	if !strings.HasPrefix(args, "/") {
		return "", args
	}
	end := strings.IndexAny(args, " \t")
	if end < 0 {
		end = len(args)
	}
	return args[1:end], strings.TrimSpace(args[end:])
}

func cmdPrint(c *Context, args string) error {
	format, expr := splitFormat(args)
	if expr == "" {
		expr = "$"
	}
	r, err := c.Sess.Print(expr, format)
	if err != nil {
		return err
	}
	c.Printf("$%d = %s\n", r.History, r.Text)
	return nil
}

func cmdCall(c *Context, args string) error {
	format, expr := splitFormat(args)
	if expr == "" {
		return errors.New("The history is empty.")
	}
	r, err := c.Sess.Print(expr, format)
	if err != nil {
		return err
	}
	if !r.Void {
		c.Printf("$%d = %s\n", r.History, r.Text)
	}
	return nil
}

func cmdOutput(c *Context, args string) error {
	format, expr := splitFormat(args)
	if expr == "" {
		return errors.New("Argument required (expression to compute).")
	}
	s, err := c.Sess.Output(expr, format)
	if err != nil {
		return err
	}
	c.Printf("%s", s)
	return nil
}

func cmdPtype(c *Context, args string) error {
	_, expr := splitFormat(args)
	if expr == "" {
		expr = "$"
	}
	s, err := c.Sess.Ptype(expr)
	if err != nil {
		return err
	}
	c.Printf("type = %s\n", s)
	return nil
}

func cmdWhatis(c *Context, args string) error {
	expr := strings.TrimSpace(args)
	if expr == "" {
		expr = "$"
	}
	s, err := c.Sess.Whatis(expr)
	if err != nil {
		return err
	}
	c.Printf("type = %s\n", s)
	return nil
}

func cmdSetVar(c *Context, args string) error {
	if strings.TrimSpace(args) == "" {
		return errors.New("Argument required (expression to compute).")
	}
	return c.Sess.SetVariable(args)
}

// cmdSetExpr is "set EXPR" for an expression that is not a setting, as
// gdb allows ("set x = 3").
func cmdSetExpr(c *Context, args string) error {
	if !strings.Contains(args, "=") {
		w, _ := splitWord(args)
		return fmt.Errorf("undefined set command: %q.  Try \"help set\"", w)
	}
	return cmdSetVar(c, args)
}

func cmdInfoArgs(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("No frame selected.")
	}
	n := c.Sess.SelectedFrame()
	if !c.Sess.HasDebugInfo(n) {
		return errors.New("No symbol table info available.")
	}
	vs, err := c.Sess.FrameArgs(n)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		c.Printf("No arguments.\n")
		return nil
	}
	for _, v := range vs {
		c.Printf("%s = %s\n", v.Name, v.Value)
	}
	return nil
}

func cmdInfoLocals(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return errors.New("No frame selected.")
	}
	n := c.Sess.SelectedFrame()
	if !c.Sess.HasDebugInfo(n) {
		return cmdInfoWasmLocals(c, args)
	}
	vs, err := c.Sess.FrameLocals(n)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		c.Printf("No locals.\n")
		return nil
	}
	for _, v := range vs {
		c.Printf("%s = %s\n", v.Name, v.Value)
	}
	return nil
}

func cmdWatch(c *Context, args string) error {
	expr := strings.TrimSpace(args)
	if expr == "" {
		return errors.New("Argument required (expression to compute).")
	}
	bp, err := c.Sess.Watch(expr)
	if err != nil {
		return err
	}
	c.Printf("Watchpoint %d: %s\n", bp.ID, expr)
	return nil
}

func cmdCondition(c *Context, args string) error {
	w, rest := splitWord(args)
	if w == "" {
		return errors.New("Argument required (breakpoint number).")
	}
	id, err := strconv.Atoi(w)
	if err != nil {
		return fmt.Errorf("Bad breakpoint argument: '%s'", w)
	}
	if err := c.Sess.SetCondition(id, rest); err != nil {
		return err
	}
	if rest == "" {
		c.Printf("Breakpoint %d now unconditional.\n", id)
	}
	return nil
}

// printWatch prints a watchpoint stop's header, as gdb does.
func printWatch(c *Context, st *session.Stop) {
	w := st.Watch
	if w.OutOfScope {
		c.Printf("\nWatchpoint %d deleted because the program has left the block in\nwhich its expression is valid.\n", w.ID)
		return
	}
	c.Printf("\nWatchpoint %d: %s\n\nOld value = %s\nNew value = %s\n", w.ID, w.Expr, w.Old, w.New)
}

// splitCondition splits "LOCATION if COND".
func splitCondition(args string) (string, string) {
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, "if ") || args == "if" {
		return "", strings.TrimSpace(strings.TrimPrefix(args, "if"))
	}
	if i := strings.Index(args, " if "); i >= 0 {
		return strings.TrimSpace(args[:i]), strings.TrimSpace(args[i+4:])
	}
	if i := strings.Index(args, " if("); i >= 0 {
		return strings.TrimSpace(args[:i]), strings.TrimSpace(args[i+3:])
	}
	return args, ""
}
