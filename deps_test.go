package wdbg_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestLayering is a statement of policy, in the spirit of Go's own
// deps_test.go: it checks which wdbg packages may import which. Do not
// change these rules to make a build pass; change the code.
//
//   - Front ends (cli, tui, gdbstub adapters, record) reach the debugger
//     through session only: never engine, dwarf, wazero or the codec.
//   - Leaf packages (internal/wasmbin, dwarf, component, gdbstub) use the
//     standard library only.
//   - Only engine and wasi import wazero; only tui imports charm.land; only
//     cli imports liner.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	type pkg struct {
		ImportPath string
		Imports    []string
	}
	// Front ends: may import session (and gdbstub, for the adapter), never
	// the debugger's insides.
	frontEnds := []string{"wdbg/cli", "wdbg/tui", "wdbg/record", "wdbg/gdbstub/sessiontarget"}
	insides := []string{"wdbg/engine", "wdbg/dwarf", "wdbg/internal/", "wdbg/launch", "wdbg/component", "wdbg/wasi", "github.com/tetratelabs/wazero"}
	// Leaves: the standard library only (their own subpackages aside).
	leaves := []string{"wdbg/internal/wasmbin", "wdbg/internal/compbin", "wdbg/dwarf", "wdbg/gdbstub", "wdbg/component/abi"}
	seen := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		if isUnder(p.ImportPath, frontEnds) {
			for _, imp := range p.Imports {
				for _, bad := range insides {
					if imp == strings.TrimSuffix(bad, "/") || strings.HasPrefix(imp, strings.TrimSuffix(bad, "/")+"/") {
						t.Errorf("%s imports %s: front ends talk to session only", p.ImportPath, imp)
					}
				}
			}
		}
		if isUnder(p.ImportPath, leaves) && !isUnder(p.ImportPath, frontEnds) {
			for _, imp := range p.Imports {
				thirdParty := strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
				otherWdbg := strings.HasPrefix(imp, "wdbg/") && !isUnder(imp, []string{p.ImportPath}) && !isUnder(p.ImportPath, []string{imp})
				if thirdParty || otherWdbg && !sameLeaf(p.ImportPath, imp, leaves) {
					t.Errorf("%s imports %s: leaf packages use the standard library only", p.ImportPath, imp)
				}
			}
		}
		for _, imp := range p.Imports {
			switch {
			case strings.HasPrefix(imp, "github.com/tetratelabs/wazero") && !isUnder(p.ImportPath, []string{"wdbg/engine", "wdbg/wasi", "wdbg/component"}):
				t.Errorf("%s imports %s: only engine, wasi and component run wazero", p.ImportPath, imp)
			case strings.HasPrefix(imp, "charm.land/") && !isUnder(p.ImportPath, []string{"wdbg/tui"}):
				t.Errorf("%s imports %s: only tui uses Bubble Tea", p.ImportPath, imp)
			case strings.HasPrefix(imp, "github.com/charmbracelet/bubbletea") || strings.HasPrefix(imp, "github.com/charmbracelet/lipgloss") || strings.HasPrefix(imp, "github.com/charmbracelet/bubbles"):
				t.Errorf("%s imports %s: use the charm.land/.../v2 import paths only", p.ImportPath, imp)
			case strings.HasPrefix(imp, "github.com/go-delve/liner") && !isUnder(p.ImportPath, []string{"wdbg/cli"}):
				t.Errorf("%s imports %s: only cli uses liner", p.ImportPath, imp)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list found only %d packages", seen)
	}
}

// sameLeaf reports whether a and b are in the same leaf tree.
func sameLeaf(a, b string, leaves []string) bool {
	for _, l := range leaves {
		if isUnder(a, []string{l}) && isUnder(b, []string{l}) {
			return true
		}
	}
	return false
}

// isUnder reports whether path is one of roots or below one.
func isUnder(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	return false
}
