package session

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"wdbg/dwarf"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// ProgramKind says what kind of binary a program was loaded from.
type ProgramKind int

const (
	KindModule    ProgramKind = iota // a core WebAssembly module
	KindComponent                    // a component (several core modules)
)

// Program is the static view of what is being debugged: its core modules,
// their code, names and debug info. It does not change between runs.
type Program struct {
	Path    string // the file the user opened, absolute
	Kind    ProgramKind
	Modules []*Module
	// component is the decoded component, for KindComponent.
	component *compbin.Component
	// described is its structure, built once by Components.
	describeOnce sync.Once
	described    ComponentNode
	// Warnings are problems that degrade debugging but do not stop it, such
	// as corrupt DWARF ("wasm-level debugging only").
	Warnings []string
}

// Module is one core module of a program.
type Module struct {
	ID    ModuleID
	Name  string // display name
	Path  string // absolute path of the file holding it (for gdb clients)
	Image []byte // the original bytes, never modified
	// Offset is, in a component, where the module's bytes start in the
	// component file (0 for a program that is a core module).
	Offset FileOffset

	wasm  *wasmbin.Module
	debug *dwarf.Data
	funcs []Function     // lazily built
	syms  *moduleSymbols // lazily built, under symbolsMu
}

// Wasm returns the decoded module. For backends; front ends use the
// Session's queries.
func (m *Module) Wasm() *wasmbin.Module { return m.wasm }

// Debug returns the module's DWARF, nil if it has none. For backends.
func (m *Module) Debug() *dwarf.Data { return m.debug }

// LoadFile reads and decodes a program from a file.
func LoadFile(path string) (*Program, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	return LoadBytes(abs, b)
}

// LoadBytes decodes a program from its bytes; path names it in messages.
func LoadBytes(path string, b []byte) (*Program, error) {
	if compbin.IsComponent(b) {
		return loadComponent(path, b)
	}
	p := &Program{Path: path, Kind: KindModule}
	m, err := newModule(0, filepath.Base(path), path, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p.addModule(m)
	return p, nil
}

// addModule adds a decoded module and loads its DWARF.
func (p *Program) addModule(m *Module) {
	p.Modules = append(p.Modules, m)
	for _, w := range m.wasm.Warnings {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s: %s", m.Name, w))
	}
	if dw, err := loadDWARF(m.wasm); err != nil {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s: %v; debugging at the WebAssembly level only", m.Name, err))
		m.debug = dw // partial data, if any
	} else {
		m.debug = dw
	}
}

// loadComponent decodes a component and every core module in it (nested
// components included, in the order they are defined). Each module keeps
// its own DWARF.
func loadComponent(path string, b []byte) (*Program, error) {
	c, err := compbin.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := &Program{Path: path, Kind: KindComponent, component: c}
	var walk func(c *compbin.Component, prefix string) error
	walk = func(c *compbin.Component, prefix string) error {
		for i := range c.CoreModules {
			cm := &c.CoreModules[i]
			name := fmt.Sprintf("%smodule%d", prefix, i)
			if n, ok := c.Names.Lookup(compbin.SortCoreModule, cm.Index); ok && n != "" {
				name = prefix + n
			}
			m, err := newModule(ModuleID(len(p.Modules)), name, path, cm.Bytes)
			if err != nil {
				return fmt.Errorf("%s: core module %s at 0x%x: %w", path, name, cm.Offset, err)
			}
			m.Offset = FileOffset(cm.Offset)
			p.addModule(m)
		}
		for i, nc := range c.Components {
			if err := walk(nc, fmt.Sprintf("%scomponent%d/", prefix, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(c, ""); err != nil {
		return nil, err
	}
	if len(p.Modules) == 0 {
		return nil, fmt.Errorf("%s: the component has no core modules to debug", path)
	}
	return p, nil
}

// Component returns the decoded component of a KindComponent program, for
// backends (nil for a core module).
func (p *Program) Component() *compbin.Component { return p.component }

func newModule(id ModuleID, name, path string, image []byte) (*Module, error) {
	wm, err := wasmbin.Decode(image)
	if err != nil {
		return nil, err
	}
	return &Module{ID: id, Name: name, Path: path, Image: image, wasm: wm}, nil
}

// loadDWARF loads a module's debug sections. A module without them has no
// DWARF and no error.
func loadDWARF(wm *wasmbin.Module) (*dwarf.Data, error) {
	secs := dwarf.Sections{}
	for _, c := range wm.Customs {
		if strings.HasPrefix(c.Name, ".debug_") {
			secs[c.Name] = c.Data
		}
	}
	if len(secs) == 0 {
		return nil, nil
	}
	d, err := dwarf.Load(secs)
	if err != nil {
		// One warning, on one line, however many problems Load found.
		return d, fmt.Errorf("bad DWARF: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return d, nil
}

// Function describes a function of a module.
type Function struct {
	Module   ModuleID
	Index    uint32 // in the module's function index space
	Name     string // name section, else export name, else "func[N]"
	Sig      string // "(i32, i32) -> i32"
	Imported bool
	Import   string     // "module.name" for an imported function
	Start    FileOffset // of the first instruction (defined functions)
	End      FileOffset // just past the final `end`
}

// Functions lists the functions of a module in index order.
func (m *Module) Functions() []Function {
	if m.funcs != nil {
		return m.funcs
	}
	wm := m.wasm
	nimp := uint32(wm.NumImportedFuncs())
	total := nimp + uint32(len(wm.Funcs))
	fs := make([]Function, 0, total)
	imp := uint32(0)
	for _, im := range wm.Imports {
		if im.Kind != wasmbin.FuncKind {
			continue
		}
		fs = append(fs, Function{Module: m.ID, Index: imp, Imported: true,
			Import: im.Module + "." + im.Name, Name: m.funcName(imp)})
		imp++
	}
	for i := range wm.Funcs {
		idx := nimp + uint32(i)
		c := wm.Code[i]
		fs = append(fs, Function{Module: m.ID, Index: idx, Name: m.funcName(idx),
			Start: wm.FileOffset(c.BodyStart), End: wm.FileOffset(c.End)})
	}
	for i := range fs {
		if ft, ok := wm.FuncType(fs[i].Index); ok {
			fs[i].Sig = ft.String()
		}
	}
	m.funcs = fs
	return fs
}

func (m *Module) funcName(idx uint32) string {
	if n := m.wasm.FuncName(idx); n != "" {
		return n
	}
	return fmt.Sprintf("func[%d]", idx)
}

// FuncAt returns the defined function whose code contains off.
func (m *Module) FuncAt(off CodeOffset) (Function, bool) {
	code := m.wasm.Code
	i := sort.Search(len(code), func(i int) bool { return code[i].End > off })
	if i == len(code) || off < code[i].Start {
		return Function{}, false
	}
	return m.Functions()[m.wasm.NumImportedFuncs()+i], true
}

// Func returns function idx of the module.
func (m *Module) Func(idx uint32) (Function, bool) {
	fs := m.Functions()
	if int(idx) >= len(fs) {
		return Function{}, false
	}
	return fs[idx], true
}

// code returns the code entry of a defined function.
func (m *Module) code(idx uint32) (*wasmbin.Code, bool) {
	n := uint32(m.wasm.NumImportedFuncs())
	if idx < n || int(idx-n) >= len(m.wasm.Code) {
		return nil, false
	}
	return &m.wasm.Code[idx-n], true
}

// FindFunctions returns the functions named name: by name-section name,
// export name, or "func[N]"/"#N" index syntax, in every module.
func (p *Program) FindFunctions(name string) []Function {
	var out []Function
	for _, m := range p.Modules {
		for _, f := range m.Functions() {
			if f.Name == name {
				out = append(out, f)
			}
		}
		if len(out) > 0 {
			continue
		}
		for _, e := range m.wasm.Exports {
			if e.Kind == wasmbin.FuncKind && e.Name == name {
				if f, ok := m.Func(e.Index); ok {
					out = append(out, f)
				}
			}
		}
	}
	if len(out) == 0 {
		if idx, ok := parseFuncIndex(name); ok {
			for _, m := range p.Modules {
				if f, ok := m.Func(idx); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// parseFuncIndex accepts "func[12]" and "#12".
func parseFuncIndex(s string) (uint32, bool) {
	var n uint32
	switch {
	case strings.HasPrefix(s, "func[") && strings.HasSuffix(s, "]"):
		s = s[5 : len(s)-1]
	case strings.HasPrefix(s, "#"):
		s = s[1:]
	default:
		return 0, false
	}
	if s == "" {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' || n > (1<<32-1)/10 {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	return n, true
}
