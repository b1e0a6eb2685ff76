package session

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"wdbg/dwarf"
)

// A location spec names places in the code, as gdb's linespecs do:
//
//	*ADDR        an instruction, by its offset in the module file (any address expression)
//	FILE:LINE    a source line (FILE may be a base name or a path suffix)
//	LINE         a line of the current file (the selected frame's, else main's)
//	+N, -N       a line relative to the current one
//	FUNC         a function: after its prologue with DWARF, else its first instruction
//	FILE:FUNC    a function of a file
//
// resolveSpec resolves a spec to code: one address per function that holds
// the line (the lowest, as gdb places them), and for a function inlined
// everywhere, one per inlined copy.

// specAddr is a resolved place, before it is moved onto a stop site.
type specAddr struct {
	mod  ModuleID
	code CodeOffset
	fn   uint32 // wasm function index
}

// resolveSpec resolves a location spec to breakpoint locations.
func (s *Session) resolveSpec(spec string) ([]BreakpointLocation, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "":
		if s.stop == nil || !s.stop.valid || len(s.stop.Frames) == 0 {
			return nil, fmt.Errorf("no default breakpoint location: the program is not stopped")
		}
		f := s.stop.Frames[s.selected]
		if f.Host != "" {
			return nil, fmt.Errorf("the selected frame is the host function %s", f.Host)
		}
		return s.resolveOffset(f.Loc.Module, f.Loc.Offset)
	case strings.HasPrefix(spec, "*"):
		off, err := s.EvalAddress(strings.TrimSpace(spec[1:]))
		if err != nil {
			return nil, err
		}
		for _, m := range s.prog.Modules {
			if _, ok := m.wasm.CodeOffsetOf(FileOffset(off)); ok {
				return s.resolveOffset(m.ID, FileOffset(off))
			}
		}
		return nil, fmt.Errorf("no code at address 0x%x", off)
	}
	if file, rest, ok := cutFileSpec(spec); ok {
		if line, err := strconv.Atoi(rest); err == nil {
			return s.resolveLine(file, line, spec)
		}
		return s.resolveFunc(rest, file)
	}
	if n, err := strconv.Atoi(spec); err == nil && !strings.HasPrefix(spec, "+") && !strings.HasPrefix(spec, "-") {
		file, err := s.defaultFile()
		if err != nil {
			return nil, err
		}
		return s.resolveLine(file, n, spec)
	}
	if (strings.HasPrefix(spec, "+") || strings.HasPrefix(spec, "-")) && len(spec) > 1 {
		n, err := strconv.Atoi(spec[1:])
		if err == nil {
			loc, err := s.currentLine()
			if err != nil {
				return nil, err
			}
			if spec[0] == '-' {
				n = -n
			}
			return s.resolveLine(loc.File, loc.Line+n, spec)
		}
	}
	return s.resolveFunc(spec, "")
}

// cutFileSpec splits "FILE:REST"; a C++ "a::b" is not a file spec.
func cutFileSpec(spec string) (file, rest string, ok bool) {
	i := strings.LastIndexByte(spec, ':')
	if i <= 0 || i == len(spec)-1 || spec[i-1] == ':' {
		return "", "", false
	}
	return spec[:i], spec[i+1:], true
}

// currentLine is the selected frame's source location.
func (s *Session) currentLine() (Location, error) {
	if st := s.stop; st != nil && st.valid && s.selected < len(st.Frames) && st.Frames[s.selected].Loc.HasSource() {
		return st.Frames[s.selected].Loc, nil
	}
	return Location{}, fmt.Errorf("no default source file: the program is not stopped at a source line")
}

// defaultFile is the file a bare line number refers to: the selected
// frame's, or the one that defines main.
func (s *Session) defaultFile() (string, error) {
	if loc, err := s.currentLine(); err == nil {
		return loc.File, nil
	}
	for _, m := range s.prog.Modules {
		if m.debug == nil {
			continue
		}
		for _, f := range m.debug.FuncByName("main") {
			if f.DeclFile != nil {
				return f.DeclFile.Name, nil
			}
		}
	}
	return "", fmt.Errorf("no default source file: name it, as in break FILE:LINE")
}

// resolveLine resolves FILE:LINE in every module with DWARF.
func (s *Session) resolveLine(file string, line int, spec string) ([]BreakpointLocation, error) {
	var addrs []specAddr
	var firstErr error
	for _, m := range s.prog.Modules {
		if m.debug == nil {
			continue
		}
		offs, _, err := m.debug.Lookup(file, line)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		// One location per function: the lowest address, as gdb does (a
		// for loop's line then stops once, at its start).
		best := map[uint32]CodeOffset{}
		for _, o := range offs {
			f, ok := m.FuncAt(CodeOffset(o))
			if !ok {
				continue
			}
			if b, seen := best[f.Index]; !seen || CodeOffset(o) < b {
				best[f.Index] = CodeOffset(o)
			}
		}
		for fn, o := range best {
			addrs = append(addrs, specAddr{mod: m.ID, code: o, fn: fn})
		}
	}
	if len(addrs) == 0 {
		if firstErr != nil {
			return nil, fmt.Errorf("%v", lineError(file, line, firstErr))
		}
		return nil, fmt.Errorf("No source file named %s.", file)
	}
	return s.locationsAt(addrs)
}

// lineError words dwarf.Lookup's errors as gdb does.
func lineError(file string, line int, err error) string {
	switch {
	case errors.Is(err, dwarf.ErrNoFile):
		return fmt.Sprintf("No source file named %s.", file)
	case errors.Is(err, dwarf.ErrNoCode):
		return fmt.Sprintf("No line %d in file \"%s\".", line, file)
	}
	return err.Error()
}

// resolveFunc resolves a function name (optionally in a file).
func (s *Session) resolveFunc(name, file string) ([]BreakpointLocation, error) {
	var addrs []specAddr
	for _, m := range s.prog.Modules {
		if m.debug == nil {
			continue
		}
		for _, df := range m.debug.FuncByName(name) {
			if file != "" && (df.DeclFile == nil || !fileMatches(df.DeclFile, file)) {
				continue
			}
			if !df.Inlined {
				pe, ok := m.debug.PrologueEnd(df)
				if !ok {
					pe = df.Low
				}
				if f, ok := m.FuncAt(CodeOffset(pe)); ok {
					addrs = append(addrs, specAddr{mod: m.ID, code: CodeOffset(pe), fn: f.Index})
				}
				continue
			}
			// Inlined everywhere: one location per inlined copy.
			for _, c := range m.debug.InlinedCalls(df) {
				if len(c.Ranges) == 0 {
					continue
				}
				o := CodeOffset(c.Ranges[0][0])
				if f, ok := m.FuncAt(o); ok {
					addrs = append(addrs, specAddr{mod: m.ID, code: o, fn: f.Index})
				}
			}
		}
	}
	if len(addrs) > 0 {
		return s.locationsAt(addrs)
	}
	if file != "" {
		return nil, fmt.Errorf("Function %q not defined in %q.", name, file)
	}
	// No DWARF function: the wasm function, at its first instruction.
	fns := s.prog.FindFunctions(name)
	if len(fns) == 0 {
		return nil, fmt.Errorf("function %q not defined", name)
	}
	var locs []BreakpointLocation
	for _, f := range fns {
		if f.Imported {
			continue
		}
		c, _ := s.prog.Modules[f.Module].code(f.Index)
		l, err := s.locationsAt([]specAddr{{mod: f.Module, code: c.BodyStart, fn: f.Index}})
		if err != nil {
			return nil, err
		}
		locs = append(locs, l...)
	}
	if len(locs) == 0 {
		return nil, fmt.Errorf("function %q is imported: it has no code to stop in", name)
	}
	return locs, nil
}

func fileMatches(f *dwarf.File, q string) bool {
	return f.Name == q || f.Path == q || strings.HasSuffix(f.Path, "/"+q)
}

// locationsAt moves resolved addresses onto stop sites.
func (s *Session) locationsAt(addrs []specAddr) ([]BreakpointLocation, error) {
	sort.Slice(addrs, func(i, j int) bool {
		if addrs[i].mod != addrs[j].mod {
			return addrs[i].mod < addrs[j].mod
		}
		return addrs[i].code < addrs[j].code
	})
	var locs []BreakpointLocation
	for _, a := range addrs {
		m := s.prog.Modules[a.mod]
		c, ok := m.code(a.fn)
		if !ok {
			continue
		}
		co := a.code
		if co < c.BodyStart {
			co = c.BodyStart
		}
		site, ok := nextSite(s.launcher.Sites(a.mod), a.fn, co)
		if !ok {
			continue
		}
		f, _ := m.Func(a.fn)
		l := BreakpointLocation{Loc: s.locate(a.mod, site.Offset), Func: f, Site: site.Offset}
		if d := m.debug; d != nil {
			if df := d.FuncAt(dwarf.CodeOffset(site.Offset)); df != nil && df.Name != "" {
				l.Func.Name = df.Name
			}
		}
		locs = append(locs, l)
	}
	if len(locs) == 0 {
		return nil, fmt.Errorf("no stop site for that location")
	}
	return locs, nil
}
