package gdbstub_test

import (
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wdbg/gdbstub"
	"wdbg/gdbstub/gdbtest"
)

var update = flag.Bool("update", false, "rewrite the replies in testdata/transcripts")

// TestTranscripts replays packet transcripts (see package gdbtest) against
// a fake target. Directives:
//
//	! queue KIND PC    append a stop for Resume (trace, breakpoint,
//	                   exception, interrupt, exited)
//	! nolibs           the target has no library list
func TestTranscripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/transcripts/*.txt")
	if len(files) == 0 {
		t.Fatal("no transcripts")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			f := newFake()
			gdbtest.Replay(t, f, file, gdbtest.Options{Update: *update, Directive: func(d string) error { return directive(f, d) }})
		})
	}
}

func directive(f *fakeTarget, d string) error {
	fields := strings.Fields(d)
	switch {
	case len(fields) == 3 && fields[0] == "queue":
		kinds := map[string]gdbstub.StopKind{"trace": gdbstub.StopTrace, "breakpoint": gdbstub.StopBreakpoint, "exception": gdbstub.StopException,
			"interrupt": gdbstub.StopInterrupt, "exited": gdbstub.StopExited}
		k, ok := kinds[fields[1]]
		pc, err := strconv.ParseUint(fields[2], 0, 64)
		if !ok || err != nil {
			return fmt.Errorf("bad directive %q", d)
		}
		st := gdbstub.Stop{Kind: k, PC: gdbstub.Addr(pc)}
		if k == gdbstub.StopException {
			st.Description = "wasm trap: integer divide by zero"
		}
		if k == gdbstub.StopExited {
			st.ExitCode = int(pc)
			st.PC = 0
		}
		f.stops = append(f.stops, st)
	case len(fields) == 1 && fields[0] == "nolibs":
		f.noLibs = true
	case len(fields) == 1 && fields[0] == "block":
		f.blockResume = true
	default:
		return fmt.Errorf("bad directive %q", d)
	}
	return nil
}
