package wasi

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"time"

	"wdbg/component/abi"
)

// descriptor is the host object behind a wasi:filesystem descriptor: a
// directory or file inside a preopen, opened through an os.Root so that no
// path (with "..", absolute, or through a symlink) leaves the preopen.
type descriptor struct {
	root     *os.Root
	rel      string // path inside root ("." for the preopen itself)
	guest    string // the path as the guest sees it, for the debugger
	file     *os.File
	dir      bool
	readOnly bool
}

func (d *descriptor) Close() error {
	if d.file != nil {
		return d.file.Close()
	}
	return nil
}

// The error-code enum's cases used here, by index in wasi:filesystem/types.
const (
	errAccess      = 0
	errExist       = 7
	errInvalid     = 12
	errIO          = 13
	errIsDirectory = 14
	errNoEntry     = 20
	errNotDir      = 24
	errReadOnly    = 33
)

// errorCode maps a Go error to an error-code.
func errorCode(err error) abi.Value {
	c := errIO
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c = errNoEntry
	case errors.Is(err, fs.ErrExist):
		c = errExist
	case errors.Is(err, fs.ErrPermission):
		c = errAccess
	case errors.Is(err, fs.ErrInvalid):
		c = errInvalid
	}
	return fail(abi.Variant{Case: uint32(c)})
}

func failCode(c int) []abi.Value { return one(fail(abi.Variant{Case: uint32(c)})) }

// descriptor-type cases.
const (
	typeUnknown   = 0
	typeDirectory = 3
	typeSymlink   = 5
	typeRegular   = 6
)

func fileType(m fs.FileMode) uint32 {
	switch {
	case m.IsDir():
		return typeDirectory
	case m.IsRegular():
		return typeRegular
	case m&fs.ModeSymlink != 0:
		return typeSymlink
	}
	return typeUnknown
}

func datetime(t time.Time) abi.Value {
	return some(abi.Record{abi.U64(t.Unix()), abi.U32(t.Nanosecond())})
}

// stat is a descriptor-stat record.
func stat(fi fs.FileInfo) abi.Value {
	mt := datetime(fi.ModTime())
	return abi.Record{abi.Variant{Case: fileType(fi.Mode())}, abi.U64(1), abi.U64(fi.Size()), mt, mt, mt}
}

func (h *Host) defineFilesystem() {
	const t = "wasi:filesystem/types"
	h.resource(t, "descriptor")
	h.resource(t, "directory-entry-stream")
	h.share(t, "wasi:io/streams", "input-stream")
	h.share(t, "wasi:io/streams", "output-stream")
	h.share(t, "wasi:io/streams", "error")
	h.share("wasi:filesystem/preopens", t, "descriptor")
	h.fn("wasi:filesystem/preopens", "get-directories", func([]abi.Value) ([]abi.Value, error) {
		var l abi.List
		for _, d := range h.cfg.Dirs {
			root, err := os.OpenRoot(d.Host)
			if err != nil {
				continue // reported when the grant was made; a vanished directory is just absent
			}
			l = append(l, abi.Tuple{h.add(&descriptor{root: root, rel: ".", guest: d.Guest, dir: true, readOnly: d.ReadOnly}), str(d.Guest)})
		}
		return one(l), nil
	})
	desc := func(v abi.Value) (*descriptor, error) { return object[*descriptor](h, v) }
	h.fn(t, "filesystem-error-code", func([]abi.Value) ([]abi.Value, error) { return one(none), nil })
	h.fn(t, "[method]descriptor.get-type", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if d.dir {
			return one(ok(abi.Variant{Case: typeDirectory})), nil
		}
		return one(ok(abi.Variant{Case: typeRegular})), nil
	})
	h.fn(t, "[method]descriptor.get-flags", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		f := abi.Flags(1) // read
		if !d.readOnly {
			f |= 2 // write
			if d.dir {
				f |= 1 << 5 // mutate-directory
			}
		}
		return one(ok(f)), nil
	})
	h.fn(t, "[method]descriptor.stat", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		fi, err := d.root.Stat(d.rel)
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(stat(fi))), nil
	})
	h.fn(t, "[method]descriptor.stat-at", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		p, _ := args[2].(abi.String)
		fi, err := d.root.Lstat(path.Join(d.rel, p.Text))
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(stat(fi))), nil
	})
	h.fn(t, "[method]descriptor.open-at", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if !d.dir {
			return failCode(errNotDir), nil
		}
		p, _ := args[2].(abi.String)
		oflags, _ := args[3].(abi.Flags)
		dflags, _ := args[4].(abi.Flags)
		rel := path.Join(d.rel, p.Text)
		create, directory, exclusive, truncate := oflags&1 != 0, oflags&2 != 0, oflags&4 != 0, oflags&8 != 0
		write := dflags&2 != 0
		if (write || create || truncate) && d.readOnly {
			return failCode(errReadOnly), nil
		}
		fi, statErr := d.root.Stat(rel)
		if statErr == nil && fi.IsDir() {
			if write {
				return failCode(errIsDirectory), nil
			}
			return one(ok(h.add(&descriptor{root: d.root, rel: rel, guest: path.Join(d.guest, p.Text), dir: true, readOnly: d.readOnly}))), nil
		}
		if directory {
			if statErr != nil {
				return one(errorCode(statErr)), nil
			}
			return failCode(errNotDir), nil
		}
		mode := os.O_RDONLY
		if write {
			mode = os.O_RDWR
		}
		if create {
			mode |= os.O_CREATE
		}
		if exclusive {
			mode |= os.O_EXCL
		}
		if truncate {
			mode |= os.O_TRUNC
		}
		f, err := d.root.OpenFile(rel, mode, 0o644)
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(h.add(&descriptor{root: d.root, rel: rel, guest: path.Join(d.guest, p.Text), file: f, readOnly: d.readOnly || !write}))), nil
	})
	h.fn(t, "[method]descriptor.read-via-stream", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if d.file == nil {
			return failCode(errIsDirectory), nil
		}
		off, _ := args[1].(abi.U64)
		return one(ok(h.add(&inputStream{r: io.NewSectionReader(d.file, int64(off), math.MaxInt64-int64(off)), name: d.guest}))), nil
	})
	writeStream := func(d *descriptor, off int64) []abi.Value {
		if d.file == nil {
			return failCode(errIsDirectory)
		}
		if d.readOnly {
			return failCode(errReadOnly)
		}
		return one(ok(h.add(&outputStream{w: io.NewOffsetWriter(d.file, off), name: d.guest})))
	}
	h.fn(t, "[method]descriptor.write-via-stream", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		off, _ := args[1].(abi.U64)
		return writeStream(d, int64(off)), nil
	})
	h.fn(t, "[method]descriptor.append-via-stream", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		var size int64
		if d.file != nil {
			if fi, err := d.file.Stat(); err == nil {
				size = fi.Size()
			}
		}
		return writeStream(d, size), nil
	})
	h.fn(t, "[method]descriptor.read", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if d.file == nil {
			return failCode(errIsDirectory), nil
		}
		n, _ := args[1].(abi.U64)
		off, _ := args[2].(abi.U64)
		buf := make([]byte, min(uint64(n), 1<<20))
		got, err := d.file.ReadAt(buf, int64(off))
		if err != nil && !errors.Is(err, io.EOF) {
			return one(errorCode(err)), nil
		}
		return one(ok(abi.Tuple{abi.Bytes(buf[:got]), abi.Bool(errors.Is(err, io.EOF))})), nil
	})
	h.fn(t, "[method]descriptor.write", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if d.file == nil {
			return failCode(errIsDirectory), nil
		}
		if d.readOnly {
			return failCode(errReadOnly), nil
		}
		b, _ := args[1].(abi.Bytes)
		off, _ := args[2].(abi.U64)
		n, err := d.file.WriteAt(b, int64(off))
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(abi.U64(n))), nil
	})
	h.fn(t, "[method]descriptor.read-directory", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if !d.dir {
			return failCode(errNotDir), nil
		}
		f, err := d.root.Open(d.rel)
		if err != nil {
			return one(errorCode(err)), nil
		}
		defer f.Close()
		ents, err := f.ReadDir(-1)
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(h.add(&dirStream{ents: ents}))), nil
	})
	h.fn(t, "[method]directory-entry-stream.read-directory-entry", func(args []abi.Value) ([]abi.Value, error) {
		ds, err := object[*dirStream](h, args[0])
		if err != nil {
			return nil, err
		}
		if len(ds.ents) == 0 {
			return one(ok(none)), nil
		}
		e := ds.ents[0]
		ds.ents = ds.ents[1:]
		return one(ok(some(abi.Record{abi.Variant{Case: fileType(e.Type())}, str(e.Name())}))), nil
	})
}

// dirStream is a directory-entry-stream.
type dirStream struct{ ents []fs.DirEntry }
