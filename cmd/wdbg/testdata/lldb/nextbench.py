# Times LLDB's `next` through wdbg's stub: 50 steps over the loop in
# loop.c, synchronously, each from the command to the stop. Usage:
# nextbench.py HOST:PORT. Prints one duration in seconds per line.
import sys
import time

import lldb

dbg = lldb.SBDebugger.Create()
dbg.SetAsync(False)
err = lldb.SBError()
target = dbg.CreateTarget("")
process = target.ConnectRemote(dbg.GetListener(), "connect://" + sys.argv[1], "wasm", err)
if not err.Success():
    sys.exit("connect: %s" % err)
bp = target.BreakpointCreateByLocation("loop.c", 10)
process.Continue()
thread = process.GetSelectedThread()
if thread.GetStopReason() != lldb.eStopReasonBreakpoint:
    sys.exit("did not stop at loop.c:10: %s" % thread.GetStopDescription(100))
target.BreakpointDelete(bp.GetID())
for _ in range(50):
    start = time.perf_counter()
    thread.StepOver()
    print(time.perf_counter() - start)
    line = thread.GetFrameAtIndex(0).GetLineEntry().GetLine()
    if line not in (9, 10):
        sys.exit("next went to line %d" % line)
process.Kill()
