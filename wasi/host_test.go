package wasi

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"wdbg/component/abi"
)

// call calls a host function of an interface by name.
func call(t *testing.T, h *Host, iface, fn string, args ...abi.Value) []abi.Value {
	t.Helper()
	in := h.Instance(iface + "@0.2.12")
	if in == nil {
		t.Fatalf("no interface %s", iface)
	}
	res, err := in.Func(fn)(context.Background(), nil, args)
	if err != nil {
		t.Fatalf("%s#%s: %v", iface, fn, err)
	}
	return res
}

// preopen returns the descriptor of the first preopen.
func preopen(t *testing.T, h *Host) abi.Value {
	t.Helper()
	dirs := call(t, h, "wasi:filesystem/preopens", "get-directories")[0].(abi.List)
	if len(dirs) != 1 {
		t.Fatalf("%d preopens", len(dirs))
	}
	return dirs[0].(abi.Tuple)[0]
}

// openAt opens path under dir and returns the result variant.
func openAt(t *testing.T, h *Host, dir abi.Value, path string, write bool) abi.Variant {
	t.Helper()
	var flags abi.Flags = 1
	if write {
		flags |= 2
	}
	return call(t, h, "wasi:filesystem/types", "[method]descriptor.open-at", dir, abi.Flags(0), abi.String{Text: path}, abi.Flags(0), flags)[0].(abi.Variant)
}

// TestFilesystemSandbox: the guest reads what is inside its preopen and
// nothing outside it, by "..", an absolute path or a symlink; a read-only
// preopen refuses writes.
func TestFilesystemSandbox(t *testing.T) {
	root := t.TempDir()
	inside := filepath.Join(root, "granted")
	os.Mkdir(inside, 0o755)
	os.WriteFile(filepath.Join(inside, "in.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(root, "secret.txt"), []byte("secret"), 0o644)
	os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(inside, "link"))
	h := New(Config{Dirs: []Dir{{Host: inside, Guest: "/data", ReadOnly: true}}})
	dir := preopen(t, h)

	f := openAt(t, h, dir, "in.txt", false)
	if f.Case != 0 {
		t.Fatalf("open in.txt: %v", f)
	}
	got := call(t, h, "wasi:filesystem/types", "[method]descriptor.read", f.Payload, abi.U64(100), abi.U64(0))[0].(abi.Variant)
	if got.Case != 0 || !bytes.Equal(got.Payload.(abi.Tuple)[0].(abi.Bytes), []byte("hello")) {
		t.Errorf("read in.txt: %v", got)
	}
	for _, p := range []string{"../secret.txt", "/etc/passwd", "link", "sub/../../secret.txt"} {
		if r := openAt(t, h, dir, p, false); r.Case == 0 {
			t.Errorf("open %q escaped the preopen", p)
		}
	}
	if r := openAt(t, h, dir, "in.txt", true); r.Case != 1 || r.Payload.(abi.Variant).Case != errReadOnly {
		t.Errorf("open in.txt for writing in a read-only preopen: %v", r)
	}
	if d := h.DescribeResource(nil, f.Payload.(abi.Handle).Rep); d != "/data/in.txt" {
		t.Errorf("DescribeResource = %q", d)
	}
}

// TestNoGrants: without grants the guest has no preopens, no environment
// and only the arguments it was given.
func TestNoGrants(t *testing.T) {
	t.Setenv("HOME", "/should/not/leak")
	h := New(Config{Args: []string{"prog"}})
	if d := call(t, h, "wasi:filesystem/preopens", "get-directories")[0].(abi.List); len(d) != 0 {
		t.Errorf("preopens: %v", d)
	}
	if e := call(t, h, "wasi:cli/environment", "get-environment")[0].(abi.List); len(e) != 0 {
		t.Errorf("environment: %v", e)
	}
	if h.Instance("wasi:io/streams@0.3.0") != nil || h.Instance("wasi:io/streams@0.2.0") == nil {
		t.Error("version matching: 0.2.x must resolve, 0.3 must not")
	}
	res, err := h.Instance("wasi:sockets/tcp@0.2.0"), error(nil)
	if res != nil || err != nil {
		t.Error("wasi:sockets is provided, but no socket was granted")
	}
}

// TestSetTimes: set-times-at sets a file's modification time, inside a
// writable preopen only.
func TestSetTimes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644)
	h := New(Config{Dirs: []Dir{{Host: dir, Guest: "/d"}}})
	d := preopen(t, h)
	when := abi.Variant{Case: 2, Payload: abi.Record{abi.U64(1000000000), abi.U32(0)}}
	r := call(t, h, "wasi:filesystem/types", "[method]descriptor.set-times-at", d, abi.Flags(0), abi.String{Text: "f"}, when, when)
	if r[0].(abi.Variant).Case != 0 {
		t.Fatalf("set-times-at: %v", r)
	}
	fi, _ := os.Stat(filepath.Join(dir, "f"))
	if fi.ModTime().Unix() != 1000000000 {
		t.Errorf("mtime %v", fi.ModTime())
	}
	ro := New(Config{Dirs: []Dir{{Host: dir, Guest: "/d", ReadOnly: true}}})
	r = call(t, ro, "wasi:filesystem/types", "[method]descriptor.set-times-at", preopen(t, ro), abi.Flags(0), abi.String{Text: "f"}, when, when)
	if v := r[0].(abi.Variant); v.Case != 1 || v.Payload.(abi.Variant).Case != errReadOnly {
		t.Errorf("read-only set-times-at: %v", r)
	}
}
