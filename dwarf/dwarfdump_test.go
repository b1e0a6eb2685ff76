package dwarf

// A reader for llvm-dwarfdump's text output, to cross-check this package
// against the reference implementation.

import (
	"bufio"
	"bytes"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type dumpEntry struct {
	off    uint64
	tag    string
	depth  int
	attrs  map[string]string // attribute name -> text inside the parentheses (continuation lines joined with \n)
	parent *dumpEntry
}

// name returns DW_AT_name, or the name quoted in DW_AT_abstract_origin or
// DW_AT_specification.
func (e *dumpEntry) name() string {
	if s, ok := e.attrs["DW_AT_name"]; ok {
		return unquote(s)
	}
	for _, a := range []string{"DW_AT_abstract_origin", "DW_AT_specification"} {
		if s, ok := e.attrs[a]; ok {
			if i := strings.IndexByte(s, '"'); i >= 0 {
				return unquote(s[i:])
			}
		}
	}
	return ""
}

func unquote(s string) string {
	if u, err := strconv.Unquote(strings.TrimSpace(s)); err == nil {
		return u
	}
	return strings.Trim(s, `"`)
}

func hexVal(t testing.TB, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "0x"), 16, 64)
	if err != nil {
		t.Fatalf("bad hex %q", s)
	}
	return v
}

var dumpCache sync.Map

func runDump(t testing.TB, args ...string) []byte {
	t.Helper()
	key := strings.Join(args, "\x00")
	if out, ok := dumpCache.Load(key); ok {
		return out.([]byte)
	}
	out, err := exec.Command(dwarfdump(t), args...).Output()
	if err != nil {
		t.Fatalf("llvm-dwarfdump %v: %v", args, err)
	}
	dumpCache.Store(key, out)
	return out
}

var (
	reEntry = regexp.MustCompile(`^0x([0-9a-f]+):( +)(DW_TAG_\w+|NULL)`)
	reAttr  = regexp.MustCompile(`^\s+(DW_AT_\w+)\t\((.*)$`)
)

// parseDump parses DIE listings (--debug-info, --lookup).
func parseDump(out []byte) []*dumpEntry {
	var all []*dumpEntry
	var stack []*dumpEntry
	var cur *dumpEntry
	var curAttr string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if m := reEntry.FindStringSubmatch(line); m != nil {
			off, _ := strconv.ParseUint(m[1], 16, 64)
			depth := (len(m[2]) - 1) / 2
			if m[3] == "NULL" {
				cur = nil
				continue
			}
			e := &dumpEntry{off: off, tag: m[3], depth: depth, attrs: map[string]string{}}
			for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 {
				e.parent = stack[len(stack)-1]
			}
			stack = append(stack, e)
			all = append(all, e)
			cur, curAttr = e, ""
			continue
		}
		if cur == nil {
			continue
		}
		if m := reAttr.FindStringSubmatch(line); m != nil {
			curAttr = m[1]
			cur.attrs[curAttr] = strings.TrimSuffix(m[2], ")")
			continue
		}
		if strings.TrimSpace(line) == "" {
			curAttr = ""
			continue
		}
		if curAttr != "" {
			cur.attrs[curAttr] += "\n" + strings.TrimSuffix(strings.TrimSpace(line), ")")
		}
	}
	return all
}

var (
	reRange   = regexp.MustCompile(`^\[0x([0-9a-f]+), 0x([0-9a-f]+)\)(?:: (.*))?$`)
	reLineRow = regexp.MustCompile(`^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*(.*)$`)
	reFile    = regexp.MustCompile(`^file_names\[\s*(\d+)\]:`)
	reName    = regexp.MustCompile(`^\s+name: "(.*)"$`)
)

// dumpRanges parses the "[lo, hi): expr" lines of a list attribute.
func dumpRanges(t testing.TB, text string) (rs [][2]uint64, exprs []string) {
	for _, l := range strings.Split(text, "\n")[1:] {
		m := reRange.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		rs = append(rs, [2]uint64{hexVal(t, m[1]), hexVal(t, m[2])})
		exprs = append(exprs, m[3])
	}
	return rs, exprs
}

type dumpRow struct {
	addr              uint64
	line, col         int
	file              string // the file's name as in the table
	stmt, prol, endSq bool
}

// parseLines parses --debug-line output into sequences of rows, per table
// in section order.
func parseLines(t testing.TB, out []byte) [][]dumpRow {
	var seqs [][]dumpRow
	var files map[int]string
	var seq []dumpRow
	lastFile := -1
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "debug_line[") {
			files = map[int]string{}
			continue
		}
		if m := reFile.FindStringSubmatch(line); m != nil {
			lastFile, _ = strconv.Atoi(m[1])
			continue
		}
		if m := reName.FindStringSubmatch(line); m != nil && lastFile >= 0 {
			files[lastFile] = m[1]
			lastFile = -1
			continue
		}
		m := reLineRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		r := dumpRow{addr: hexVal(t, m[1])}
		r.line, _ = strconv.Atoi(m[2])
		r.col, _ = strconv.Atoi(m[3])
		fi, _ := strconv.Atoi(m[4])
		r.file = files[fi]
		flags := strings.Fields(m[8])
		r.stmt = contains(flags, "is_stmt")
		r.prol = contains(flags, "prologue_end")
		r.endSq = contains(flags, "end_sequence")
		seq = append(seq, r)
		if r.endSq {
			seqs = append(seqs, seq)
			seq = nil
		}
	}
	return seqs
}
