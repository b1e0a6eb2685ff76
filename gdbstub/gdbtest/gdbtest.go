// Package gdbtest replays gdb-remote packet transcripts against a
// gdbstub.Target, for the stub's tests and its adapters' tests.
//
// A transcript is a list of lines:
//
//	> PACKET       send PACKET (framed and checksummed here; Go-quoted
//	               escapes allowed)
//	>raw BYTES     send BYTES as they are (Go-quoted escapes allowed)
//	< REPLY        the reply expected next (rewritten when updating)
//	! DIRECTIVE    set the target up, before anything is sent (the caller
//	               interprets it)
//	# ...          a comment
//
// Non-printable reply bytes are written \xNN.
package gdbtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"wdbg/gdbstub"
)

// Options adjust Replay.
type Options struct {
	// Update rewrites the file's replies with the ones received.
	Update bool
	// Directive interprets a "! ..." line; nil means none are allowed.
	Directive func(string) error
	// Normalize, if not nil, rewrites each reply (as written in the
	// transcript) before it is compared or recorded: for paths and other
	// details that differ between machines.
	Normalize func(string) string
}

// Replay serves tg on a loopback socket, plays the transcript in file
// against it, and fails t where a reply differs.
func Replay(t testing.TB, tg gdbstub.Target, file string, opt Options) {
	update, directive := opt.Update, opt.Directive
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for i, l := range lines {
		if d, ok := strings.CutPrefix(l, "! "); ok {
			if directive == nil {
				t.Fatalf("%s:%d: directive %q, and no handler for directives", file, i+1, d)
			}
			if err := directive(d); err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
		}
	}
	// A real socket: acks and replies are buffered as they are for a real
	// client (net.Pipe would deadlock on an unread ack).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	srv := &gdbstub.Server{Target: tg}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.ServeConn(server)
		server.Close()
	}()
	rd := bufio.NewReader(client)
	var out []string
	failed := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "> "):
			payload, err := strconv.Unquote(`"` + l[2:] + `"`)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
			send(t, client, Frame(payload))
		case strings.HasPrefix(l, ">raw "):
			raw, err := strconv.Unquote(`"` + l[5:] + `"`)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
			send(t, client, raw)
		case strings.HasPrefix(l, "<"):
			got, err := readReply(client, rd)
			if err != nil {
				t.Fatalf("%s:%d: reading the reply: %v", file, i+1, err)
			}
			shown := show(got)
			if opt.Normalize != nil {
				shown = opt.Normalize(shown)
			}
			gl := strings.TrimRight("< "+shown, " ")
			if gl != l && !update {
				t.Errorf("%s:%d:\n got: %s\nwant: %s", file, i+1, gl, l)
				failed = true
			}
			l = gl
		}
		out = append(out, l)
	}
	client.Close()
	<-served
	if update {
		if err := os.WriteFile(file, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if failed {
		t.Log("run with -update to accept the new replies")
	}
}

// Frame frames a payload as a client would (no escaping needed for the
// packets the transcripts send).
func Frame(payload string) string {
	var sum byte
	for i := 0; i < len(payload); i++ {
		sum += payload[i]
	}
	return fmt.Sprintf("$%s#%02x", payload, sum)
}

func send(t testing.TB, c net.Conn, s string) {
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatalf("send %q: %v", s, err)
	}
}

// readReply reads the next packet, skipping acks, and undoes escapes.
func readReply(c net.Conn, rd *bufio.Reader) ([]byte, error) {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		b, err := rd.ReadByte()
		if err != nil {
			return nil, err
		}
		if b == '$' {
			break
		}
	}
	var out []byte
	for {
		b, err := rd.ReadByte()
		if err != nil {
			return nil, err
		}
		if b == '#' {
			break
		}
		if b == '}' {
			n, err := rd.ReadByte()
			if err != nil {
				return nil, err
			}
			b = n ^ 0x20
		}
		out = append(out, b)
	}
	var cs [2]byte
	_, err := io.ReadFull(rd, cs[:])
	return out, err
}

// show writes reply bytes for a transcript.
func show(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '\\':
			s.WriteString(`\\`)
		case c >= 0x20 && c < 0x7f:
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, `\x%02x`, c)
		}
	}
	return s.String()
}
