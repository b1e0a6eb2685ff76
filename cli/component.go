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
	for _, l := range root.Lines() {
		c.Printf("%s\n", l)
	}
	return nil
}

// cmdInfoWIT prints the component's world in WIT: each imported and
// exported interface with its types, its resources (methods grouped under
// them) and its functions.
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
			if n.Detail == "instance" || n.Detail == "" {
				c.Printf("  %s %s;\n", n.Kind, n.Name)
			} else {
				c.Printf("  %s %s: %s;\n", n.Kind, n.Name, witOwn(n.Detail))
			}
			continue
		}
		c.Printf("  %s %s: interface {\n", n.Kind, n.Name)
		for _, line := range witInterface(n.Children) {
			c.Printf("    %s\n", line)
		}
		c.Printf("  }\n")
	}
	c.Printf("}\n")
	return nil
}

// witInterface renders an interface's items: types, then resources with
// their methods, then free functions.
func witInterface(items []session.ComponentNode) []string {
	var types, funcs []string
	var resources []string
	methods := map[string][]string{}
	for _, k := range items {
		switch k.Kind {
		case "resource":
			resources = append(resources, k.Name)
		case "type":
			types = append(types, witTypeDef(k.Name, k.Detail))
		case "func":
			name, sig := k.Name, witOwn(k.Detail)
			switch {
			case strings.HasPrefix(name, "[method]"):
				r, m, _ := strings.Cut(strings.TrimPrefix(name, "[method]"), ".")
				methods[r] = append(methods[r], m+": "+dropSelf(sig)+";")
			case strings.HasPrefix(name, "[static]"):
				r, m, _ := strings.Cut(strings.TrimPrefix(name, "[static]"), ".")
				methods[r] = append(methods[r], m+": static "+sig+";")
			case strings.HasPrefix(name, "[constructor]"):
				r := strings.TrimPrefix(name, "[constructor]")
				ctor := strings.TrimPrefix(sig, "func")
				if i := strings.LastIndex(ctor, " -> "); i >= 0 {
					ctor = ctor[:i]
				}
				methods[r] = append(methods[r], "constructor"+ctor+";")
			default:
				funcs = append(funcs, name+": "+sig+";")
			}
		}
	}
	out := types
	for _, r := range resources {
		if len(methods[r]) == 0 {
			out = append(out, "resource "+r+";")
			continue
		}
		out = append(out, "resource "+r+" {")
		for _, m := range methods[r] {
			out = append(out, "  "+m)
		}
		out = append(out, "}")
	}
	return append(out, funcs...)
}

// witTypeDef turns "name" and "record { a: u8 }" into WIT's
// "record name { a: u8 }", and an alias into "type name = T;".
func witTypeDef(name, def string) string {
	def = witOwn(def)
	for _, kw := range []string{"record", "variant", "enum", "flags"} {
		if rest, ok := strings.CutPrefix(def, kw+" {"); ok {
			return kw + " " + name + " {" + rest
		}
	}
	return "type " + name + " = " + def + ";"
}

// witOwn writes own<R> as WIT does, plainly R.
func witOwn(s string) string {
	for {
		i := strings.Index(s, "own<")
		if i < 0 || (i > 0 && isIdentByte(s[i-1])) {
			return s
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+4:i+j] + s[i+j+1:]
	}
}

func isIdentByte(b byte) bool { return b == '-' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// dropSelf removes a method's self parameter: "func(self: borrow<r>, x: u8)".
func dropSelf(sig string) string {
	rest, ok := strings.CutPrefix(sig, "func(self: ")
	if !ok {
		return sig
	}
	depth := 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '<', '(':
			depth++
		case '>':
			depth--
		case ')':
			if depth == 0 {
				return "func()" + rest[i+1:]
			}
			depth--
		case ',':
			if depth == 0 {
				return "func(" + strings.TrimPrefix(rest[i+1:], " ")
			}
		}
	}
	return sig
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
