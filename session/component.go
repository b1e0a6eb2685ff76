package session

import (
	"errors"
	"path/filepath"
	"strings"

	"wdbg/component"
)

// ComponentNode is one line of a component's structure: an import or
// export with its WIT type, a core module, a core instance, a nested
// component or instance, with what is under it.
type ComponentNode struct {
	Kind     string // "component", "import", "export", "core module", "core instance", "instance", "func", "type", "resource", "with"
	Name     string
	Detail   string // a WIT type, or how the item is made
	Children []ComponentNode
}

// Lines renders the tree, two spaces of indent per level:
// "import wasi:cli/stdout@0.2.12: instance", "  func get-stdout: func() -> own<output-stream>".
func (n ComponentNode) Lines() []string {
	var out []string
	var walk func(n ComponentNode, depth int)
	walk = func(n ComponentNode, depth int) {
		line := strings.Repeat("  ", depth) + n.Kind
		if n.Name != "" {
			line += " " + n.Name
		}
		if n.Detail != "" {
			line += ": " + n.Detail
		}
		out = append(out, line)
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// Components returns the structure of a component program (its instance
// tree, read from the binary), or false for a core module.
func (p *Program) Components() (ComponentNode, bool) {
	if p.component == nil {
		return ComponentNode{}, false
	}
	// Describing reads every core module: once per program, not at every
	// stop that refreshes a view of it.
	p.describeOnce.Do(func() {
		p.described = convertNode(component.Describe(p.component, filepath.Base(p.Path)))
	})
	return p.described, true
}

func convertNode(n *component.Node) ComponentNode {
	out := ComponentNode{Kind: n.Kind, Name: n.Name, Detail: n.Detail}
	for _, c := range n.Children {
		out.Children = append(out.Children, convertNode(c))
	}
	return out
}

// ResourceHandle is one handle in a component instance's handle table.
type ResourceHandle struct {
	Instance string // the component instance whose table holds it
	Index    uint32 // what the guest holds
	Kind     string // "own<output-stream>", "borrow<descriptor>"
	Rep      uint32 // the resource's representation
	Lends    int    // calls it is lent to now
	What     string // what it refers to, when the host can say ("stdout")
}

// resourceLister is implemented by backends that run components.
type resourceLister interface {
	Resources() []ResourceHandle
}

// Resources lists the handle tables of the component's instances at the
// current stop.
func (s *Session) Resources() ([]ResourceHandle, error) {
	if s.prog.Kind != KindComponent {
		return nil, errors.New("The program is a core module: it has no handle tables.")
	}
	t, err := s.stoppedTarget()
	if err != nil {
		return nil, err
	}
	rl, ok := t.(resourceLister)
	if !ok {
		return nil, errors.New("this backend cannot show handle tables")
	}
	return rl.Resources(), nil
}
