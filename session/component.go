package session

import (
	"path/filepath"

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

// Components returns the structure of a component program (its instance
// tree, read from the binary), or false for a core module.
func (p *Program) Components() (ComponentNode, bool) {
	if p.component == nil {
		return ComponentNode{}, false
	}
	return convertNode(component.Describe(p.component, filepath.Base(p.Path))), true
}

func convertNode(n *component.Node) ComponentNode {
	out := ComponentNode{Kind: n.Kind, Name: n.Name, Detail: n.Detail}
	for _, c := range n.Children {
		out.Children = append(out.Children, convertNode(c))
	}
	return out
}
