package session

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"wdbg/internal/wasmbin"
)

// Describe writes the static structure of a module, without running it
// (wdbg inspect): its sections with their file offsets and sizes, imports
// and exports with their types, memories, tables and globals, and what its
// debug info covers.
func (m *Module) Describe(w io.Writer) {
	wm := m.wasm
	fmt.Fprintf(w, "%s: WebAssembly core module, %d bytes\n", m.Name, len(m.Image))

	fmt.Fprintf(w, "\nSections:\n")
	fmt.Fprintf(w, "  %-22s %10s %10s  %s\n", "section", "offset", "size", "contents")
	for _, sec := range wm.Sections {
		name := sec.ID.String()
		if sec.ID == wasmbin.SectionCustom {
			name = "custom " + sec.Name
		}
		line := fmt.Sprintf("  %-22s %#10x %#10x  %s", name, uint64(sec.Start), sec.Size, sectionContents(wm, sec))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}

	imps := m.Imports()
	fmt.Fprintf(w, "\nImports (%d):\n", len(imps))
	for _, e := range imps {
		fmt.Fprintf(w, "  %s.%s: %s %d %s\n", e.Module, e.Name, e.Kind, e.Index, e.Desc)
	}
	exps := m.Exports()
	fmt.Fprintf(w, "\nExports (%d):\n", len(exps))
	for _, e := range exps {
		desc := e.Desc
		if e.Kind == "func" {
			if f, ok := m.Func(e.Index); ok && f.Name != e.Name {
				desc = f.Name + " " + desc
			}
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %s: %s %d %s", e.Name, e.Kind, e.Index, strings.TrimSpace(desc)), " "))
	}

	fmt.Fprintf(w, "\nFunctions: %d defined, %d imported\n", len(wm.Funcs), wm.NumImportedFuncs())
	for i, mt := range wm.Mems {
		fmt.Fprintf(w, "Memory %d: pages %s\n", wm.NumImportedMems()+i, limitsString(mt.Limits))
	}
	for i, tt := range wm.Tables {
		fmt.Fprintf(w, "Table %d: %s %s\n", wm.NumImportedTables()+i, tt.Elem, limitsString(tt.Limits))
	}
	if len(wm.Globals) > 0 {
		fmt.Fprintf(w, "Globals: %d defined, %d imported\n", len(wm.Globals), wm.NumImportedGlobals())
	}
	if wm.Start != nil {
		fmt.Fprintf(w, "Start function: %d (%s)\n", *wm.Start, wm.FuncName(*wm.Start))
	}

	fmt.Fprintf(w, "\nDebug info: ")
	d := m.debug
	if d == nil {
		fmt.Fprintf(w, "none (debugging at the WebAssembly level)\n")
		return
	}
	cus := d.CUs()
	versions := map[int]bool{}
	var names []string
	for _, cu := range cus {
		versions[cu.Version] = true
		names = append(names, filepath.Base(cu.Name))
	}
	var vs []string
	for v := range versions {
		vs = append(vs, fmt.Sprint(v))
	}
	sort.Strings(vs)
	fmt.Fprintf(w, "DWARF %s, %d compile units, %d functions, %d source files\n",
		strings.Join(vs, "/"), len(cus), len(d.Funcs()), len(d.Files()))
	const show = 8
	if len(names) > show {
		names = append(names[:show], fmt.Sprintf("... %d more", len(cus)-show))
	}
	fmt.Fprintf(w, "  units: %s\n", strings.Join(names, ", "))
	if errs := d.Errors(); len(errs) > 0 {
		fmt.Fprintf(w, "  problems: %d (first: %v)\n", len(errs), errs[0])
	}
}

// sectionContents summarises what a section holds.
func sectionContents(wm *wasmbin.Module, sec wasmbin.Section) string {
	plural := func(n int, what string) string {
		if n == 1 {
			return "1 " + what
		}
		if what == "memory" {
			return fmt.Sprintf("%d memories", n)
		}
		return fmt.Sprintf("%d %ss", n, what)
	}
	switch sec.ID {
	case wasmbin.SectionType:
		return plural(len(wm.Types), "type")
	case wasmbin.SectionImport:
		return plural(len(wm.Imports), "import")
	case wasmbin.SectionFunction:
		return plural(len(wm.Funcs), "function")
	case wasmbin.SectionTable:
		return plural(len(wm.Tables), "table")
	case wasmbin.SectionMemory:
		return plural(len(wm.Mems), "memory")
	case wasmbin.SectionGlobal:
		return plural(len(wm.Globals), "global")
	case wasmbin.SectionExport:
		return plural(len(wm.Exports), "export")
	case wasmbin.SectionElement:
		return plural(len(wm.Elems), "element segment")
	case wasmbin.SectionCode:
		if len(wm.Code) == 1 {
			return "1 function body"
		}
		return fmt.Sprintf("%d function bodies", len(wm.Code))
	case wasmbin.SectionData:
		return plural(len(wm.Datas), "data segment")
	case wasmbin.SectionCustom:
		if sec.Name == "name" && wm.Names != nil {
			return "function, local and global names"
		}
	}
	return ""
}
