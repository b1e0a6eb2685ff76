package abi

import "iter"

// MaxTableLength is Table.MAX_LENGTH: the largest index a table hands out.
// It keeps the top 4 bits of an index free, which the async ABI uses to
// pack an index with a 4-bit state or code.
const MaxTableLength = 1<<28 - 1

// Table is definitions.py's Table: a growable array of entries addressed by
// a 32-bit index, where index 0 is never valid and freed indices are reused
// last-freed first. A component instance keeps one for all the handles its
// guest sees (Instance.Handles) and, with the async ABI, one for its
// threads; Table is generic so both can use it.
//
// The zero value is an empty table. A Table is not safe for concurrent use:
// it belongs to a component instance, and only the goroutine running in
// that instance touches it.
type Table[E any] struct {
	slots []slot[E] // slots[0] is the reserved index 0
	free  []uint32
	live  int
}

type slot[E any] struct {
	e    E
	used bool
}

// Get returns entry i, or traps if there is none (Table.get).
func (t *Table[E]) Get(i uint32) (E, error) {
	if uint64(i) >= uint64(len(t.slots)) || !t.slots[i].used {
		var zero E
		return zero, trapf("unknown handle index %d", i)
	}
	return t.slots[i].e, nil
}

// Add stores e and returns its index, reusing the most recently freed one
// (Table.add). It traps when the table is full.
func (t *Table[E]) Add(e E) (uint32, error) {
	if len(t.slots) == 0 {
		t.slots = append(t.slots, slot[E]{})
	}
	var i uint32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
		t.slots[i] = slot[E]{e: e, used: true}
	} else {
		if len(t.slots) > MaxTableLength {
			return 0, trapf("handle table full: %d entries", MaxTableLength)
		}
		i = uint32(len(t.slots))
		t.slots = append(t.slots, slot[E]{e: e, used: true})
	}
	t.live++
	return i, nil
}

// Remove takes entry i out of the table and returns it (Table.remove).
func (t *Table[E]) Remove(i uint32) (E, error) {
	e, err := t.Get(i)
	if err != nil {
		return e, err
	}
	t.slots[i] = slot[E]{}
	t.free = append(t.free, i)
	t.live--
	return e, nil
}

// Len returns the number of entries in the table.
func (t *Table[E]) Len() int { return t.live }

// All yields the entries with their indices, in index order.
func (t *Table[E]) All() iter.Seq2[uint32, E] {
	return func(yield func(uint32, E) bool) {
		for i, s := range t.slots {
			if s.used && !yield(uint32(i), s.e) {
				return
			}
		}
	}
}
