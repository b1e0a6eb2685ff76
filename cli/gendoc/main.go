// Command gendoc writes docs/commands.md from the cli command table.
package main

import (
	"bytes"
	"fmt"
	"os"

	"wdbg/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gendoc OUTPUT.md")
		os.Exit(2)
	}
	var b bytes.Buffer
	cli.WriteMarkdown(&b)
	if err := os.WriteFile(os.Args[1], b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
