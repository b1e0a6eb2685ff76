package sessiontarget

import (
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wdbg/engine"
	"wdbg/gdbstub/gdbtest"
	"wdbg/internal/e2e"
	"wdbg/launch"
)

var update = flag.Bool("update", false, "rewrite the replies in testdata/*.txt")

// TestRecordedLLDB replays the packets a real lldb-22 sent in a whole
// debugging session (recorded with --log-output=gdbwire) against a real
// session on the same fixture, as `wdbg --gdb` sets it up, and compares
// every reply with the golden transcript. It needs no LLDB to run.
func TestRecordedLLDB(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no recorded transcripts")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			s, _, err := launch.Open(e2e.Fixture("c/point/point.O0.wasm"),
				launch.Options{Engine: engine.Config{EveryInstruction: true}})
			if err != nil {
				t.Fatal(err)
			}
			tg, err := New(s)
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Kill()
			root := regexp.QuoteMeta(e2e.RepoRoot())
			paths := regexp.MustCompile(root)
			gdbtest.Replay(t, tg, file, gdbtest.Options{Update: *update, Normalize: func(r string) string {
				return paths.ReplaceAllString(r, "$$ROOT")
			}})
		})
	}
}
