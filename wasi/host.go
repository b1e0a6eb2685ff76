package wasi

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"wdbg/component"
	"wdbg/component/abi"
)

// Config is what the guest is granted.
type Config struct {
	Args   []string
	Env    []string // NAME=VALUE
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Dirs   []Dir
	// Now is the wall clock (time.Now if nil); Random the source of
	// wasi:random (crypto/rand if nil).
	Now    func() time.Time
	Random io.Reader
}

// Dir is a preopened host directory.
type Dir struct {
	Host, Guest string
	ReadOnly    bool
}

// Host is the WASI 0.2 host.
type Host struct {
	cfg     Config
	objects map[uint32]any
	next    uint32
	res     map[string]*abi.ResourceType // "wasi:io/streams/output-stream"
	ifaces  map[string]*iface
	start   time.Time
}

// iface is one WASI interface: its functions and resources.
type iface struct {
	name      string
	funcs     map[string]component.HostFunc
	resources map[string]*abi.ResourceType
}

func (f *iface) Func(name string) component.HostFunc {
	if fn := f.funcs[name]; fn != nil {
		return fn
	}
	full := f.name + "#" + name
	return func(context.Context, *component.Call, []abi.Value) ([]abi.Value, error) {
		return nil, &abi.Trap{Msg: full + " is not implemented by wdbg yet"}
	}
}

func (f *iface) Resource(name string) *abi.ResourceType { return f.resources[name] }

// New returns a host granting cfg.
func New(cfg Config) *Host {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Stdin == nil {
		cfg.Stdin = strings.NewReader("")
	}
	h := &Host{cfg: cfg, objects: map[uint32]any{}, res: map[string]*abi.ResourceType{}, ifaces: map[string]*iface{}, start: time.Now()}
	h.define()
	return h
}

// Instance returns the interface name (any 0.2.x version), or nil.
func (h *Host) Instance(name string) component.HostInstance {
	base, ver, _ := strings.Cut(name, "@")
	if ver != "" && !strings.HasPrefix(ver, "0.2.") && ver != "0.2" {
		return nil
	}
	if f := h.ifaces[base]; f != nil {
		return f
	}
	return nil
}

// iface returns (creating) an interface.
func (h *Host) iface(name string) *iface {
	f := h.ifaces[name]
	if f == nil {
		f = &iface{name: name, funcs: map[string]component.HostFunc{}, resources: map[string]*abi.ResourceType{}}
		h.ifaces[name] = f
	}
	return f
}

// resource defines a host resource type exported by interface in; other
// interfaces that re-export it (by alias) share it.
func (h *Host) resource(in, name string) *abi.ResourceType {
	key := in + "/" + name
	if rt := h.res[key]; rt != nil {
		return rt
	}
	rt := &abi.ResourceType{Name: name, Dtor: func(rep uint32) error {
		if c, ok := h.objects[rep].(io.Closer); ok {
			c.Close()
		}
		delete(h.objects, rep)
		return nil
	}}
	h.res[key] = rt
	h.iface(in).resources[name] = rt
	return rt
}

// share makes interface in export another interface's resource.
func (h *Host) share(in, from, name string) {
	h.iface(in).resources[name] = h.resource(from, name)
}

// fn defines a function.
func (h *Host) fn(in, name string, f func(args []abi.Value) ([]abi.Value, error)) {
	h.iface(in).funcs[name] = func(_ context.Context, _ *component.Call, args []abi.Value) ([]abi.Value, error) {
		return f(args)
	}
}

// add stores a host object and returns its representation.
func (h *Host) add(o any) abi.Handle {
	h.next++
	h.objects[h.next] = o
	return abi.Handle{Rep: h.next}
}

// object returns the host object behind a lifted handle.
func object[T any](h *Host, v abi.Value) (T, error) {
	var zero T
	hd, ok := v.(abi.Handle)
	if !ok {
		return zero, &abi.Trap{Msg: fmt.Sprintf("expected a resource handle, got %T", v)}
	}
	o, ok := h.objects[hd.Rep].(T)
	if !ok {
		return zero, &abi.Trap{Msg: fmt.Sprintf("handle %d does not refer to a %T", hd.Rep, zero)}
	}
	return o, nil
}

// Values used often.
var (
	none   = abi.Variant{Case: 0}
	okUnit = abi.Variant{Case: 0}
)

func some(v abi.Value) abi.Value  { return abi.Variant{Case: 1, Payload: v} }
func ok(v abi.Value) abi.Value    { return abi.Variant{Case: 0, Payload: v} }
func fail(v abi.Value) abi.Value  { return abi.Variant{Case: 1, Payload: v} }
func str(s string) abi.Value      { return abi.String{Text: s} }
func one(v abi.Value) []abi.Value { return []abi.Value{v} }

// DescribeResource says what a host resource is, for the debugger's
// `info resources`: "stdout", "/data/in.txt", an error's message.
func (h *Host) DescribeResource(rt *abi.ResourceType, rep uint32) string {
	switch o := h.objects[rep].(type) {
	case *outputStream:
		return o.name
	case *inputStream:
		return o.name
	case *descriptor:
		return o.guest
	case error:
		return o.Error()
	case *dirStream:
		return fmt.Sprintf("%d entries left", len(o.ents))
	}
	return ""
}
