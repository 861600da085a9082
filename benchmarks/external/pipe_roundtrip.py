#!/usr/bin/env python3
"""The baselines of issue 14's targets, done directly over a pipe to examples/hello-python:
- the JSON-RPC round trip: a tools/call written to its stdin and its answer read from its stdout, one at a time;
- the program's own start: from spawning it (its file, by its #! line, as the runtime does) to its answer
  of initialize, over STARTS fresh processes.

    python3 benchmarks/external/pipe_roundtrip.py [N] [STARTS]   # prints the medians (and p99) in ms
"""
import json
import os
import statistics
import subprocess
import sys
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
starts = int(sys.argv[2]) if len(sys.argv) > 2 else 10
server = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "hello-python", "server.py")
INIT = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}


def start():
    return subprocess.Popen([server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def call(i, method, params):
    p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": params}) + "\n")
    p.stdin.flush()
    while True:
        answer = json.loads(p.stdout.readline())
        if answer.get("id") == i:
            return answer


started = []
for _ in range(starts):
    t = time.perf_counter()
    p = start()
    call(0, "initialize", INIT)
    started.append((time.perf_counter() - t) * 1000)
    p.stdin.close()
    p.wait()
p = start()
call(0, "initialize", INIT)
times = []
for i in range(1, n + 1):
    t = time.perf_counter()
    call(i, "tools/call", {"name": "greet", "arguments": {"name": "Ada"}})
    times.append((time.perf_counter() - t) * 1000)
p.stdin.close()
p.wait()
times = times[n // 10:]  # warm-up
times.sort()
print("direct pipe round trip of tools/call: median %.3f ms, p99 %.3f ms (%d calls); the program's own start"
      " (spawn to its answer of initialize): median %.0f ms of %d" % (statistics.median(times),
      times[int(len(times) * 0.99)], len(times), statistics.median(started), starts))
