package cli

import (
	"errors"
	"fmt"
	"strings"

	"wdbg/session"
)

var errNotComponent = errors.New("The program is a core module, not a component.")

func cmdInfoComponents(c *Context, args string) error {
	root, ok := c.Sess.Program().Components()
	if !ok {
		return errNotComponent
	}
	var walk func(n session.ComponentNode, depth int)
	walk = func(n session.ComponentNode, depth int) {
		line := strings.Repeat("  ", depth) + n.Kind
		if n.Name != "" {
			line += " " + n.Name
		}
		if n.Detail != "" {
			line += ": " + n.Detail
		}
		c.Printf("%s\n", line)
		for _, k := range n.Children {
			walk(k, depth+1)
		}
	}
	walk(root, 0)
	return nil
}

// cmdInfoWIT prints the component's world: its imports and exports, with
// the functions, types and resources of each interface.
func cmdInfoWIT(c *Context, args string) error {
	root, ok := c.Sess.Program().Components()
	if !ok {
		return errNotComponent
	}
	c.Printf("world %s {\n", strings.TrimSuffix(root.Name, ".wasm"))
	for _, n := range root.Children {
		if n.Kind != "import" && n.Kind != "export" {
			continue
		}
		if len(n.Children) == 0 {
			if n.Detail == "instance" {
				c.Printf("  %s %s;\n", n.Kind, n.Name)
			} else {
				c.Printf("  %s %s: %s;\n", n.Kind, n.Name, n.Detail)
			}
			continue
		}
		c.Printf("  %s %s: interface {\n", n.Kind, n.Name)
		for _, k := range n.Children {
			switch k.Kind {
			case "resource":
				c.Printf("    resource %s;\n", k.Name)
			case "type":
				c.Printf("    type %s = %s;\n", k.Name, k.Detail)
			default:
				c.Printf("    %s: %s;\n", k.Name, k.Detail)
			}
		}
		c.Printf("  }\n")
	}
	c.Printf("}\n")
	return nil
}

func cmdSetTraceCalls(c *Context, args string) error {
	switch strings.TrimSpace(args) {
	case "on", "1", "yes", "":
		c.Sess.SetTraceCalls(true)
	case "off", "0", "no":
		c.Sess.SetTraceCalls(false)
	default:
		return errors.New(`"on" or "off" expected.`)
	}
	return nil
}

func cmdShowTraceCalls(c *Context, args string) error {
	state := "off"
	if c.Sess.TraceCalls() {
		state = "on"
	}
	c.Printf("Tracing of calls across component boundaries is %s.\n", state)
	return nil
}

// cmdInfoResources prints the component instances' handle tables.
func cmdInfoResources(c *Context, args string) error {
	hs, err := c.Sess.Resources()
	if err != nil {
		return err
	}
	if len(hs) == 0 {
		c.Printf("No handles.\n")
		return nil
	}
	c.Printf("%-10s %-5s %-28s %-5s %s\n", "Instance", "Index", "Handle", "Rep", "Refers to")
	for _, h := range hs {
		what := h.What
		if h.Lends > 0 {
			what += fmt.Sprintf(" (lent to %d calls)", h.Lends)
		}
		c.Printf("%-10s %-5d %-28s %-5d %s\n", h.Instance, h.Index, h.Kind, h.Rep, strings.TrimSpace(what))
	}
	return nil
}
