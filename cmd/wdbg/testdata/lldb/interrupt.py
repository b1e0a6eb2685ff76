# Halts a spinning guest through LLDB's SB API, as Ctrl-C does, then kills
# it. Usage: interrupt.py HOST:PORT. Prints what the Go test compares.
import sys
import time

import lldb

dbg = lldb.SBDebugger.Create()
dbg.SetAsync(True)
listener = dbg.GetListener()
err = lldb.SBError()
target = dbg.CreateTarget("")
process = target.ConnectRemote(listener, "connect://" + sys.argv[1], "wasm", err)
if not err.Success():
    sys.exit("connect: %s" % err)


def wait_for(states, timeout=30):
    ev = lldb.SBEvent()
    end = time.time() + timeout
    while time.time() < end:
        if listener.WaitForEvent(1, ev) and lldb.SBProcess.EventIsProcessEvent(ev):
            if lldb.SBProcess.GetStateFromEvent(ev) in states:
                return
    sys.exit("timed out waiting for %s (state %s)" % (states, process.GetState()))


if process.GetState() != lldb.eStateStopped:
    wait_for([lldb.eStateStopped])
process.Continue()
wait_for([lldb.eStateRunning])
time.sleep(0.5)  # let it spin
process.Stop()
wait_for([lldb.eStateStopped])
thread = process.GetSelectedThread()
print("stop:", thread.GetStopDescription(100))
print("function:", thread.GetFrameAtIndex(0).GetFunctionName())
process.Kill()
wait_for([lldb.eStateExited])
print("killed: exited")
