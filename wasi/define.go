package wasi

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"

	"wdbg/component"
	"wdbg/component/abi"
)

// define builds every interface.
func (h *Host) define() {
	h.defineCLI()
	h.defineIO()
	h.defineClocks()
	h.defineRandom()
	h.defineFilesystem()
	h.defineFilesystemChanges()
	h.defineSetTimes()
}

func (h *Host) defineCLI() {
	h.fn("wasi:cli/environment", "get-arguments", func([]abi.Value) ([]abi.Value, error) {
		var l abi.List
		for _, a := range h.cfg.Args {
			l = append(l, str(a))
		}
		return one(l), nil
	})
	h.fn("wasi:cli/environment", "get-environment", func([]abi.Value) ([]abi.Value, error) {
		var l abi.List
		for _, e := range h.cfg.Env {
			k, v, _ := strings.Cut(e, "=")
			l = append(l, abi.Tuple{str(k), str(v)})
		}
		return one(l), nil
	})
	h.fn("wasi:cli/environment", "initial-cwd", func([]abi.Value) ([]abi.Value, error) { return one(none), nil })
	h.iface("wasi:cli/exit").funcs["exit"] = func(_ context.Context, _ *component.Call, args []abi.Value) ([]abi.Value, error) {
		code := 0
		if v, ok := args[0].(abi.Variant); ok && v.Case != 0 {
			code = 1
		}
		return nil, &component.Exit{Code: code}
	}
	h.iface("wasi:cli/exit").funcs["exit-with-code"] = func(_ context.Context, _ *component.Call, args []abi.Value) ([]abi.Value, error) {
		c, _ := args[0].(abi.U8)
		return nil, &component.Exit{Code: int(c)}
	}
	h.share("wasi:cli/stdin", "wasi:io/streams", "input-stream")
	h.share("wasi:cli/stdout", "wasi:io/streams", "output-stream")
	h.share("wasi:cli/stderr", "wasi:io/streams", "output-stream")
	h.fn("wasi:cli/stdin", "get-stdin", func([]abi.Value) ([]abi.Value, error) {
		return one(h.add(&inputStream{r: h.cfg.Stdin, name: "stdin"})), nil
	})
	h.fn("wasi:cli/stdout", "get-stdout", func([]abi.Value) ([]abi.Value, error) {
		return one(h.add(&outputStream{w: h.cfg.Stdout, name: "stdout"})), nil
	})
	h.fn("wasi:cli/stderr", "get-stderr", func([]abi.Value) ([]abi.Value, error) {
		return one(h.add(&outputStream{w: h.cfg.Stderr, name: "stderr"})), nil
	})
	h.resource("wasi:cli/terminal-input", "terminal-input")
	h.resource("wasi:cli/terminal-output", "terminal-output")
	h.share("wasi:cli/terminal-stdin", "wasi:cli/terminal-input", "terminal-input")
	h.share("wasi:cli/terminal-stdout", "wasi:cli/terminal-output", "terminal-output")
	h.share("wasi:cli/terminal-stderr", "wasi:cli/terminal-output", "terminal-output")
	// wdbg's guest output is never a terminal it can control.
	for _, s := range []string{"stdin", "stdout", "stderr"} {
		h.fn("wasi:cli/terminal-"+s, "get-terminal-"+s, func([]abi.Value) ([]abi.Value, error) { return one(none), nil })
	}
}

// inputStream and outputStream are the host objects behind wasi:io streams.
type inputStream struct {
	r    io.Reader
	eof  bool
	name string // for the debugger: "stdin", "/data/in.txt"
}

type outputStream struct {
	w    io.Writer
	name string
}

// streamError values: last-operation-failed(own error) or closed.
func (h *Host) streamFailed(err error) abi.Value {
	return fail(abi.Variant{Case: 0, Payload: h.add(err)})
}

var streamClosed = fail(abi.Variant{Case: 1})

func (h *Host) defineIO() {
	h.resource("wasi:io/error", "error")
	h.fn("wasi:io/error", "[method]error.to-debug-string", func(args []abi.Value) ([]abi.Value, error) {
		e, err := object[error](h, args[0])
		if err != nil {
			return nil, err
		}
		return one(str(e.Error())), nil
	})
	h.resource("wasi:io/poll", "pollable")
	h.fn("wasi:io/poll", "[method]pollable.ready", func([]abi.Value) ([]abi.Value, error) { return one(abi.Bool(true)), nil })
	h.fn("wasi:io/poll", "[method]pollable.block", func([]abi.Value) ([]abi.Value, error) { return nil, nil })
	h.fn("wasi:io/poll", "poll", func(args []abi.Value) ([]abi.Value, error) {
		// Every pollable wdbg makes is always ready.
		l, _ := args[0].(abi.List)
		out := make(abi.List, len(l))
		for i := range l {
			out[i] = abi.U32(i)
		}
		return one(out), nil
	})
	const s = "wasi:io/streams"
	h.share(s, "wasi:io/error", "error")
	h.resource(s, "input-stream")
	h.resource(s, "output-stream")
	read := func(args []abi.Value) ([]abi.Value, error) {
		in, err := object[*inputStream](h, args[0])
		if err != nil {
			return nil, err
		}
		n, _ := args[1].(abi.U64)
		if in.eof {
			return one(streamClosed), nil
		}
		buf := make([]byte, min(uint64(n), 1<<20))
		got, rerr := in.r.Read(buf)
		if got == 0 && rerr != nil {
			if errors.Is(rerr, io.EOF) {
				in.eof = true
				return one(streamClosed), nil
			}
			return one(h.streamFailed(rerr)), nil
		}
		return one(ok(abi.Bytes(buf[:got]))), nil
	}
	h.fn(s, "[method]input-stream.read", read)
	h.fn(s, "[method]input-stream.blocking-read", read)
	h.fn(s, "[method]input-stream.subscribe", func([]abi.Value) ([]abi.Value, error) { return one(h.add(struct{}{})), nil })
	h.fn(s, "[method]output-stream.subscribe", func([]abi.Value) ([]abi.Value, error) { return one(h.add(struct{}{})), nil })
	h.fn(s, "[method]output-stream.check-write", func(args []abi.Value) ([]abi.Value, error) {
		if _, err := object[*outputStream](h, args[0]); err != nil {
			return nil, err
		}
		return one(ok(abi.U64(1 << 20))), nil
	})
	write := func(args []abi.Value) ([]abi.Value, error) {
		out, err := object[*outputStream](h, args[0])
		if err != nil {
			return nil, err
		}
		b, _ := args[1].(abi.Bytes)
		if _, err := out.w.Write(b); err != nil {
			return one(h.streamFailed(err)), nil
		}
		return one(okUnit), nil
	}
	h.fn(s, "[method]output-stream.write", write)
	h.fn(s, "[method]output-stream.blocking-write-and-flush", write)
	flush := func(args []abi.Value) ([]abi.Value, error) {
		if _, err := object[*outputStream](h, args[0]); err != nil {
			return nil, err
		}
		return one(okUnit), nil
	}
	h.fn(s, "[method]output-stream.flush", flush)
	h.fn(s, "[method]output-stream.blocking-flush", flush)
	zeroes := func(args []abi.Value) ([]abi.Value, error) {
		n, _ := args[1].(abi.U64)
		return write([]abi.Value{args[0], abi.Bytes(make([]byte, min(uint64(n), 1<<20)))})
	}
	splice := func(args []abi.Value) ([]abi.Value, error) {
		out, err := object[*outputStream](h, args[0])
		if err != nil {
			return nil, err
		}
		in, err := object[*inputStream](h, args[1])
		if err != nil {
			return nil, err
		}
		n, _ := args[2].(abi.U64)
		if in.eof {
			return one(streamClosed), nil
		}
		got, err := io.CopyN(out.w, in.r, int64(min(uint64(n), 1<<20)))
		if got == 0 && errors.Is(err, io.EOF) {
			in.eof = true
			return one(streamClosed), nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return one(h.streamFailed(err)), nil
		}
		return one(ok(abi.U64(got))), nil
	}
	h.fn(s, "[method]output-stream.splice", splice)
	h.fn(s, "[method]output-stream.blocking-splice", splice)
	h.fn(s, "[method]output-stream.write-zeroes", zeroes)
	h.fn(s, "[method]output-stream.blocking-write-zeroes-and-flush", zeroes)
}

func (h *Host) defineClocks() {
	h.fn("wasi:clocks/wall-clock", "now", func([]abi.Value) ([]abi.Value, error) {
		t := h.cfg.Now()
		return one(abi.Record{abi.U64(t.Unix()), abi.U32(t.Nanosecond())}), nil
	})
	h.fn("wasi:clocks/wall-clock", "resolution", func([]abi.Value) ([]abi.Value, error) {
		return one(abi.Record{abi.U64(0), abi.U32(1000)}), nil
	})
	h.share("wasi:clocks/monotonic-clock", "wasi:io/poll", "pollable")
	h.fn("wasi:clocks/monotonic-clock", "now", func([]abi.Value) ([]abi.Value, error) {
		return one(abi.U64(h.cfg.Now().Sub(h.start).Nanoseconds())), nil
	})
	h.fn("wasi:clocks/monotonic-clock", "resolution", func([]abi.Value) ([]abi.Value, error) { return one(abi.U64(1000)), nil })
	sub := func([]abi.Value) ([]abi.Value, error) { return one(h.add(struct{}{})), nil }
	h.fn("wasi:clocks/monotonic-clock", "subscribe-instant", sub)
	h.fn("wasi:clocks/monotonic-clock", "subscribe-duration", sub)
}

func (h *Host) defineRandom() {
	bytes := func(args []abi.Value) ([]abi.Value, error) {
		n, _ := args[0].(abi.U64)
		if n > 1<<20 {
			return nil, &abi.Trap{Msg: "wasi:random: more than 1 MiB of random bytes asked for at once"}
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(h.cfg.Random, b); err != nil {
			return nil, err
		}
		return one(abi.Bytes(b)), nil
	}
	u64 := func([]abi.Value) ([]abi.Value, error) {
		var b [8]byte
		if _, err := io.ReadFull(h.cfg.Random, b[:]); err != nil {
			return nil, err
		}
		return one(abi.U64(binary.LittleEndian.Uint64(b[:]))), nil
	}
	h.fn("wasi:random/random", "get-random-bytes", bytes)
	h.fn("wasi:random/random", "get-random-u64", u64)
	h.fn("wasi:random/insecure", "get-insecure-random-bytes", bytes)
	h.fn("wasi:random/insecure", "get-insecure-random-u64", u64)
	h.fn("wasi:random/insecure-seed", "insecure-seed", func([]abi.Value) ([]abi.Value, error) {
		a, err := u64(nil)
		if err != nil {
			return nil, err
		}
		b, err := u64(nil)
		if err != nil {
			return nil, err
		}
		return one(abi.Tuple{a[0], b[0]}), nil
	})
}
