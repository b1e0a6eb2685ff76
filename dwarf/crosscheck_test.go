package dwarf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestLinesMatchDwarfdump checks every row of every line table against
// llvm-dwarfdump --debug-line, after dropping tombstoned sequences.
func TestLinesMatchDwarfdump(t *testing.T) {
	for _, p := range fixtures(t) {
		t.Run(p, func(t *testing.T) {
			d := load(t, p)
			seqs := parseLines(t, runDump(t, "--debug-line", p))
			var live [][]dumpRow
			for _, s := range seqs {
				if !isTombstone(s[0].addr) {
					live = append(live, s)
				}
			}
			if len(live) == 0 {
				t.Fatal("no line sequences")
			}
			sort.SliceStable(live, func(i, j int) bool { return live[i][0].addr < live[j][0].addr })
			var want []dumpRow
			for _, s := range live {
				want = append(want, s...)
			}
			sort.SliceStable(want, func(i, j int) bool {
				if want[i].addr != want[j].addr {
					return want[i].addr < want[j].addr
				}
				return want[i].endSq && !want[j].endSq
			})
			got := d.LineRows()
			if len(got) != len(want) {
				t.Fatalf("%d rows, llvm-dwarfdump has %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				fname := ""
				if g.File != nil {
					fname = path.Base(g.File.Name)
				}
				if uint64(g.Addr) != w.addr || g.Line != w.line || g.Col != w.col || g.IsStmt != w.stmt ||
					g.PrologueEnd != w.prol || g.EndSequence != w.endSq || fname != path.Base(w.file) {
					t.Fatalf("row %d: got %+v (file %s), llvm-dwarfdump %+v", i, g, fname, w)
				}
			}

			// StmtOffsets: is_stmt rows, except end_sequence rows and rows
			// at a function's low_pc (taken from llvm-dwarfdump too).
			lows := map[uint64]bool{}
			for _, f := range dumpFuncs(t, p) {
				lows[f.low] = true
			}
			var stmts []CodeOffset
			for _, w := range want {
				if w.stmt && !w.endSq && !lows[w.addr] {
					stmts = append(stmts, CodeOffset(w.addr))
				}
			}
			slices.Sort(stmts)
			stmts = slices.Compact(stmts)
			if !slices.Equal(d.StmtOffsets(), stmts) {
				t.Errorf("StmtOffsets: got %d offsets, want %d", len(d.StmtOffsets()), len(stmts))
			}
		})
	}
}

type dumpFunc struct {
	off       uint64
	name      string
	low, high uint64
}

// dumpFuncs lists the live concrete subprograms llvm-dwarfdump shows.
func dumpFuncs(t testing.TB, p string) []dumpFunc {
	var fs []dumpFunc
	for _, e := range parseDump(runDump(t, "--debug-info", p)) {
		if e.tag != "DW_TAG_subprogram" {
			continue
		}
		lo, ok := e.attrs["DW_AT_low_pc"]
		if !ok || strings.Contains(lo, "dead code") {
			continue
		}
		fs = append(fs, dumpFunc{e.off, e.name(), hexVal(t, lo), hexVal(t, e.attrs["DW_AT_high_pc"])})
	}
	return fs
}

// TestFuncsMatchDwarfdump checks the list of concrete functions.
func TestFuncsMatchDwarfdump(t *testing.T) {
	for _, p := range fixtures(t) {
		t.Run(p, func(t *testing.T) {
			d := load(t, p)
			want := dumpFuncs(t, p)
			var got []dumpFunc
			names := map[uint64]*Func{}
			for _, f := range d.Funcs() {
				got = append(got, dumpFunc{uint64(f.off), "", uint64(f.Low), uint64(f.High)})
				names[uint64(f.off)] = f
			}
			for i, w := range want {
				// llvm-dwarfdump names C++ methods by their linkage name.
				if f := names[w.off]; f == nil || w.name != f.Name && w.name != f.LinkageName {
					t.Errorf("function at %#x: llvm-dwarfdump calls it %q, got %v", w.off, w.name, f)
				}
				want[i].name = ""
			}
			sort.Slice(want, func(i, j int) bool { return want[i].off < want[j].off })
			sort.Slice(got, func(i, j int) bool { return got[i].off < got[j].off })
			if !slices.Equal(got, want) {
				t.Errorf("Funcs:\n got %v\nwant %v", got, want)
			}
			if len(d.FuncByName("main")) == 0 && !strings.Contains(p, "tiny") {
				t.Error("no main")
			}
		})
	}
}

// lookupAddrs picks addresses to check: statement sites spread over the
// user's code, plus sites inside inlined calls.
func lookupAddrs(d *Data) []CodeOffset {
	var user, inlined []CodeOffset
	for _, a := range d.StmtOffsets() {
		f := d.FuncAt(a)
		if f == nil || strings.HasPrefix(f.CU.Name, ".") {
			continue // wasi-libc
		}
		user = append(user, a)
		if len(d.InlineChain(a)) > 0 {
			inlined = append(inlined, a)
		}
	}
	pick := func(all []CodeOffset, n int) []CodeOffset {
		if len(all) <= n {
			return all
		}
		var out []CodeOffset
		for i := 0; i < n; i++ {
			out = append(out, all[i*len(all)/n])
		}
		return out
	}
	out := append(pick(user, 8), pick(inlined, 6)...)
	// Addresses between statement sites, too.
	for _, a := range pick(user, 4) {
		out = append(out, a+1)
	}
	return out
}

// lookupDump runs llvm-dwarfdump --lookup, which exits 1 when nothing
// covers the address.
func lookupDump(t *testing.T, pc CodeOffset, path string) ([]byte, bool) {
	t.Helper()
	out, err := exec.Command(dwarfdump(t), fmt.Sprintf("--lookup=%#x", pc), "-p", path).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return nil, false
	}
	if err != nil {
		t.Fatalf("llvm-dwarfdump --lookup=%#x %s: %v", pc, path, err)
	}
	return out, true
}

// TestLookupMatchesDwarfdump checks FuncAt, InlineChain and LineAt at a
// sample of addresses against llvm-dwarfdump --lookup.
func TestLookupMatchesDwarfdump(t *testing.T) {
	sawInline := false
	for _, p := range fixtures(t) {
		t.Run(p, func(t *testing.T) {
			d := load(t, p)
			for _, pc := range lookupAddrs(d) {
				out, found := lookupDump(t, pc, p)
				if !found {
					// llvm-dwarfdump finds nothing there (an address just past
					// a function, say): neither may we.
					if f := d.FuncAt(pc); f != nil {
						t.Errorf("FuncAt(%#x) = %s, llvm-dwarfdump finds no subprogram", pc, f.Name)
					}
					continue
				}
				var sub uint64
				var inl []uint64
				for _, e := range parseDump(out) {
					switch e.tag {
					case "DW_TAG_subprogram":
						if sub == 0 {
							sub = e.off
						}
					case "DW_TAG_inlined_subroutine":
						if !slices.Contains(inl, e.off) {
							inl = append(inl, e.off)
						}
					}
				}
				slices.Reverse(inl)
				f := d.FuncAt(pc)
				if f == nil || uint64(f.off) != sub {
					t.Errorf("FuncAt(%#x) = %v, llvm-dwarfdump says the subprogram at %#x", pc, f, sub)
					continue
				}
				var got []uint64
				for _, c := range d.InlineChain(pc) {
					got = append(got, uint64(c.off))
					if c.Caller != f {
						t.Errorf("InlineChain(%#x): caller %s, want %s", pc, c.Caller.Name, f.Name)
					}
				}
				sawInline = sawInline || len(got) > 0
				if !slices.Equal(got, inl) {
					t.Errorf("InlineChain(%#x) = %#x, llvm-dwarfdump %#x", pc, got, inl)
				}
				var file string
				var line, col int
				for _, l := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(l, "Line info: ") {
						fmt.Sscanf(l, "Line info: file %q, line %d, column %d", &file, &line, &col)
						file = strings.Trim(file, "'")
					}
				}
				if file == "" {
					// fmt's %q wants double quotes; llvm uses single ones.
					for _, l := range strings.Split(string(out), "\n") {
						if rest, ok := strings.CutPrefix(l, "Line info: file '"); ok {
							i := strings.IndexByte(rest, '\'')
							file = rest[:i]
							fmt.Sscanf(rest[i+1:], ", line %d, column %d", &line, &col)
						}
					}
				}
				row, ok := d.LineAt(pc)
				if !ok || row.File == nil || path.Base(row.File.Name) != path.Base(file) || row.Line != line || row.Col != col {
					t.Errorf("LineAt(%#x) = %+v, %v; llvm-dwarfdump %s:%d:%d", pc, row, ok, file, line, col)
				}
			}
		})
	}
	if !sawInline {
		t.Error("no inlined call was checked")
	}
}

// varsByOffset indexes every variable and parameter of the decoded scopes.
func varsByOffset(d *Data) map[uint64]*Var {
	m := map[uint64]*Var{}
	var walk func(s *Scope)
	walk = func(s *Scope) {
		for _, v := range s.Vars {
			m[uint64(v.off)] = v
		}
		for _, c := range s.Children {
			walk(c)
		}
	}
	for _, f := range d.Funcs() {
		for _, v := range f.Params {
			m[uint64(v.off)] = v
		}
		walk(f.Scope)
	}
	for _, g := range d.Globals() {
		m[uint64(g.off)] = g
	}
	return m
}

// TestLocationsMatchDwarfdump checks location lists (ranges and
// expressions) against llvm-dwarfdump, and Location.At at their edges.
func TestLocationsMatchDwarfdump(t *testing.T) {
	for _, p := range fixtures(t) {
		if !strings.Contains(p, ".O2.") {
			continue
		}
		t.Run(p, func(t *testing.T) {
			d := load(t, p)
			vars := varsByOffset(d)
			lists, exprs := 0, 0
			for _, e := range parseDump(runDump(t, "--debug-info", p)) {
				text, ok := e.attrs["DW_AT_location"]
				v := vars[e.off]
				if !ok || v == nil {
					continue
				}
				if !strings.Contains(text, "\n") && !strings.HasSuffix(text, ": ") {
					// A single expression.
					exprs++
					if !strings.Contains(text, "addrx") && v.Loc.Expr.String() != text {
						t.Errorf("%s at %#x: expression %q, llvm-dwarfdump %q", v.Name, e.off, v.Loc.Expr, text)
					}
					if v.Loc.List != nil {
						t.Errorf("%s at %#x: got a list", v.Name, e.off)
					}
					continue
				}
				lists++
				rs, es := dumpRanges(t, text)
				if len(rs) != len(v.Loc.List) {
					t.Errorf("%s at %#x: %d entries, llvm-dwarfdump %d", v.Name, e.off, len(v.Loc.List), len(rs))
					continue
				}
				for i, r := range rs {
					g := v.Loc.List[i]
					if uint64(g.Low) != r[0] || uint64(g.High) != r[1] {
						t.Errorf("%s at %#x: entry %d is [%#x, %#x), llvm-dwarfdump [%#x, %#x)", v.Name, e.off, i, g.Low, g.High, r[0], r[1])
					}
					if !strings.Contains(es[i], "addrx") && g.Expr.String() != es[i] {
						t.Errorf("%s at %#x: entry %d expression %q, llvm-dwarfdump %q", v.Name, e.off, i, g.Expr, es[i])
					}
					if x, ok := v.Loc.At(g.Low); !ok || x.String() != g.Expr.String() && !overlaps(v.Loc.List, g.Low) {
						t.Errorf("%s: At(%#x) = %v, %v", v.Name, g.Low, x, ok)
					}
					if _, ok := v.Loc.At(g.High); ok && !covered(v.Loc.List, g.High) {
						t.Errorf("%s: At(%#x) available past the entry", v.Name, g.High)
					}
				}
			}
			t.Logf("checked %d location lists, %d expressions", lists, exprs)
			if (lists < 5 || exprs < 5) && !strings.Contains(p, "tiny") {
				t.Errorf("checked %d location lists and %d expressions: too few", lists, exprs)
			}
		})
	}
}

func overlaps(l []LocRange, pc CodeOffset) bool {
	n := 0
	for _, e := range l {
		if e.Low <= pc && pc < e.High {
			n++
		}
	}
	return n > 1
}

func covered(l []LocRange, pc CodeOffset) bool {
	for _, e := range l {
		if e.Low <= pc && pc < e.High {
			return true
		}
	}
	return false
}

// TestStaticObjectsMatchGlobals: the static-object table, built from the
// index without decoding units, holds exactly the globals with a DW_OP_addr
// location that decoding every unit finds, with their types' sizes.
func TestStaticObjectsMatchGlobals(t *testing.T) {
	total := 0
	for _, p := range fixtures(t) {
		d := load(t, p)
		type sized struct {
			name       string
			addr, size uint64
		}
		var want []sized
		for _, g := range d.Globals() {
			e, ok := g.Loc.At(0)
			if !ok || len(e) != 5 || e[0] != opAddr {
				continue
			}
			name := g.QualifiedName
			if name == "" {
				name = g.Name
			}
			size := int64(1)
			if g.Type != nil {
				size = max(g.Type.Size(), 1)
			}
			want = append(want, sized{name, uint64(binary.LittleEndian.Uint32(e[1:])), uint64(size)})
		}
		sort.SliceStable(want, func(i, j int) bool { return want[i].addr < want[j].addr })
		var got []sized
		for _, o := range d.StaticObjects() {
			got = append(got, sized{o.Name, o.Addr, d.StaticSize(o)})
		}
		if !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Errorf("%s:\n got %v\nwant %v", p, got, want)
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("no fixture has a static object")
	}
}
