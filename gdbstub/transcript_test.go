package gdbstub

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the replies in testdata/transcripts")

// TestTranscripts replays packet transcripts against a fake target. A
// transcript is a list of lines:
//
//	> PACKET       send PACKET (framed and checksummed by the test;
//	               Go-quoted escapes allowed)
//	>raw BYTES     send BYTES as they are (Go-quoted escapes allowed)
//	< REPLY        the reply expected next (rewritten by -update)
//	! queue KIND PC    append a stop for Resume (trace, breakpoint,
//	                   exception, interrupt, exited)
//	! nolibs       the target has no library list
//	# ...          a comment
//
// Non-printable reply bytes are written \xNN.
func TestTranscripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/transcripts/*.txt")
	if len(files) == 0 {
		t.Fatal("no transcripts")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			replay(t, file)
		})
	}
}

func replay(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	f := newFake()
	for _, l := range lines {
		if d, ok := strings.CutPrefix(l, "! "); ok {
			directive(t, f, d)
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
	srv := &Server{Target: f}
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
			send(t, client, frame(payload))
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
			gl := strings.TrimRight("< "+show(got), " ")
			if gl != l && !*update {
				t.Errorf("%s:%d:\n got: %s\nwant: %s", file, i+1, gl, l)
				failed = true
			}
			l = gl
		}
		out = append(out, l)
	}
	client.Close()
	<-served
	if *update {
		if err := os.WriteFile(file, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if failed {
		t.Log("run with -update to accept the new replies")
	}
}

func directive(t *testing.T, f *fakeTarget, d string) {
	fields := strings.Fields(d)
	switch {
	case len(fields) == 3 && fields[0] == "queue":
		kinds := map[string]StopKind{"trace": StopTrace, "breakpoint": StopBreakpoint, "exception": StopException,
			"interrupt": StopInterrupt, "exited": StopExited}
		k, ok := kinds[fields[1]]
		pc, err := strconv.ParseUint(fields[2], 0, 64)
		if !ok || err != nil {
			t.Fatalf("bad directive %q", d)
		}
		st := Stop{Kind: k, PC: Addr(pc)}
		if k == StopException {
			st.Description = "wasm trap: integer divide by zero"
		}
		if k == StopExited {
			st.ExitCode = int(pc)
			st.PC = 0
		}
		f.stops = append(f.stops, st)
	case len(fields) == 1 && fields[0] == "nolibs":
		f.noLibs = true
	case len(fields) == 1 && fields[0] == "block":
		f.blockResume = true
	default:
		t.Fatalf("bad directive %q", d)
	}
}

// frame frames a payload as a client would (no escaping needed for the
// packets the transcripts send).
func frame(payload string) string {
	var sum byte
	for i := 0; i < len(payload); i++ {
		sum += payload[i]
	}
	return fmt.Sprintf("$%s#%02x", payload, sum)
}

func send(t *testing.T, c net.Conn, s string) {
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
