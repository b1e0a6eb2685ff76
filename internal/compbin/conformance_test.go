package compbin

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// conformanceDir holds the component-model spec tests (.wast), as data in
// the shared folder beside the repository.
var conformanceDir = filepath.Join("..", "..", "..", "shared", "conformance", "component-model")

// maxConformanceForms caps how many text components are assembled, to
// keep the test short (the suite has about 255 text components and 360
// assert_invalid ones; jco assembles them all in a few seconds).
const maxConformanceForms = 1000

// TestConformance decodes the components of the spec's .wast tests: every
// top-level "(component ...)" (and "(component definition ...)") form is
// assembled with jco's wast parser (testdata/assemble.mjs, the code behind
// `jco parse`, in one node process) and must decode; "(component binary
// ...)" forms are decoded directly; "(assert_malformed (component binary
// ...))" forms must not panic, and all but a listed few must fail; the
// components of assert_invalid and assert_unlinkable are assembled too and
// must not panic (they are valid syntax, so most decode).
func TestConformance(t *testing.T) {
	if _, err := os.Stat(conformanceDir); err != nil {
		if e2eRequired() {
			t.Fatalf("spec tests not found: %v", err)
		}
		t.Skipf("spec tests not found: %v", err)
	}
	node := tool(t, "node")
	tool(t, "jco")
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v", err)
	}
	npmRoot := strings.TrimSpace(string(out))

	var files []string
	filepath.WalkDir(conformanceDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".wast") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	if len(files) < 50 {
		t.Fatalf("only %d .wast files under %s", len(files), conformanceDir)
	}

	dir := t.TempDir()
	origin := map[string]string{} // wat base name -> file:form
	binaries, malformed := 0, 0
	var acceptedMalformed []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(conformanceDir, f)
		for i, form := range sexprItems(string(src)) {
			head := listHead(form, 2)
			where := fmt.Sprintf("%s form %d", rel, i+1)
			switch {
			case len(head) >= 2 && head[0] == "component" && head[1] == "binary":
				b, ok := wastBinary(form)
				if !ok {
					t.Fatalf("%s: cannot read binary strings", where)
				}
				if _, err := Decode(b); err != nil {
					t.Errorf("%s: %v", where, err)
				}
				binaries++
			case len(head) >= 1 && head[0] == "component" && (len(head) < 2 || head[1] != "quote" && head[1] != "instance"):
				if len(origin) >= maxConformanceForms {
					continue
				}
				text := form
				if len(head) >= 2 && head[1] == "definition" {
					text = strings.Replace(text, "definition", "", 1)
				}
				name := fmt.Sprintf("c%04d", len(origin))
				origin[name] = where
				if err := os.WriteFile(filepath.Join(dir, name+".wat"), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			case len(head) >= 1 && (head[0] == "assert_invalid" || head[0] == "assert_unlinkable"):
				// Valid syntax, invalid semantics: decoding need not fail,
				// but must not panic.
				items := sexprItems(form[1 : len(form)-1])
				if len(items) < 2 || len(origin) >= maxConformanceForms {
					continue
				}
				if h := listHead(items[1], 2); len(h) < 1 || h[0] != "component" || len(h) >= 2 && (h[1] == "quote" || h[1] == "binary") {
					continue
				}
				name := fmt.Sprintf("i%04d", len(origin))
				origin[name] = where
				if err := os.WriteFile(filepath.Join(dir, name+".wat"), []byte(strings.Replace(items[1], "definition", "", 1)), 0o644); err != nil {
					t.Fatal(err)
				}
			case len(head) >= 1 && head[0] == "assert_malformed":
				items := sexprItems(form[1 : len(form)-1]) // "assert_malformed" (component ...) "message"
				if len(items) < 2 {
					continue
				}
				if h := listHead(items[1], 2); len(h) < 2 || h[0] != "component" || h[1] != "binary" {
					continue
				}
				b, ok := wastBinary(items[1])
				if !ok {
					t.Fatalf("%s: cannot read binary strings", where)
				}
				malformed++
				_, err := Decode(b) // a panic fails the test by itself
				if err == nil {
					acceptedMalformed = append(acceptedMalformed, where)
				} else if !errors.As(err, new(*DecodeError)) {
					t.Errorf("%s: %T is not a *DecodeError", where, err)
				}
			}
		}
	}

	cmd := exec.Command(node, filepath.Join("testdata", "assemble.mjs"), npmRoot, dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node assemble.mjs: %v\n%s", err, msg)
	}
	names := make([]string, 0, len(origin))
	for n := range origin {
		names = append(names, n)
	}
	sort.Strings(names)
	decoded, failed, invalid, invalidRejected := 0, 0, 0, 0
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n+".wasm"))
		if err != nil {
			msg, _ := os.ReadFile(filepath.Join(dir, n+".err"))
			t.Logf("%s: jco cannot assemble it: %.200s", origin[n], msg)
			failed++
			continue
		}
		c, err := Decode(b)
		if n[0] == 'i' {
			invalid++
			if err != nil {
				t.Logf("%s (assert_invalid): %v", origin[n], err)
				invalidRejected++
				if !errors.As(err, new(*DecodeError)) {
					t.Errorf("%s: %T is not a *DecodeError", origin[n], err)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", origin[n], err)
			continue
		}
		checkLayout(t, b, c)
		_ = c.Summary()
		decoded++
	}
	t.Logf("%d text components: %d decoded, %d not assembled by jco; %d assert_invalid components (%d rejected while decoding); %d binary components; %d assert_malformed binaries, %d accepted: %v",
		len(names)-invalid, decoded, failed, invalid, invalidRejected, binaries, malformed, len(acceptedMalformed), acceptedMalformed)
	if decoded < 250 {
		t.Errorf("only %d spec components decoded, want at least 250", decoded)
	}
	if malformed < 50 {
		t.Errorf("only %d assert_malformed binaries found", malformed)
	}
	// Decoding is not validation: the malformed binaries that only a
	// validator rejects are listed here.
	for _, w := range acceptedMalformed {
		if !knownAcceptedMalformed[w] {
			t.Errorf("%s: malformed binary decoded without error", w)
		}
	}
}

// knownAcceptedMalformed lists assert_malformed binaries that decode: their
// defects are semantic (found by validation, which this package leaves to
// its users).
var knownAcceptedMalformed = map[string]bool{
	// A core module whose sections are out of order: embedded core modules
	// are kept as bytes, not decoded.
	"binary/binary.wast form 41": true,
}

// sexprItems splits s into its top-level items: lists (with their
// parentheses), strings (with their quotes) and atoms, skipping comments.
func sexprItems(s string) []string {
	var items []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(s[i:], ";;"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "(;"):
			i = skipBlockComment(s, i)
		case c == '(':
			start, depth := i, 0
		scan:
			for i < len(s) {
				switch {
				case strings.HasPrefix(s[i:], "(;"):
					i = skipBlockComment(s, i)
					continue
				case strings.HasPrefix(s[i:], ";;"):
					for i < len(s) && s[i] != '\n' {
						i++
					}
					continue
				case s[i] == '"':
					i = skipString(s, i)
					continue
				case s[i] == '(':
					depth++
				case s[i] == ')':
					depth--
				}
				i++
				if depth == 0 {
					break scan
				}
			}
			items = append(items, s[start:i])
		case c == '"':
			start := i
			i = skipString(s, i)
			items = append(items, s[start:i])
		default:
			start := i
			for i < len(s) && !strings.ContainsRune(" \t\n\r()\";", rune(s[i])) {
				i++
			}
			if i == start { // a stray ')' or ';'
				i++
				continue
			}
			items = append(items, s[start:i])
		}
	}
	return items
}

func skipBlockComment(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "(;"):
			depth++
			i += 2
		case strings.HasPrefix(s[i:], ";)"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}

func skipString(s string, i int) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// listHead returns up to n leading atoms of a list form.
func listHead(form string, n int) []string {
	if !strings.HasPrefix(form, "(") {
		return nil
	}
	var head []string
	for _, it := range sexprItems(form[1 : len(form)-1]) {
		if len(head) == n || strings.HasPrefix(it, "(") || strings.HasPrefix(it, "\"") {
			break
		}
		head = append(head, it)
	}
	return head
}

// wastBinary concatenates the strings of a "(component binary ...)" form.
func wastBinary(form string) ([]byte, bool) {
	var b []byte
	for _, it := range sexprItems(form[1 : len(form)-1]) {
		if !strings.HasPrefix(it, "\"") {
			continue
		}
		s, ok := wastString(it[1 : len(it)-1])
		if !ok {
			return nil, false
		}
		b = append(b, s...)
	}
	return b, true
}

// wastString decodes the escapes of a wast string literal's contents.
func wastString(s string) ([]byte, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b = append(b, s[i])
			continue
		}
		i++
		if i >= len(s) {
			return nil, false
		}
		switch c := s[i]; c {
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case '"', '\'', '\\':
			b = append(b, c)
		case 'u':
			end := strings.IndexByte(s[i:], '}')
			if i+1 >= len(s) || s[i+1] != '{' || end < 0 {
				return nil, false
			}
			v, err := strconv.ParseUint(s[i+2:i+end], 16, 32)
			if err != nil {
				return nil, false
			}
			b = utf8.AppendRune(b, rune(v))
			i += end
		default:
			if i+1 >= len(s) {
				return nil, false
			}
			v, err := strconv.ParseUint(s[i:i+2], 16, 8)
			if err != nil {
				return nil, false
			}
			b = append(b, byte(v))
			i++
		}
	}
	return b, true
}
