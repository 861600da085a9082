#!/usr/bin/env python3
"""The direct JSON-RPC round trip over a pipe, the baseline of issue 14's target: a tools/call of
examples/hello-python written to its stdin and its answer read from its stdout, one at a time.

    python3 benchmarks/external/pipe_roundtrip.py [N]     # prints the median and p99 in ms
"""
import json
import os
import statistics
import subprocess
import sys
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
server = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "hello-python", "server.py")
p = subprocess.Popen([sys.executable, server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def call(i, method, params):
    p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": params}) + "\n")
    p.stdin.flush()
    while True:
        answer = json.loads(p.stdout.readline())
        if answer.get("id") == i:
            return answer


call(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
times = []
for i in range(1, n + 1):
    t = time.perf_counter()
    call(i, "tools/call", {"name": "greet", "arguments": {"name": "Ada"}})
    times.append((time.perf_counter() - t) * 1000)
p.stdin.close()
p.wait()
times = times[n // 10:]  # warm-up
times.sort()
print("direct pipe round trip of tools/call: median %.3f ms, p99 %.3f ms (%d calls)"
      % (statistics.median(times), times[int(len(times) * 0.99)], len(times)))
