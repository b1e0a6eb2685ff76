package cli

import (
	"fmt"
	"io"
	"strings"
)

// writeHelp prints the command list, grouped as gdb's help is.
func writeHelp(w io.Writer) {
	fmt.Fprintf(w, "List of commands:\n")
	for g := range groupNames {
		fmt.Fprintf(w, "\nCommands in class %s:\n\n", groupNames[g])
		for _, c := range Commands() {
			if int(c.Group) != g {
				continue
			}
			fmt.Fprintf(w, "%s -- %s\n", nameWithAliases(c), c.Help)
			for _, s := range c.Sub {
				fmt.Fprintf(w, "%s %s -- %s\n", c.Names[0], s.Names[0], s.Help)
			}
		}
	}
	fmt.Fprintf(w, "\nType \"help\" followed by a command name for full documentation.\n")
	fmt.Fprintf(w, "Command name abbreviations are allowed if unambiguous.\n")
}

func nameWithAliases(c *Command) string {
	if len(c.Names) == 1 {
		return c.Names[0]
	}
	return fmt.Sprintf("%s, %s", c.Names[0], strings.Join(c.Names[1:], ", "))
}

// writeCommandHelp prints the full help of one command.
func writeCommandHelp(w io.Writer, c *Command) {
	fmt.Fprintf(w, "%s\n", c.Help)
	fmt.Fprintf(w, "Usage: %s\n", c.Usage)
	if len(c.Names) > 1 {
		fmt.Fprintf(w, "Aliases: %s\n", strings.Join(c.Names[1:], ", "))
	}
	if c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", c.Long)
	}
	if len(c.Sub) > 0 {
		fmt.Fprintf(w, "\nList of %s subcommands:\n\n", c.Names[0])
		for _, s := range c.Sub {
			fmt.Fprintf(w, "%s %s -- %s\n", c.Names[0], s.Names[0], s.Help)
		}
	}
}

// WriteMarkdown writes the command reference (docs/commands.md) from the
// table.
func WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "# wdbg commands\n\n")
	fmt.Fprintf(w, "Generated from the command table in `cli/commands.go` by `go generate ./cli`; do not edit.\n")
	fmt.Fprintf(w, "Line mode (`--cli`), batch mode (`--batch -ex CMD`) and the TUI's `:` bar all run these commands.\n")
	fmt.Fprintf(w, "A unique prefix of a command name works too, as in gdb.\n")
	for g := range groupNames {
		fmt.Fprintf(w, "\n## %s\n", strings.SplitN(groupNames[g], " -- ", 2)[1])
		for _, c := range Commands() {
			if int(c.Group) != g {
				continue
			}
			writeMarkdownCommand(w, c, "")
		}
	}
}

func writeMarkdownCommand(w io.Writer, c *Command, parent string) {
	fmt.Fprintf(w, "\n### `%s`\n\n", c.Usage)
	if len(c.Names) > 1 {
		fmt.Fprintf(w, "Aliases: %s.\n\n", "`"+strings.Join(c.Names[1:], "`, `")+"`")
	}
	fmt.Fprintf(w, "%s\n", c.Help)
	if c.Long != "" {
		fmt.Fprintf(w, "\n```\n%s\n```\n", c.Long)
	}
	if len(c.Sub) > 0 {
		fmt.Fprintf(w, "\n| command | what it does |\n|---|---|\n")
		for _, s := range c.Sub {
			fmt.Fprintf(w, "| `%s` | %s |\n", s.Usage, s.Help)
		}
	}
}
