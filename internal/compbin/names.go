package compbin

// Names is the decoded "component-name" custom section.
type Names struct {
	// Component is the component's own name (subsection 0), if any.
	Component string
	// Sorts holds the name maps of subsection 1, in file order.
	Sorts []SortNames
}

// SortNames names items of one sort.
type SortNames struct {
	// Sort is the index space named.
	Sort Sort
	// Names maps indices to names, in file order.
	Names []NameAssoc
}

// NameAssoc is one entry of a name map.
type NameAssoc struct {
	// Index is the item's index.
	Index uint32
	// Name is its name.
	Name string
}

// Lookup returns the name given to item idx of sort s, if any.
func (n *Names) Lookup(s Sort, idx uint32) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, sn := range n.Sorts {
		if sn.Sort != s {
			continue
		}
		for _, a := range sn.Names {
			if a.Index == idx {
				return a.Name, true
			}
		}
	}
	return "", false
}

// decodeNames decodes a component-name payload, or returns nil if it is
// malformed: like the core name section, a bad one is not an error.
func decodeNames(data []byte) (n *Names) {
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(*DecodeError); !ok {
				panic(e)
			}
			n = nil
		}
	}()
	r := &reader{b: data, end: len(data), sec: SectionCustom}
	n = &Names{}
	for !r.eof() {
		id := r.byte()
		size := r.u32()
		r.need(int(min(size, 1<<31-1)))
		sub := &reader{b: r.b, pos: r.pos, end: r.pos + int(size), sec: SectionCustom}
		r.pos = sub.end
		switch id {
		case 0:
			n.Component = sub.name()
		case 1:
			sn := SortNames{Sort: sub.sort()}
			cnt := sub.count()
			sn.Names = make([]NameAssoc, 0, capHint(cnt))
			for range cnt {
				sn.Names = append(sn.Names, NameAssoc{Index: sub.u32(), Name: sub.name()})
			}
			n.Sorts = append(n.Sorts, sn)
		default:
			continue // unknown subsections are skipped
		}
		if !sub.eof() {
			return nil
		}
	}
	return n
}
