package wasmbin

import "slices"

// The "name" custom section
// (https://webassembly.github.io/spec/core/appendix/custom.html#name-section,
// extended by https://github.com/WebAssembly/extended-name-section).

// Name subsection ids decoded into Names; the others stay raw.
const (
	nameModule  byte = 0
	nameFunc    byte = 1
	nameLocal   byte = 2
	nameGlobal  byte = 7
	nameMaxKind byte = 11 // tag names; ids above are not defined anywhere
)

// Names is a decoded name section. A nil map means the subsection was
// absent; Encode writes a subsection for every non-nil map.
type Names struct {
	// Module is the module name; empty means absent.
	Module string
	// Funcs maps function indices to names.
	Funcs map[uint32]string
	// Locals maps function indices to (local index -> name).
	Locals map[uint32]map[uint32]string
	// Globals maps global indices to names (extended name section).
	Globals map[uint32]string
	// Other holds the subsections not decoded (labels, types, tables,
	// memories, elements, data, fields, tags), in file order.
	Other []RawSubsection
	// CustomsBefore is the number of custom sections between the last
	// non-custom section and the name section in the file. Encode writes
	// the name section after the last non-custom section (where the spec
	// wants it) and after that many of the custom sections that follow it,
	// which keeps the order of a decoded module; 0 puts it right after the
	// last non-custom section.
	CustomsBefore int
}

// RawSubsection is a name subsection kept as bytes.
type RawSubsection struct {
	ID   byte
	Data []byte
}

// decodeNames decodes a name section payload starting at file offset off.
// Every error makes the whole section malformed: the caller keeps it raw.
func decodeNames(data []byte, off int) (*Names, error) {
	r := &reader{b: data, base: off}
	n := &Names{}
	last := -1
	for r.remaining() > 0 {
		start := r.pos
		id, _ := r.byte()
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		if uint64(size) > uint64(r.remaining()) {
			return nil, r.errorf(start, "name subsection %d size %d runs past the end: %w", id, size, ErrTruncated)
		}
		if int(id) <= last {
			return nil, r.errorf(start, "name subsection %d out of order or duplicated", id)
		}
		if id > nameMaxKind {
			return nil, r.errorf(start, "unknown name subsection %d", id)
		}
		last = int(id)
		end := r.pos + int(size)
		sr := &reader{b: r.b[:end], pos: r.pos, base: off}
		switch id {
		case nameModule:
			n.Module, err = sr.name()
		case nameFunc:
			n.Funcs, err = readNameMap(sr)
		case nameLocal:
			n.Locals, err = readIndirectNameMap(sr)
		case nameGlobal:
			n.Globals, err = readNameMap(sr)
		default:
			b, _ := sr.bytes(int(size))
			n.Other = append(n.Other, RawSubsection{ID: id, Data: b})
		}
		if err != nil {
			return nil, err
		}
		if sr.pos != end {
			return nil, r.errorf(sr.pos, "name subsection %d has %d bytes left over", id, end-sr.pos)
		}
		r.pos = end
	}
	return n, nil
}

// readNameMap reads a name map. The spec wants indices in increasing
// order; some producers do not care, and losing every function name over
// it would help nobody, so order is not checked (a repeated index keeps
// its last name).
func readNameMap(r *reader) (map[uint32]string, error) {
	cnt, err := r.count(2)
	if err != nil {
		return nil, err
	}
	m := make(map[uint32]string, cnt)
	for range cnt {
		idx, err := r.u32()
		if err != nil {
			return nil, err
		}
		if m[idx], err = r.name(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func readIndirectNameMap(r *reader) (map[uint32]map[uint32]string, error) {
	cnt, err := r.count(2)
	if err != nil {
		return nil, err
	}
	m := make(map[uint32]map[uint32]string, cnt)
	for range cnt {
		idx, err := r.u32()
		if err != nil {
			return nil, err
		}
		if m[idx], err = readNameMap(r); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// encodeNames encodes the payload of the name section (without the
// section name). Subsections go in increasing id order, as the spec
// requires; maps are written sorted by index.
func encodeNames(n *Names) []byte {
	type sub struct {
		id   byte
		data []byte
	}
	var subs []sub
	if n.Module != "" {
		subs = append(subs, sub{nameModule, appendName(nil, n.Module)})
	}
	if n.Funcs != nil {
		subs = append(subs, sub{nameFunc, appendNameMap(nil, n.Funcs)})
	}
	if n.Locals != nil {
		var b []byte
		b = appendU32(b, uint32(len(n.Locals)))
		for _, k := range sortedKeys(n.Locals) {
			b = appendU32(b, k)
			b = appendNameMap(b, n.Locals[k])
		}
		subs = append(subs, sub{nameLocal, b})
	}
	if n.Globals != nil {
		subs = append(subs, sub{nameGlobal, appendNameMap(nil, n.Globals)})
	}
	for _, o := range n.Other {
		subs = append(subs, sub{o.ID, o.Data})
	}
	slices.SortStableFunc(subs, func(a, b sub) int { return int(a.id) - int(b.id) })
	var out []byte
	for _, s := range subs {
		out = append(out, s.id)
		out = appendU32(out, uint32(len(s.data)))
		out = append(out, s.data...)
	}
	return out
}

func appendNameMap(b []byte, m map[uint32]string) []byte {
	b = appendU32(b, uint32(len(m)))
	for _, k := range sortedKeys(m) {
		b = appendU32(b, k)
		b = appendName(b, m[k])
	}
	return b
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}

func sortedKeys[V any](m map[uint32]V) []uint32 {
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// LocalName returns the name of local localIdx of function funcIdx, "" if
// the name section does not give one.
func (m *Module) LocalName(funcIdx, localIdx uint32) string {
	if m.Names == nil {
		return ""
	}
	return m.Names.Locals[funcIdx][localIdx]
}
