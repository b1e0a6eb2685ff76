package session

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Breakpoint is a logical breakpoint: what the user asked for, resolved to
// one or more stop sites. It outlives runs; each new run is armed from it.
type Breakpoint struct {
	ID        int
	Kind      BreakKind
	Spec      string // as the user wrote it: "apply", "*0x2b4"; a watchpoint's expression
	Temporary bool
	Enabled   bool
	Condition string
	Ignore    int // hits still to ignore
	Hits      int
	Locations []BreakpointLocation // none for a watchpoint
	watch     *watch
}

// BreakKind says whether a breakpoint stops at code or on a change of
// data.
type BreakKind int

const (
	KindBreakpoint BreakKind = iota
	KindWatchpoint           // a software watchpoint (watch EXPR)
)

// BreakpointLocation is one site a breakpoint resolved to.
type BreakpointLocation struct {
	Loc  Location
	Func Function
	Site CodeOffset
	// Requested is the address the user asked for, when it was not a stop
	// site and the breakpoint moved forward to the next one.
	Requested FileOffset
	Moved     bool
}

// BreakOptions are the options of a new breakpoint.
type BreakOptions struct {
	Temporary bool
	Condition string
}

type siteKey struct {
	mod  ModuleID
	site CodeOffset
}

// breakpoints holds the session's logical breakpoints and keeps the
// target's armed sites equal to the union of the enabled ones.
type breakpoints struct {
	sess   *Session
	list   []*Breakpoint
	nextID int
	armed  map[siteKey]bool // what the current target has armed
}

// Breakpoints returns the breakpoints in ID order.
func (s *Session) Breakpoints() []*Breakpoint { return s.bps.list }

// Breakpoint returns breakpoint id.
func (s *Session) Breakpoint(id int) (*Breakpoint, bool) {
	for _, bp := range s.bps.list {
		if bp.ID == id {
			return bp, true
		}
	}
	return nil, false
}

// SetBreakpoint sets a breakpoint at a location spec (see resolveSpec):
// FUNC, FILE:LINE, LINE, *ADDR... An address between stop sites moves
// forward to the next site, and the location says so.
func (s *Session) SetBreakpoint(spec string, opts BreakOptions) (*Breakpoint, error) {
	locs, err := s.resolveSpec(spec)
	if err != nil {
		return nil, err
	}
	if err := s.checkCondition(opts.Condition); err != nil {
		return nil, err
	}
	s.bps.nextID++
	bp := &Breakpoint{ID: s.bps.nextID, Spec: spec, Temporary: opts.Temporary, Enabled: true,
		Condition: opts.Condition, Locations: locs}
	s.bps.list = append(s.bps.list, bp)
	s.bps.sync()
	s.events.publish(BreakpointsChanged{})
	return bp, nil
}

// DeleteBreakpoint deletes breakpoint id.
func (s *Session) DeleteBreakpoint(id int) error {
	for i, bp := range s.bps.list {
		if bp.ID == id {
			s.bps.list = append(s.bps.list[:i], s.bps.list[i+1:]...)
			s.bps.sync()
			s.events.publish(BreakpointsChanged{})
			return nil
		}
	}
	return fmt.Errorf("No breakpoint number %d.", id)
}

// EnableBreakpoint enables or disables breakpoint id.
func (s *Session) EnableBreakpoint(id int, on bool) error {
	bp, ok := s.Breakpoint(id)
	if !ok {
		return fmt.Errorf("No breakpoint number %d.", id)
	}
	bp.Enabled = on
	s.bps.sync()
	s.events.publish(BreakpointsChanged{})
	return nil
}

// IgnoreBreakpoint makes breakpoint id ignore its next count hits.
func (s *Session) IgnoreBreakpoint(id, count int) error {
	bp, ok := s.Breakpoint(id)
	if !ok {
		return fmt.Errorf("No breakpoint number %d.", id)
	}
	bp.Ignore = max(count, 0)
	return nil
}

// arm arms a breakpoint on a fresh target.
func (b *breakpoints) arm(*Breakpoint) {
	b.armed = nil
	b.sync()
}

// sync makes the target's armed sites the union of the enabled locations.
func (b *breakpoints) sync() {
	t := b.sess.target
	if t == nil {
		b.armed = nil
		return
	}
	want := map[siteKey]bool{}
	for _, bp := range b.list {
		if !bp.Enabled {
			continue
		}
		for _, l := range bp.Locations {
			want[siteKey{l.Loc.Module, l.Site}] = true
		}
	}
	for k := range b.armed {
		if !want[k] {
			_ = t.SetBreakpoint(k.mod, k.site, false)
		}
	}
	for k := range want {
		if !b.armed[k] {
			_ = t.SetBreakpoint(k.mod, k.site, true)
		}
	}
	b.armed = want
}

// hit returns the IDs of the breakpoints that take a stop at frame 0 of ts,
// testing conditions (cond), counting hits and honouring ignore counts, in
// gdb's order: a hit counts only if the condition holds. A condition that
// cannot be evaluated stops, with the error in note.
func (b *breakpoints) hit(ts *TargetStop, cond func(bp *Breakpoint) (bool, error)) (ids []int, note string) {
	if len(ts.Frames) == 0 {
		return nil, ""
	}
	f := ts.Frames[0]
	for _, bp := range b.list {
		if !bp.Enabled || !bp.at(f.Module, f.PC) {
			continue
		}
		if bp.Condition != "" {
			ok, err := cond(bp)
			if err != nil {
				note += fmt.Sprintf("Error in testing condition for breakpoint %d:\n%v\n", bp.ID, err)
				ok = true
			}
			if !ok {
				continue
			}
		}
		bp.Hits++
		if bp.Ignore > 0 {
			bp.Ignore--
			continue
		}
		ids = append(ids, bp.ID)
	}
	return ids, strings.TrimSuffix(note, "\n")
}

func (bp *Breakpoint) at(m ModuleID, site CodeOffset) bool {
	for _, l := range bp.Locations {
		if l.Loc.Module == m && l.Site == site {
			return true
		}
	}
	return false
}

// afterStop deletes the temporary breakpoints that were hit.
func (b *breakpoints) afterStop(hits []int) {
	changed := false
	for _, id := range hits {
		if bp, ok := b.sess.Breakpoint(id); ok && bp.Temporary {
			_ = b.sess.DeleteBreakpoint(id)
			changed = true
		}
	}
	if changed {
		b.sync()
	}
}

// resolveOffset resolves a breakpoint on an instruction address, moving it
// to the next stop site of the same function when needed.
func (s *Session) resolveOffset(mod ModuleID, off FileOffset) ([]BreakpointLocation, error) {
	m := s.prog.Modules[mod]
	co, ok := m.wasm.CodeOffsetOf(off)
	if !ok {
		return nil, fmt.Errorf("address 0x%x is not in the code section", uint32(off))
	}
	f, ok := m.FuncAt(co)
	if !ok {
		return nil, fmt.Errorf("address 0x%x is not inside a function", uint32(off))
	}
	c, _ := m.code(f.Index)
	if co < c.BodyStart {
		co = c.BodyStart // the locals declaration: mean the first instruction
	}
	site, ok := nextSite(s.launcher.Sites(mod), f.Index, co)
	if !ok {
		return nil, fmt.Errorf("no stop site at or after 0x%x in %s", uint32(off), f.Name)
	}
	l := BreakpointLocation{Loc: s.locate(mod, site.Offset), Func: f, Site: site.Offset}
	if site.Offset != co || off != m.wasm.FileOffset(co) {
		l.Moved, l.Requested = true, off
	}
	return []BreakpointLocation{l}, nil
}

// nextSite finds the first site of function fn at or after off.
func nextSite(sites []Site, fn uint32, off CodeOffset) (Site, bool) {
	i := sort.Search(len(sites), func(i int) bool { return sites[i].Offset >= off })
	if i < len(sites) && sites[i].Func == fn {
		return sites[i], true
	}
	return Site{}, false
}

// parseAddress parses a number in C syntax: 0x hex, 0 octal, else decimal.
func parseAddress(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid address %q", s)
	}
	return v, nil
}
