package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"wdbg/session"
)

// Group is a class of commands, as gdb's help lists them.
type Group int

const (
	GroupRunning Group = iota
	GroupBreakpoints
	GroupStack
	GroupData
	GroupStatus
	GroupSupport
)

var groupNames = [...]string{
	GroupRunning:     "running -- Running the program",
	GroupBreakpoints: "breakpoints -- Making the program stop at certain points",
	GroupStack:       "stack -- Examining the stack",
	GroupData:        "data -- Examining data",
	GroupStatus:      "status -- Status inquiries (info ...)",
	GroupSupport:     "support -- Support facilities",
}

// Command is one entry of the command table.
type Command struct {
	// Names: the first is the command's name, the rest its aliases. Aliases
	// win over prefix matching, so "c" is continue, as in gdb.
	Names []string
	Group Group
	Usage string // "break [LOCATION]"
	Help  string // one line
	Long  string // details, shown by "help NAME"
	// Repeat: an empty line repeats this command (step, next, x, ...).
	Repeat bool
	// Run executes the command with the text after its name.
	Run func(c *Context, args string) error
	// Sub is the sub-table of a prefix command such as "info".
	Sub []*Command
	// Complete offers completions for the argument being typed.
	Complete func(c *Context, arg string) []string
}

// Context is what a command runs with.
type Context struct {
	Sess *session.Session
	Out  io.Writer
	// Interactive: a person is at a prompt (confirmations, pagers).
	Interactive bool
	// Confirm asks a yes/no question; nil means yes.
	Confirm func(question string) bool
	interp  *Interp
}

// Printf writes formatted output.
func (c *Context) Printf(format string, args ...any) {
	fmt.Fprintf(c.Out, format, args...)
}

// Interp executes command lines against a session.
type Interp struct {
	ctx  Context
	last string // the last repeatable command line
	// x remembers the last examine format and the next address, as gdb's x
	// does.
	xFmt  xFormat
	xNext uint64
	xSet  bool
	quit  bool
	list  listState
	// displays prints the display expressions after a stop.
	displays func(c *Context)
}

// New returns an interpreter writing to out.
func New(s *session.Session, out io.Writer) *Interp {
	in := &Interp{}
	in.ctx = Context{Sess: s, Out: out, interp: in}
	in.xFmt = xFormat{count: 1, format: 'x', size: 'w'}
	in.displays = printDisplays
	return in
}

// SetInteractive marks a person at a prompt and sets how to ask them.
func (in *Interp) SetInteractive(confirm func(string) bool) {
	in.ctx.Interactive = true
	in.ctx.Confirm = confirm
}

// SetOutput redirects command output.
func (in *Interp) SetOutput(w io.Writer) { in.ctx.Out = w }

// Session returns the session the interpreter drives.
func (in *Interp) Session() *session.Session { return in.ctx.Sess }

// Quit reports whether a quit command has run.
func (in *Interp) Quit() bool { return in.quit }

// Interrupt halts a running guest; safe from any goroutine (Ctrl-C).
func (in *Interp) Interrupt() { in.ctx.Sess.Halt() }

// ErrUnknownCommand is wrapped by the error for a command not in the table.
var ErrUnknownCommand = errors.New("undefined command")

// Exec runs one command line. An empty line repeats the last repeatable
// command, as in gdb. Comments (#) and blank lines do nothing.
func (in *Interp) Exec(line string) error {
	line = strings.TrimSpace(line)
	if line == "" {
		if in.last == "" {
			return nil
		}
		line = in.last
	}
	if strings.HasPrefix(line, "#") {
		return nil
	}
	cmd, args, err := lookup(Commands(), line)
	if err != nil {
		return err
	}
	if cmd.Repeat {
		in.last = line
	} else {
		in.last = ""
	}
	return cmd.Run(&in.ctx, args)
}

// lookup finds the command for a line in a table, descending into prefix
// commands, and returns it with its argument text.
func lookup(table []*Command, line string) (*Command, string, error) {
	word, rest := splitWord(line)
	cmd, err := find(table, word)
	if err != nil {
		return nil, "", err
	}
	if len(cmd.Sub) > 0 && rest != "" {
		sw, _ := splitWord(rest)
		if sub, err := find(cmd.Sub, sw); err == nil {
			_, subRest := splitWord(rest)
			if len(sub.Sub) > 0 {
				return lookup(sub.Sub, subRest)
			}
			return sub, subRest, nil
		} else if cmd.Run == nil {
			return nil, "", fmt.Errorf("undefined %s command: %q.  Try \"help %s\"", cmd.Names[0], sw, cmd.Names[0])
		}
	}
	if cmd.Run == nil {
		return nil, "", fmt.Errorf("%q must be followed by the name of a subcommand.  Try \"help %s\"", cmd.Names[0], cmd.Names[0])
	}
	return cmd, rest, nil
}

// find resolves a word in a table: exact names and aliases first, then a
// unique prefix of a name.
func find(table []*Command, word string) (*Command, error) {
	if word == "" {
		return nil, fmt.Errorf("%w: a command starts with its name.  Try \"help\"", ErrUnknownCommand)
	}
	for _, c := range table {
		for _, n := range c.Names {
			if n == word {
				return c, nil
			}
		}
	}
	var matches []*Command
	for _, c := range table {
		if strings.HasPrefix(c.Names[0], word) {
			matches = append(matches, c)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, fmt.Errorf("%w: %q.  Try \"help\"", ErrUnknownCommand, word)
	}
	var names []string
	for _, m := range matches {
		names = append(names, m.Names[0])
	}
	sort.Strings(names)
	return nil, fmt.Errorf("ambiguous command %q: %s", word, strings.Join(names, ", "))
}

// splitWord splits a line into its first word and the trimmed rest. A word
// ends at a space or, for commands like x/4xw and p/x, at a slash.
func splitWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t/")
	if i < 0 {
		return s, ""
	}
	if s[i] == '/' {
		return s[:i], s[i:]
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// Complete returns completions of a partial command line, for line mode
// and the TUI's command bar.
func (in *Interp) Complete(line string) []string {
	table := Commands()
	prefix := ""
	for {
		word, rest := splitWord(line)
		if rest == "" && !strings.HasSuffix(line, " ") {
			var out []string
			for _, c := range table {
				for _, n := range c.Names {
					if strings.HasPrefix(n, word) && len(n) > 1 {
						out = append(out, prefix+n)
					}
				}
			}
			sort.Strings(out)
			return dedupStrings(out)
		}
		cmd, err := find(table, word)
		if err != nil {
			return nil
		}
		prefix += word + " "
		if len(cmd.Sub) > 0 {
			table, line = cmd.Sub, rest
			continue
		}
		if cmd.Complete == nil {
			return nil
		}
		var out []string
		for _, s := range cmd.Complete(&in.ctx, rest) {
			out = append(out, prefix+s)
		}
		return out
	}
}

func dedupStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
