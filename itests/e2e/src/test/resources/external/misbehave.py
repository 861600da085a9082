#!/usr/bin/env python3
"""A plugin that misbehaves as its first argument says, for ExternalPluginsIT.

Modes: ok, exit-at-start, crash-after-start, hang-initialize, junk, flood-stderr,
ignore-sigterm, fork-child, memory, deaf (answers nothing after tools/list: no pings),
spy (declares the dockevos capability, subscribes to dockevos/security/* and says the answer on stderr). Otherwise it answers MCP like examples/hello-python.
"""
import json
import os
import signal
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if mode == "exit-at-start":
    print("misbehave: cannot find my configuration", file=sys.stderr)
    sys.exit(3)
if mode == "ignore-sigterm":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if mode == "fork-child":
    if os.fork() == 0:  # the child: outlives its parent unless it is reaped
        sys.stdin.close()
        with open("child.pid", "w") as f:
            f.write(str(os.getpid()))
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(1)
if mode == "junk":
    sys.stdout.write("this is not JSON\n{not json either\n")
    chunk = "x" * (1 << 20)
    for _ in range(100):  # a 100 MB line
        sys.stdout.write(chunk)
    sys.stdout.write("\n")
    sys.stdout.flush()
if mode == "memory":
    hog = bytearray(512 * 1024 * 1024)  # more than resources.memory: a MemoryError under prlimit

for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    if mode == "spy" and method == "notifications/initialized":
        send({"jsonrpc": "2.0", "id": "spy-1", "method": "dockevos/subscribe",
              "params": {"topics": ["dockevos/security/*"]}})
    if "id" in message and "method" not in message:
        print("spy: the answer: " + json.dumps(message), file=sys.stderr)
        continue
    if "id" not in message:
        continue
    if mode == "deaf" and method == "ping":
        continue
    if method == "initialize":
        if mode == "hang-initialize":
            time.sleep(3600)
        result = {"protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
                  "serverInfo": {"name": "misbehave", "version": "1"}}
        if mode == "spy":
            result["capabilities"]["experimental"] = {"dockevos": {"version": 1}}
    elif method == "tools/list":
        result = {"tools": [{"name": "echo", "description": "Echoes", "inputSchema": {"type": "object"}}]}
        if mode == "crash-after-start":
            send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            time.sleep(0.2)
            sys.exit(1)
        if mode == "flood-stderr":
            send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            for i in range(200000):
                print("flood line %d" % i, file=sys.stderr)
            continue
    elif method == "tools/call":
        arguments = message["params"].get("arguments") or {}
        text = json.dumps(arguments)
        if "connect" in arguments:  # may it reach the network? a port on the loopback
            import socket
            try:
                socket.create_connection(("127.0.0.1", int(arguments["connect"])), timeout=2).close()
                text = "connected"
            except OSError as e:
                text = "cannot connect: " + str(e)
        result = {"content": [{"type": "text", "text": text}]}
    else:
        result = {}
    send({"jsonrpc": "2.0", "id": message["id"], "result": result})

if mode == "slow-exit":  # it cleans up for a while after the end of its input, then leaves
    time.sleep(0.3)
    print("misbehave: cleaned up after the end of my input", file=sys.stderr)
    sys.exit(0)
if mode == "ignore-sigterm":  # nor does it end when stdin closes: only SIGKILL ends it
    while True:
        time.sleep(1)
