package tui

import (
	"os"

	"charm.land/lipgloss/v2"
)

// Styles holds every style the TUI uses; pane code never builds its own.
// Important cues (the current line, the focused pane, changed values) use
// attributes that survive without color (reverse, bold, underline), so the
// monochrome styles differ from the colored ones only in hue.
type Styles struct {
	Border, BorderFocused lipgloss.Style
	Title, TitleFocused   lipgloss.Style
	Tab, TabActive        lipgloss.Style
	Dim                   lipgloss.Style // stale content while the guest runs

	LineNumber, CurrentLine, CursorLine lipgloss.Style
	Breakpoint, BreakpointOff, PCMarker lipgloss.Style
	Keyword, String, Comment, Number    lipgloss.Style

	Addr, Instr, CurrentInstr lipgloss.Style

	SelectedFrame, InlinedFrame lipgloss.Style

	VarName, VarType, VarValue, Changed, Error lipgloss.Style

	Stderr lipgloss.Style

	StatusBar, StatusRunning, StatusStopped, StatusExited, StatusError lipgloss.Style

	Prompt, HelpKey, HelpDesc lipgloss.Style
}

// DefaultStyles returns the styles; mono drops color (NO_COLOR, or a
// terminal without it).
func DefaultStyles(mono bool) Styles {
	s := lipgloss.NewStyle
	if mono {
		return Styles{
			Border: s(), BorderFocused: s().Bold(true),
			Title: s(), TitleFocused: s().Bold(true).Reverse(true),
			Tab: s(), TabActive: s().Bold(true).Underline(true),
			Dim:        s(),
			LineNumber: s(), CurrentLine: s().Reverse(true), CursorLine: s().Underline(true),
			Breakpoint: s().Bold(true), BreakpointOff: s(), PCMarker: s().Bold(true),
			Keyword: s().Bold(true), String: s(), Comment: s(), Number: s(),
			Addr: s(), Instr: s(), CurrentInstr: s().Reverse(true),
			SelectedFrame: s().Reverse(true), InlinedFrame: s(),
			VarName: s().Bold(true), VarType: s(), VarValue: s(), Changed: s().Underline(true).Bold(true), Error: s(),
			Stderr:    s(),
			StatusBar: s().Reverse(true), StatusRunning: s().Reverse(true).Bold(true),
			StatusStopped: s().Reverse(true), StatusExited: s().Reverse(true), StatusError: s().Reverse(true).Bold(true),
			Prompt: s().Bold(true), HelpKey: s().Bold(true), HelpDesc: s(),
		}
	}
	var (
		accent = lipgloss.Color("39")  // blue
		green  = lipgloss.Color("42")  // green
		red    = lipgloss.Color("196") // red
		yellow = lipgloss.Color("220")
		gray   = lipgloss.Color("244")
		purple = lipgloss.Color("141")
		orange = lipgloss.Color("208")
	)
	return Styles{
		Border: s().Foreground(gray), BorderFocused: s().Foreground(accent).Bold(true),
		Title: s().Foreground(gray), TitleFocused: s().Foreground(accent).Bold(true).Reverse(true),
		Tab: s().Foreground(gray), TabActive: s().Foreground(accent).Bold(true).Underline(true),
		Dim:        s().Foreground(gray),
		LineNumber: s().Foreground(gray), CurrentLine: s().Reverse(true), CursorLine: s().Underline(true),
		Breakpoint: s().Foreground(red).Bold(true), BreakpointOff: s().Foreground(gray), PCMarker: s().Foreground(green).Bold(true),
		Keyword: s().Foreground(purple).Bold(true), String: s().Foreground(orange), Comment: s().Foreground(gray).Italic(true), Number: s().Foreground(yellow),
		Addr: s().Foreground(gray), Instr: s(), CurrentInstr: s().Reverse(true),
		SelectedFrame: s().Reverse(true), InlinedFrame: s().Foreground(gray),
		VarName: s().Foreground(accent), VarType: s().Foreground(gray), VarValue: s(), Changed: s().Foreground(yellow).Bold(true).Underline(true), Error: s().Foreground(red),
		Stderr:        s().Foreground(red),
		StatusBar:     s().Background(lipgloss.Color("236")).Foreground(lipgloss.Color("252")),
		StatusRunning: s().Background(green).Foreground(lipgloss.Color("16")).Bold(true),
		StatusStopped: s().Background(accent).Foreground(lipgloss.Color("16")).Bold(true),
		StatusExited:  s().Background(gray).Foreground(lipgloss.Color("16")).Bold(true),
		StatusError:   s().Background(red).Foreground(lipgloss.Color("231")).Bold(true),
		Prompt:        s().Foreground(accent).Bold(true), HelpKey: s().Foreground(accent).Bold(true), HelpDesc: s().Foreground(gray),
	}
}

// monoFromEnv reports whether the user asked for no color.
func monoFromEnv() bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return noColor || os.Getenv("TERM") == "dumb"
}
