package gdbstub

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// MaxPacket bounds an incoming packet's payload, in bytes on the wire. The
// stub advertises PacketSize=PacketSize (smaller), so a real client never
// comes near it; anything longer is discarded with an error reply.
const MaxPacket = 1 << 20

// InputKind says what Wire.Read found.
type InputKind int

const (
	// InputPacket is a well-formed packet; Input.Payload holds it, unescaped
	// and expanded.
	InputPacket InputKind = iota
	// InputInterrupt is the out-of-band 0x03 byte.
	InputInterrupt
	// InputBad is a packet that could not be used (bad checksum, too long):
	// Input.Err says why. In ack mode the client has been sent '-' and will
	// resend; in no-ack mode the caller should reply with an error.
	InputBad
)

// Input is one thing read from the wire.
type Input struct {
	Kind    InputKind
	Payload []byte
	Err     error
}

// Wire frames packets on a byte stream (GDB remote serial protocol,
// "Overview" and "Packet Acknowledgment"). Read is called from one
// goroutine and Write from any: writes are serialized, and Read itself
// writes acks.
type Wire struct {
	r     *bufio.Reader
	w     io.Writer
	noAck atomic.Bool
	log   io.Writer // packet log, or nil

	mu   sync.Mutex // guards writes and last
	last []byte     // the last packet sent, framed, for '-'
}

// NewWire returns a Wire on rw. If log is not nil, every packet read and
// written is logged there, one per line.
func NewWire(rw io.ReadWriter, log io.Writer) *Wire {
	return &Wire{r: bufio.NewReader(rw), w: rw, log: log}
}

// SetNoAck turns off acknowledgments (after QStartNoAckMode's OK is sent).
func (w *Wire) SetNoAck() { w.noAck.Store(true) }

// Read returns the next packet or interrupt. Stray bytes between packets
// and acks are skipped. It returns an error only when the stream fails.
func (w *Wire) Read() (Input, error) {
	for {
		c, err := w.r.ReadByte()
		if err != nil {
			return Input{}, err
		}
		switch c {
		case '+':
			continue
		case '-':
			w.mu.Lock()
			last := w.last
			w.mu.Unlock()
			if last != nil && !w.noAck.Load() {
				if err := w.writeRaw(last); err != nil {
					return Input{}, err
				}
			}
			continue
		case 0x03:
			w.logf("<- \\x03 (interrupt)")
			return Input{Kind: InputInterrupt}, nil
		case '$':
			return w.readPacket()
		default:
			w.logf("<- skipped stray byte 0x%02x", c)
		}
	}
}

// readPacket reads the rest of a packet after its '$'.
func (w *Wire) readPacket() (Input, error) {
	var raw []byte
	var sum byte
	tooLong := false
	for {
		c, err := w.r.ReadByte()
		if err != nil {
			return Input{}, err
		}
		if c == '#' {
			break
		}
		if c == '$' {
			// A new packet starts inside this one: the first was cut off.
			w.logf("<- discarded unterminated packet %q", clip(raw))
			raw, sum, tooLong = raw[:0], 0, false
			continue
		}
		sum += c
		if len(raw) < MaxPacket {
			raw = append(raw, c)
		} else {
			tooLong = true
		}
	}
	var cs [2]byte
	if _, err := io.ReadFull(w.r, cs[:]); err != nil {
		return Input{}, err
	}
	want, ok := parseHexByte(cs[0], cs[1])
	switch {
	case tooLong:
		return w.bad(fmt.Errorf("packet longer than %d bytes", MaxPacket))
	case !ok:
		return w.bad(fmt.Errorf("packet %q: checksum %q is not hex", clip(raw), cs[:]))
	case want != sum:
		return w.bad(fmt.Errorf("packet %q: checksum %02x, computed %02x", clip(raw), want, sum))
	}
	if !w.noAck.Load() {
		if err := w.writeRaw([]byte{'+'}); err != nil {
			return Input{}, err
		}
	}
	payload, err := decodePayload(raw)
	if err != nil {
		return w.bad(fmt.Errorf("packet %q: %w", clip(raw), err))
	}
	w.logf("<- %s", clip(payload))
	return Input{Kind: InputPacket, Payload: payload}, nil
}

// bad reports an unusable packet, asking for a resend in ack mode.
func (w *Wire) bad(err error) (Input, error) {
	w.logf("<- bad packet: %v", err)
	if !w.noAck.Load() {
		if werr := w.writeRaw([]byte{'-'}); werr != nil {
			return Input{}, werr
		}
	}
	return Input{Kind: InputBad, Err: err}, nil
}

// decodePayload undoes '}' escapes and expands run-length encoding.
func decodePayload(raw []byte) ([]byte, error) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '}':
			if i+1 >= len(raw) {
				return nil, errors.New("escape character at the end")
			}
			i++
			out = append(out, raw[i]^0x20)
		case '*':
			if len(out) == 0 || i+1 >= len(raw) {
				return nil, errors.New("run-length marker without a character to repeat")
			}
			i++
			n := int(raw[i]) - 29
			if n < 3 || n > 97 {
				return nil, fmt.Errorf("run-length count %q out of range", raw[i])
			}
			prev := out[len(out)-1]
			for range n {
				out = append(out, prev)
			}
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// Write sends one packet, escaping '$', '#', '}' and '*' so that binary
// payloads (x replies) survive.
func (w *Wire) Write(payload []byte) error {
	framed := make([]byte, 0, len(payload)+8)
	framed = append(framed, '$')
	var sum byte
	for _, c := range payload {
		if c == '$' || c == '#' || c == '}' || c == '*' {
			framed = append(framed, '}')
			sum += '}'
			c ^= 0x20
		}
		framed = append(framed, c)
		sum += c
	}
	framed = append(framed, '#', hexDigits[sum>>4], hexDigits[sum&15])
	w.logf("-> %s", clip(payload))
	w.mu.Lock()
	w.last = framed
	w.mu.Unlock()
	return w.writeRaw(framed)
}

func (w *Wire) writeRaw(b []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err := w.w.Write(b)
	return err
}

func (w *Wire) logf(format string, args ...any) {
	if w.log != nil {
		fmt.Fprintf(w.log, "gdbwire: "+format+"\n", args...)
	}
}

// clip shortens a payload for the log: long memory replies are elided.
func clip(b []byte) string {
	const max = 200
	if len(b) <= max {
		return printable(b)
	}
	return fmt.Sprintf("%s...(%d bytes)", printable(b[:max]), len(b))
}

// printable shows binary bytes as \xNN.
func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		} else {
			out = fmt.Appendf(out, "\\x%02x", c)
		}
	}
	return string(out)
}

const hexDigits = "0123456789abcdef"

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func parseHexByte(hi, lo byte) (byte, bool) {
	h, ok1 := unhex(hi)
	l, ok2 := unhex(lo)
	return h<<4 | l, ok1 && ok2
}
