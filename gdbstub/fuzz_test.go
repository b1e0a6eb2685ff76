package gdbstub_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"wdbg/gdbstub"
	"wdbg/gdbstub/gdbtest"
)

// FuzzHandle sends arbitrary payloads, framed, to a server on the fake
// target: none may panic or go unanswered.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"qSupported:xmlRegisters=i386", "m4000000000000000,200", "x10,4", "M10,2:abcd",
		"Z0,40000000000002de,1", "z0,1,1", "qWasmLocal:0;2", "qWasmGlobal:1;0", "qWasmStackValue:0;1",
		"qWasmCallStack:1", "vCont;s:1", "vCont;c:p1.1;s", "qXfer:libraries:read::0,1ffff", "p0;thread:0001;",
		"qRegisterInfo0", "Hg1", "T1", "c", "s", "C05", "D", "k", "?", "qThreadStopInfo1", "m,", "Z", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if bytes.ContainsAny(p, "$#}*") {
			return // the wire's job, fuzzed by FuzzWire
		}
		var out bytes.Buffer
		rw := struct {
			io.Reader
			io.Writer
		}{strings.NewReader(gdbtest.Frame(string(p))), &out}
		srv := &gdbstub.Server{Target: newFake()}
		if _, _, err := srv.ServeConn(rw); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		resumes := len(p) > 0 && bytes.IndexByte([]byte("cCsS"), p[0]) >= 0 || bytes.HasPrefix(p, []byte("vCont;"))
		if resumes && out.String() == "+" {
			return // the client went away while the target ran: no stop to reply
		}
		if !bytes.HasPrefix(out.Bytes(), []byte("+$")) {
			t.Fatalf("%q: no reply (got %q)", p, out.Bytes())
		}
		if bytes.HasPrefix(out.Bytes(), []byte("+$E7f#")) {
			t.Fatalf("%q: a handler panicked", p)
		}
	})
}

// FuzzWire reads arbitrary byte streams: the wire never panics, never
// returns a payload longer than gdbstub.MaxPacket, and ends with the stream.
func FuzzWire(f *testing.F) {
	for _, s := range []string{"$?#3f", "+$qC#b4", "\x03", "$m0*!,4#00", "$}", "$a#zz", "--$x#78$", "$*#2a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w := gdbstub.NewWire(struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(b), io.Discard}, nil)
		for range len(b) + 1 {
			in, err := w.Read()
			if err != nil {
				return
			}
			if len(in.Payload) > gdbstub.MaxPacket*32 {
				t.Fatalf("payload of %d bytes", len(in.Payload))
			}
		}
		t.Fatal("Read did not reach the end of the input")
	})
}

// TestParsers checks the parsers on valid and invalid arguments.
func TestParsers(t *testing.T) {
	if m, err := gdbstub.ParseMemArgs("4000000000000200,200"); err != nil || m.Addr != gdbstub.ObjectAddr(0, 0x200) || m.Len != 0x200 {
		t.Errorf("ParseMemArgs: %+v %v", m, err)
	}
	for _, bad := range []string{"", "10", "10,", ",4", "zz,4", "10,zz", "10,ffffffffff", "1,2,3"} {
		if _, err := gdbstub.ParseMemArgs(bad); err == nil {
			t.Errorf("gdbstub.ParseMemArgs(%q) accepted", bad)
		}
	}
	if fi, err := gdbstub.ParseFrameIndex("12;3"); err != nil || fi != (gdbstub.FrameIndex{12, 3}) {
		t.Errorf("ParseFrameIndex: %+v %v", fi, err)
	}
	for _, bad := range []string{"", "1", "1;", ";1", "a;1", "-1;1", "1;99999999999"} {
		if _, err := gdbstub.ParseFrameIndex(bad); err == nil {
			t.Errorf("gdbstub.ParseFrameIndex(%q) accepted", bad)
		}
	}
	for in, want := range map[string]gdbstub.Action{"vCont;c": gdbstub.ActionContinue, "vCont;s:1": gdbstub.ActionStep, "vCont;s:2;c": gdbstub.ActionContinue,
		"vCont;S05:1": gdbstub.ActionStep, "vCont;c:p1.1": gdbstub.ActionContinue, "vCont;s:p1.-1": gdbstub.ActionStep} {
		if a, err := gdbstub.ParseVCont(in, 1); err != nil || a != want {
			t.Errorf("gdbstub.ParseVCont(%q) = %v, %v; want %v", in, a, err, want)
		}
	}
	for _, bad := range []string{"vCont", "vCont;", "vCont;x", "vCont;s:2", "vCont;cc", "vCont;;c"} {
		if _, err := gdbstub.ParseVCont(bad, 1); err == nil {
			t.Errorf("gdbstub.ParseVCont(%q) accepted", bad)
		}
	}
	if a := gdbstub.ObjectAddr(3, 0x1ce); a.Space() != gdbstub.SpaceObject || a.ID() != 3 || a.Offset() != 0x1ce || a != 0x40000003000001ce {
		t.Errorf("ObjectAddr: %v", a)
	}
}
