package session

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"wdbg/dwarf"
)

// sources finds and caches source files.
//
// A file's path comes from DWARF (the compilation directory joined with the
// name in the line table), rewritten by the substitute-path rules. When
// nothing is there, which is the rule for a module built on another machine
// or in another checkout, wdbg looks for the file's trailing path components
// beside the program and in the directories above it, where gdb would give
// up.
type sources struct {
	mu      sync.Mutex
	subst   [][2]string
	progDir string
	paths   map[*dwarf.File]string // resolved path, "" if not found
	lines   map[string][]string
}

// SubstitutePath adds a rule that rewrites source paths starting with from
// to start with to (gdb's set substitute-path).
func (s *Session) SubstitutePath(from, to string) {
	src := &s.src
	src.mu.Lock()
	defer src.mu.Unlock()
	for i, r := range src.subst {
		if r[0] == from {
			src.subst[i][1] = to
			src.paths = nil
			return
		}
	}
	src.subst = append(src.subst, [2]string{from, to})
	src.paths = nil
}

// SubstitutePaths returns the substitute-path rules.
func (s *Session) SubstitutePaths() [][2]string {
	s.src.mu.Lock()
	defer s.src.mu.Unlock()
	return append([][2]string(nil), s.src.subst...)
}

// resolve returns the path at which a source file can be read, or "".
func (src *sources) resolve(f *dwarf.File) string {
	if f == nil {
		return ""
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if p, ok := src.paths[f]; ok {
		return p
	}
	if src.paths == nil {
		src.paths = map[*dwarf.File]string{}
	}
	p := src.find(f.Path)
	src.paths[f] = p
	return p
}

func (src *sources) find(path string) string {
	path = filepath.Clean(path)
	for _, r := range src.subst {
		from := filepath.Clean(r[0])
		if path == from || strings.HasPrefix(path, from+string(filepath.Separator)) {
			path = filepath.Join(r[1], strings.TrimPrefix(path, from))
			break
		}
	}
	if exists(path) {
		return path
	}
	// Fallback: the longest trailing part of the path that exists beside
	// the program or above it.
	parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(path), "/"), "/")
	dir := src.progDir
	for level := 0; level < 8 && dir != ""; level++ {
		for i := 0; i < len(parts); i++ {
			cand := filepath.Join(append([]string{dir}, parts[i:]...)...)
			if exists(cand) {
				return cand
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

func exists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// text returns the lines of a source file (1-based: index 0 is line 1).
func (src *sources) text(path string) ([]string, error) {
	src.mu.Lock()
	defer src.mu.Unlock()
	if ls, ok := src.lines[path]; ok {
		return ls, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ls []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		ls = append(ls, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if src.lines == nil {
		src.lines = map[string][]string{}
	}
	src.lines[path] = ls
	return ls, nil
}

// SourceLine is one line of a source file.
type SourceLine struct {
	Number int
	Text   string
}

// Source returns lines [from, to] of the file of loc (clipped to the file).
// The error names the file as gdb does when it cannot be read
// ("ledger.c: No such file or directory.").
func (s *Session) Source(loc Location, from, to int) ([]SourceLine, error) {
	if !loc.HasSource() {
		return nil, fmt.Errorf("no source file for this location")
	}
	path := loc.Path
	if path == "" || !exists(path) {
		return nil, fmt.Errorf("%s: No such file or directory.", loc.File)
	}
	ls, err := s.src.text(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", loc.File, err)
	}
	if from < 1 {
		from = 1
	}
	if to > len(ls) {
		to = len(ls)
	}
	var out []SourceLine
	for n := from; n <= to; n++ {
		out = append(out, SourceLine{Number: n, Text: ls[n-1]})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("Line number %d out of range; %q has %d lines.", from, loc.File, len(ls))
	}
	return out, nil
}

// SourceLineCount returns the number of lines of the file of loc.
func (s *Session) SourceLineCount(loc Location) (int, error) {
	if loc.Path == "" {
		return 0, fmt.Errorf("%s: No such file or directory.", loc.File)
	}
	ls, err := s.src.text(loc.Path)
	return len(ls), err
}

// SourceLocation resolves a location spec to a source location for
// listings: FUNC (its declaration line), FILE:LINE, LINE (in the file of
// def), *ADDR.
func (s *Session) SourceLocation(spec string, def Location) (Location, error) {
	spec = strings.TrimSpace(spec)
	if n, err := strconv.Atoi(spec); err == nil {
		if !def.HasSource() {
			var err error
			if def, err = s.SourceLocation("main", Location{}); err != nil {
				return Location{}, err
			}
		}
		def.Line = n
		return def, nil
	}
	if file, rest, ok := cutFileSpec(spec); ok {
		if n, err := strconv.Atoi(rest); err == nil {
			for _, m := range s.prog.Modules {
				if m.debug == nil {
					continue
				}
				for _, f := range m.debug.Files() {
					if fileMatches(f, file) {
						loc := Location{Module: m.ID}
						s.setSource(&loc, f, n, 0)
						return loc, nil
					}
				}
			}
			return Location{}, fmt.Errorf("No source file named %s.", file)
		}
	}
	if !strings.HasPrefix(spec, "*") {
		for _, m := range s.prog.Modules {
			if m.debug == nil {
				continue
			}
			for _, f := range m.debug.FuncByName(spec) {
				if f.DeclFile != nil && f.DeclLine > 0 {
					loc := Location{Module: m.ID}
					s.setSource(&loc, f.DeclFile, f.DeclLine, 0)
					return loc, nil
				}
			}
		}
	}
	locs, err := s.resolveSpec(spec)
	if err != nil {
		return Location{}, err
	}
	if !locs[0].Loc.HasSource() {
		return Location{}, fmt.Errorf("no source line for %s", spec)
	}
	return locs[0].Loc, nil
}

// SourceInfo describes the compile unit of a source location (info source).
type SourceInfo struct {
	CompDir      string
	Found        bool // the file was found and read
	Lines        int
	Language     string
	Producer     string
	DWARFVersion int
}

// SourceInfo describes the source file of loc.
func (s *Session) SourceInfo(loc Location) (SourceInfo, error) {
	var info SourceInfo
	m := s.prog.Modules[loc.Module]
	if m.debug == nil {
		return info, fmt.Errorf("no debug info")
	}
	info.Language = "c"
	for _, cu := range m.debug.CUs() {
		for _, f := range cu.Files {
			if f != nil && f == loc.file {
				info.CompDir, info.Producer, info.DWARFVersion = cu.CompDir, cu.Producer, cu.Version
				info.Language = languageName(cu.Language)
			}
		}
	}
	if n, err := s.SourceLineCount(loc); err == nil {
		info.Found, info.Lines = true, n
	}
	return info, nil
}

func languageName(l int) string {
	switch l {
	case 0x0001, 0x0002, 0x000c, 0x001d, 0x002c: // C89, C, C99, C11, C17
		return "c"
	case 0x0004, 0x001a, 0x0021, 0x002b: // C++ variants
		return "c++"
	case 0x001c:
		return "rust"
	}
	return "c"
}

// LineAddresses returns the code range of a source line's row block, as
// file offsets (info line).
func (s *Session) LineAddresses(loc Location) (lo, hi FileOffset, ok bool) {
	m := s.prog.Modules[loc.Module]
	if m.debug == nil {
		return 0, 0, false
	}
	pc := loc.Code
	if loc.file != nil && loc.Offset == 0 {
		offs, _, err := m.debug.Lookup(loc.File, loc.Line)
		if err != nil || len(offs) == 0 {
			return 0, 0, false
		}
		pc = CodeOffset(offs[0])
	}
	l, h, _, _, ok := lineRange(m.debug, pc)
	if !ok {
		return 0, 0, false
	}
	return m.wasm.FileOffset(l), m.wasm.FileOffset(h), true
}
