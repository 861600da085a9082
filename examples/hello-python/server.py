#!/usr/bin/env python3
"""hello-python: an external dockevOS plugin, and the reference client of its protocol.

An external plugin is any program that speaks MCP (the Model Context Protocol) on stdio:
JSON-RPC 2.0, one message a line, UTF-8. The runtime writes requests to this program's stdin
and reads answers from its stdout. Anything else printed on stdout, and all of stderr, goes to
the runtime's log under the plugin's name; so print your own diagnostics to stderr.

What the runtime sends, in order:
  1. initialize            -> answer with protocolVersion, capabilities, serverInfo
  2. notifications/initialized (no answer: it is a notification)
  3. tools/list            -> the tools; each becomes the shell command NAME:TOOL
  4. tools/call            -> whenever a user or a program invokes a tool
  5. ping                  -> every `health.interval`; answer {} within `health.timeout`
To stop the plugin the runtime closes stdin, then sends SIGTERM, then SIGKILL 5 s later.

Python 3 standard library only.
"""
import json
import sys

TOOLS = [
    {
        "name": "greet",
        "description": "Greets someone by name",
        "inputSchema": {
            "type": "object",
            "properties": {"name": {"type": "string", "description": "Who to greet"}},
            "required": ["name"],
        },
    },
]


def send(message):
    """Writes one message: a line of JSON on stdout, flushed at once."""
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def log(level, text):
    """MCP logging: the runtime writes it to its log under this plugin's name."""
    send({"jsonrpc": "2.0", "method": "notifications/message",
          "params": {"level": level, "logger": "hello", "data": text}})


def call_tool(name, arguments):
    if name == "greet":
        return {"content": [{"type": "text", "text": "Hello, %s!" % arguments.get("name", "world")}]}
    return {"content": [{"type": "text", "text": "no tool " + name}], "isError": True}


def handle(request):
    """Returns the result of a request; raises KeyError for a method it does not know."""
    method, params = request["method"], request.get("params") or {}
    if method == "initialize":
        return {
            "protocolVersion": params.get("protocolVersion", "2025-06-18"),
            "capabilities": {"tools": {}, "logging": {}},
            "serverInfo": {"name": "hello-python", "version": "1.0.0"},
        }
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        return call_tool(params["name"], params.get("arguments") or {})
    if method in ("ping", "logging/setLevel"):
        return {}
    raise KeyError(method)


def main():
    for line in sys.stdin:  # ends when the runtime closes stdin: the way to stop
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            print("not JSON: " + line[:100], file=sys.stderr)
            continue
        if "id" not in message:  # a notification: never answered
            if message.get("method") == "notifications/initialized":
                log("info", "hello-python is ready")
            continue
        if "method" not in message:
            continue  # an answer to a request of ours: this plugin sends none
        try:
            send({"jsonrpc": "2.0", "id": message["id"], "result": handle(message)})
        except KeyError as missing:
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32601, "message": "method not found: %s" % missing}})


if __name__ == "__main__":
    main()
