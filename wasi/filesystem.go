package wasi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"strings"
	"syscall"
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
	errAccess       = 0
	errExist        = 7
	errInvalid      = 12
	errIO           = 13
	errIsDirectory  = 14
	errNoEntry      = 20
	errNotDir       = 24
	errNotEmpty     = 25
	errNotPermitted = 31
	errReadOnly     = 33
	errCrossDev     = 36
)

// errorCode maps a Go error to an error-code.
func errorCode(err error) abi.Value {
	c := errIO
	switch {
	case errors.Is(err, errNotADirectory):
		c = errNotDir
	case errors.Is(err, errIsADirectory):
		c = errIsDirectory
	case errors.Is(err, errCrossDevice):
		c = errCrossDev
	case errors.Is(err, syscall.ENOTEMPTY):
		c = errNotEmpty
	case strings.Contains(err.Error(), "path escapes from parent"):
		// os.Root refusing a path that leaves the preopen (its error value
		// is not exported).
		c = errNotPermitted
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
	desc := h.descriptor
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
		fi, err := d.root.Lstat(path.Join(d.rel, pathText(args[2])))
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
		p := pathText(args[2])
		oflags, _ := args[3].(abi.Flags)
		dflags, _ := args[4].(abi.Flags)
		rel := path.Join(d.rel, p)
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
			return one(ok(h.add(&descriptor{root: d.root, rel: rel, guest: path.Join(d.guest, p), dir: true, readOnly: d.readOnly}))), nil
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
		return one(ok(h.add(&descriptor{root: d.root, rel: rel, guest: path.Join(d.guest, p), file: f, readOnly: d.readOnly || !write}))), nil
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

// defineFilesystemChanges adds the operations that change a preopen:
// directories, unlinking, renaming, links, sizes, and the identity queries.
// All go through the descriptor's os.Root, so none reaches outside it.
func (h *Host) defineFilesystemChanges() {
	const t = "wasi:filesystem/types"
	desc := h.descriptor
	// writable returns the directory descriptor, or the error-code to
	// return: only a directory that may be changed.
	dirOp := func(args []abi.Value, op func(d *descriptor) error) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		switch {
		case !d.dir:
			return failCode(errNotDir), nil
		case d.readOnly:
			return failCode(errReadOnly), nil
		}
		if err := op(d); err != nil {
			return one(errorCode(err)), nil
		}
		return one(okUnit), nil
	}
	h.fn(t, "[method]descriptor.create-directory-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error { return d.root.Mkdir(path.Join(d.rel, pathText(args[1])), 0o755) })
	})
	h.fn(t, "[method]descriptor.remove-directory-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error {
			rel := path.Join(d.rel, pathText(args[1]))
			if fi, err := d.root.Lstat(rel); err == nil && !fi.IsDir() {
				return errNotADirectory
			}
			return d.root.Remove(rel)
		})
	})
	h.fn(t, "[method]descriptor.unlink-file-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error {
			rel := path.Join(d.rel, pathText(args[1]))
			if fi, err := d.root.Lstat(rel); err == nil && fi.IsDir() {
				return errIsADirectory
			}
			return d.root.Remove(rel)
		})
	})
	// sameRoot returns the other descriptor of a two-descriptor operation,
	// which must be in the same preopen.
	sameRoot := func(d *descriptor, v abi.Value) (*descriptor, error) {
		o, err := desc(v)
		if err != nil {
			return nil, err
		}
		if o.root != d.root {
			return nil, errCrossDevice
		}
		return o, nil
	}
	h.fn(t, "[method]descriptor.rename-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error {
			o, err := sameRoot(d, args[2])
			if err != nil {
				return err
			}
			return d.root.Rename(path.Join(d.rel, pathText(args[1])), path.Join(o.rel, pathText(args[3])))
		})
	})
	h.fn(t, "[method]descriptor.link-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error {
			o, err := sameRoot(d, args[3])
			if err != nil {
				return err
			}
			return d.root.Link(path.Join(d.rel, pathText(args[2])), path.Join(o.rel, pathText(args[4])))
		})
	})
	h.fn(t, "[method]descriptor.symlink-at", func(args []abi.Value) ([]abi.Value, error) {
		return dirOp(args, func(d *descriptor) error {
			return d.root.Symlink(pathText(args[1]), path.Join(d.rel, pathText(args[2])))
		})
	})
	h.fn(t, "[method]descriptor.readlink-at", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		target, err := d.root.Readlink(path.Join(d.rel, pathText(args[1])))
		if err != nil {
			return one(errorCode(err)), nil
		}
		return one(ok(str(target))), nil
	})
	fileOp := func(args []abi.Value, write bool, op func(f *os.File) error) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		switch {
		case d.file == nil:
			return failCode(errIsDirectory), nil
		case write && d.readOnly:
			return failCode(errReadOnly), nil
		}
		if err := op(d.file); err != nil {
			return one(errorCode(err)), nil
		}
		return one(okUnit), nil
	}
	h.fn(t, "[method]descriptor.set-size", func(args []abi.Value) ([]abi.Value, error) {
		n, _ := args[1].(abi.U64)
		return fileOp(args, true, func(f *os.File) error { return f.Truncate(int64(n)) })
	})
	sync := func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		if d.file != nil && !d.readOnly {
			if err := d.file.Sync(); err != nil {
				return one(errorCode(err)), nil
			}
		}
		return one(okUnit), nil
	}
	h.fn(t, "[method]descriptor.sync", sync)
	h.fn(t, "[method]descriptor.sync-data", sync)
	h.fn(t, "[method]descriptor.advise", func(args []abi.Value) ([]abi.Value, error) {
		if _, err := desc(args[0]); err != nil {
			return nil, err
		}
		return one(okUnit), nil // advice only
	})
	h.fn(t, "[method]descriptor.is-same-object", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		o, err := desc(args[1])
		if err != nil {
			return nil, err
		}
		a, err1 := d.root.Stat(d.rel)
		b, err2 := o.root.Stat(o.rel)
		return one(abi.Bool(err1 == nil && err2 == nil && os.SameFile(a, b))), nil
	})
	hash := func(d *descriptor, rel string, follow bool) []abi.Value {
		stat := d.root.Lstat
		if follow {
			stat = d.root.Stat
		}
		fi, err := stat(rel)
		if err != nil {
			return one(errorCode(err))
		}
		hh := fnv.New128a()
		fmt.Fprintf(hh, "%s\x00%d\x00%d\x00%v", path.Join(d.guest, rel), fi.Size(), fi.ModTime().UnixNano(), fi.Mode())
		sum := hh.Sum(nil)
		return one(ok(abi.Record{abi.U64(binary.LittleEndian.Uint64(sum[:8])), abi.U64(binary.LittleEndian.Uint64(sum[8:]))}))
	}
	h.fn(t, "[method]descriptor.metadata-hash", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		return hash(d, d.rel, true), nil
	})
	h.fn(t, "[method]descriptor.metadata-hash-at", func(args []abi.Value) ([]abi.Value, error) {
		d, err := desc(args[0])
		if err != nil {
			return nil, err
		}
		flags, _ := args[1].(abi.Flags)
		return hash(d, path.Join(d.rel, pathText(args[2])), flags&1 != 0), nil
	})
}

// Errors that map to specific error-codes (errorCode).
var (
	errNotADirectory = errors.New("not a directory")
	errIsADirectory  = errors.New("is a directory")
	errCrossDevice   = errors.New("the two paths are in different preopens")
)

// newTimestamp resolves a new-timestamp (no-change, now, or a datetime)
// against the current one.
func (h *Host) newTimestamp(v abi.Value, cur time.Time) time.Time {
	nt, _ := v.(abi.Variant)
	switch nt.Case {
	case 1:
		return h.cfg.Now()
	case 2:
		if r, ok := nt.Payload.(abi.Record); ok && len(r) == 2 {
			s, _ := r[0].(abi.U64)
			ns, _ := r[1].(abi.U32)
			return time.Unix(int64(s), int64(ns))
		}
	}
	return cur
}

// defineSetTimes adds set-times and set-times-at.
func (h *Host) defineSetTimes() {
	const t = "wasi:filesystem/types"
	setTimes := func(d *descriptor, rel string, atime, mtime abi.Value) []abi.Value {
		if d.readOnly {
			return failCode(errReadOnly)
		}
		fi, err := d.root.Stat(rel)
		if err != nil {
			return one(errorCode(err))
		}
		// The access time is not portable to read back; "no change" keeps
		// the modification time for it too.
		m := h.newTimestamp(mtime, fi.ModTime())
		a := h.newTimestamp(atime, fi.ModTime())
		if err := d.root.Chtimes(rel, a, m); err != nil {
			return one(errorCode(err))
		}
		return one(okUnit)
	}
	h.fn(t, "[method]descriptor.set-times", func(args []abi.Value) ([]abi.Value, error) {
		d, err := h.descriptor(args[0])
		if err != nil {
			return nil, err
		}
		return setTimes(d, d.rel, args[1], args[2]), nil
	})
	h.fn(t, "[method]descriptor.set-times-at", func(args []abi.Value) ([]abi.Value, error) {
		d, err := h.descriptor(args[0])
		if err != nil {
			return nil, err
		}
		return setTimes(d, path.Join(d.rel, pathText(args[2])), args[3], args[4]), nil
	})
}

// descriptor returns the descriptor behind a lifted handle.
func (h *Host) descriptor(v abi.Value) (*descriptor, error) { return object[*descriptor](h, v) }

// pathText is a path argument's text.
func pathText(v abi.Value) string {
	s, _ := v.(abi.String)
	return s.Text
}
