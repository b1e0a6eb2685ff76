package gdbstub

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The connection handshake: features, host and process info, registers,
// threads and the module list.
var handshakeHandlers = map[string]handler{
	"qSupported":              (*conn).qSupported,
	"QStartNoAckMode":         (*conn).startNoAck,
	"QThreadSuffixSupported":  ok,
	"QListThreadsInStopReply": ok,
	"qHostInfo":               (*conn).qHostInfo,
	"qProcessInfo":            (*conn).qProcessInfo,
	"qRegisterInfo":           (*conn).qRegisterInfo,
	"qfThreadInfo":            reply(fmt.Sprintf("m%x", threadID)),
	"qsThreadInfo":            reply("l"),
	"qC":                      reply(fmt.Sprintf("QC%x", threadID)),
	"qAttached":               reply("1"), // quitting the client detaches: the guest runs on
	"H":                       ok,
	"T":                       (*conn).threadAlive,
	"vCont":                   (*conn).vCont,
	"qXfer":                   (*conn).qXfer,
}

func ok(*conn, string) ([]byte, action, error) { return []byte("OK"), actNone, nil }

func reply(s string) handler {
	return func(*conn, string) ([]byte, action, error) { return []byte(s), actNone, nil }
}

func (cn *conn) qSupported(string) ([]byte, action, error) {
	feats := []string{fmt.Sprintf("PacketSize=%x", cn.srv.packetSize()), "QStartNoAckMode+", "vContSupported+"}
	if cn.t.Libraries() != nil {
		feats = append(feats, "qXfer:libraries:read+")
	}
	return []byte(strings.Join(feats, ";")), actNone, nil
}

func (cn *conn) startNoAck(string) ([]byte, action, error) {
	cn.afterReply = cn.wire.SetNoAck // the OK itself is still acknowledged
	return []byte("OK"), actNone, nil
}

func (cn *conn) qHostInfo(string) ([]byte, action, error) {
	return fmt.Appendf(nil, "triple:%s;endian:little;ptrsize:4;", hexText(cn.srv.triple())), actNone, nil
}

func (cn *conn) qProcessInfo(string) ([]byte, action, error) {
	return fmt.Appendf(nil, "pid:1;parent-pid:1;triple:%s;endian:little;ptrsize:4;", hexText(cn.srv.triple())), actNone, nil
}

// qRegisterInfo describes the registers: a wasm target has only pc.
func (cn *conn) qRegisterInfo(args string) ([]byte, action, error) {
	n, err := parseHexUint(args, "register number")
	if err != nil {
		return nil, actNone, err
	}
	if n != 0 {
		return nil, actNone, errCode(0x45, fmt.Errorf("no register %d: pc is the only one", n))
	}
	return []byte("name:pc;alt-name:pc;bitsize:64;offset:0;encoding:uint;format:hex;set:General Purpose Registers;gcc:16;dwarf:16;generic:pc;"), actNone, nil
}

func (cn *conn) threadAlive(args string) ([]byte, action, error) {
	t, err := parseThreadID(args)
	if err != nil {
		return nil, actNone, err
	}
	if t != threadID && t != 0 {
		return nil, actNone, fmt.Errorf("no thread %x", t)
	}
	return []byte("OK"), actNone, nil
}

// qXfer serves qXfer:libraries:read, the module list LLDB loads at attach.
func (cn *conn) qXfer(args string) ([]byte, action, error) {
	x, err := ParseXferRead(args)
	if err != nil {
		return nil, actNone, err
	}
	libs := cn.t.Libraries()
	if x.Object != "libraries" || libs == nil {
		return nil, actNone, ErrUnsupported
	}
	var b strings.Builder
	b.WriteString("<library-list>")
	for _, l := range libs.LoadedModules() {
		b.WriteString(`<library name="`)
		xml.EscapeText(&b, []byte(l.Name))
		fmt.Fprintf(&b, `"><section address="0x%x"/></library>`, uint64(l.Base))
	}
	b.WriteString("</library-list>")
	return xferChunk(b.String(), x.Offset, x.Len), actNone, nil
}

// xferChunk returns the part of doc that a qXfer read asks for: 'l' if it
// reaches the end, 'm' if more follows.
func xferChunk(doc string, off, n int) []byte {
	if off >= len(doc) {
		return []byte("l")
	}
	end := min(len(doc), off+n)
	kind := byte('m')
	if end == len(doc) {
		kind = 'l'
	}
	return append([]byte{kind}, doc[off:end]...)
}
