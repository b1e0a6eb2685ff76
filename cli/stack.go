package cli

import (
	"fmt"
	"strconv"
	"strings"
)

func cmdBacktrace(c *Context, args string) error {
	st, err := needStop(c)
	if err != nil {
		return err
	}
	// As gdb does (backtrace past-main off), the frames of the C runtime
	// that calls main are not shown unless -past-main is given.
	pastMain := false
	fields := strings.Fields(args)
	var rest []string
	for i := 0; i < len(fields); i++ {
		switch f := fields[i]; f {
		case "-past-main":
			pastMain = true
			if i+1 < len(fields) && (fields[i+1] == "on" || fields[i+1] == "off") {
				pastMain = fields[i+1] == "on"
				i++
			}
		default:
			rest = append(rest, f)
		}
	}
	frames := len(st.Frames)
	if !pastMain {
		for i, f := range st.Frames {
			if f.Func.Name == "main" && f.Loc.HasSource() {
				frames = i + 1
				break
			}
		}
	}
	limit := frames
	if len(rest) > 0 {
		n, err := strconv.Atoi(rest[0])
		if err != nil {
			return fmt.Errorf("No symbol \"%s\" in current context.", rest[0])
		}
		if n >= 0 && n < limit {
			limit = n
		}
	}
	for i := 0; i < limit; i++ {
		c.Printf("%s\n", c.frameLine(st, &st.Frames[i]))
	}
	if limit < frames {
		c.Printf("(More stack frames follow...)\n")
	}
	return nil
}

func cmdFrame(c *Context, args string) error {
	if _, err := needStop(c); err != nil {
		return err
	}
	n := c.Sess.SelectedFrame()
	if a := strings.TrimSpace(args); a != "" {
		v, err := strconv.Atoi(a)
		if err != nil {
			return err
		}
		n = v
	}
	f, err := c.Sess.SelectFrame(n)
	if err != nil {
		return err
	}
	c.srcAndLoc(c.Sess.Stop(), f, true)
	return nil
}

func cmdUpDown(dir int) func(c *Context, args string) error {
	return func(c *Context, args string) error {
		st, err := needStop(c)
		if err != nil {
			return err
		}
		n, err := count(args)
		if err != nil {
			return err
		}
		target := c.Sess.SelectedFrame() + dir*n
		switch {
		case target >= len(st.Frames):
			if c.Sess.SelectedFrame() == len(st.Frames)-1 {
				return errorString("Initial frame selected; you cannot go up.")
			}
			target = len(st.Frames) - 1
		case target < 0:
			if c.Sess.SelectedFrame() == 0 {
				return errorString("Bottom (innermost) frame selected; you cannot go down.")
			}
			target = 0
		}
		f, err := c.Sess.SelectFrame(target)
		if err != nil {
			return err
		}
		c.srcAndLoc(st, f, true)
		return nil
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
