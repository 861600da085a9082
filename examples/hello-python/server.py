#!/usr/bin/env python3
"""hello-python: an external dockevOS plugin, and the reference client of its protocol.

An external plugin is any program that speaks MCP (the Model Context Protocol) on stdio:
JSON-RPC 2.0, one message a line, UTF-8. The runtime writes requests to this program's stdin
and reads answers from its stdout. Anything else printed on stdout, and all of stderr, goes to
the runtime's log under the plugin's name; so print your own diagnostics to stderr.

What the runtime sends, in order:
  1. initialize            -> answer with protocolVersion, capabilities, serverInfo
  2. notifications/initialized (no answer: it is a notification)
  3. notifications/dockevos/config  (only if both sides declared the dockevos capability)
  4. tools/list            -> the tools; each becomes the shell command NAME:TOOL
  5. tools/call            -> whenever a user or a program invokes a tool
  6. ping                  -> every `health.interval`; answer {} within `health.timeout`
To stop the plugin the runtime closes stdin; if it has not ended 1 s later, it sends SIGTERM,
then SIGKILL 5 s later.

The dockevOS extensions (an experimental MCP capability, "dockevos"): the runtime offers it in
initialize (params.capabilities.experimental.dockevos); a plugin that answers with its own
capabilities.experimental.dockevos gets
  - its configuration (config of plugin.yaml, values from Configuration Admin, PID
    dockevos.external.NAME, each - of NAME a .) in notifications/dockevos/config, at start and
    on every change;
  - events: it sends the requests dockevos/subscribe {topics} and dockevos/publish {topic,
    properties}, checked against its permissions (events.subscribe:, events.publish:), and gets
    notifications/dockevos/event {topic, properties} for the topics it subscribed to.

Python 3 standard library only.
"""
import json
import sys

CONFIG = {"greeting": "Hello", "excited": False}  # replaced by notifications/dockevos/config
EVENTS = []  # the last events received, newest last
PENDING = {}  # our requests to the runtime waiting for an answer: id -> what to do with it
NEXT_ID = [0]

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
    {
        "name": "announce",
        "description": "Publishes an event on a topic, and says what the runtime answered",
        "inputSchema": {
            "type": "object",
            "properties": {"topic": {"type": "string", "description": "The event's topic"}},
            "required": ["topic"],
        },
    },
    {
        "name": "events",
        "description": "Lists the topics of the last events received",
        "inputSchema": {"type": "object", "properties": {}},
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


def request(method, params, on_answer):
    """Sends a request of our own to the runtime; on_answer(message) runs when its answer comes."""
    NEXT_ID[0] += 1
    PENDING[NEXT_ID[0]] = on_answer
    send({"jsonrpc": "2.0", "id": NEXT_ID[0], "method": method, "params": params})


def text(words, error=False):
    return {"content": [{"type": "text", "text": words}], "isError": error}


def call_tool(name, arguments, reply):
    """Answers a tool call through reply(result): at once, or once the runtime answered us."""
    if name == "greet":
        who = arguments.get("name", "world")
        request("dockevos/publish", {"topic": "dockevos/hello/greeted", "properties": {"name": who}},
                lambda answer: None)
        reply(text("%s, %s%s" % (CONFIG["greeting"], who, "!!!" if CONFIG["excited"] else "!")))
    elif name == "announce":
        def answered(answer):
            if "error" in answer:
                log("warning", "announce refused: " + answer["error"]["message"])
                reply(text("refused: " + answer["error"]["message"], error=True))
            else:
                reply(text("published on " + arguments["topic"]))
        request("dockevos/publish", {"topic": arguments["topic"], "properties": {}}, answered)
    elif name == "events":
        reply(text("\n".join(EVENTS) or "no events yet"))
    else:
        reply(text("no tool " + name, error=True))


def notified(method, params):
    """A notification from the runtime: never answered."""
    if method == "notifications/initialized":
        log("info", "hello-python is ready")
        request("dockevos/subscribe", {"topics": ["dockevos/plugin/*", "dockevos/hello/*"]},
                lambda answer: log("warning" if "error" in answer else "info", "subscribe: %s"
                                   % answer.get("error", answer.get("result"))))
    elif method == "notifications/dockevos/config":
        CONFIG.update(params["config"])
        log("info", "configuration: %s" % json.dumps(params["config"], sort_keys=True))
    elif method == "notifications/dockevos/event":
        EVENTS.append("%s %s" % (params["topic"], params["properties"].get("plugin.id", "")))
        del EVENTS[:-20]


def handle(request):
    """Returns the result of a request; raises KeyError for a method it does not know."""
    method, params = request["method"], request.get("params") or {}
    if method == "initialize":
        offered = params.get("capabilities", {}).get("experimental", {}).get("dockevos")
        capabilities = {"tools": {}, "logging": {}}
        if offered:  # a dockevOS runtime: take its extensions
            capabilities["experimental"] = {"dockevos": {"version": 1}}
        return {
            "protocolVersion": params.get("protocolVersion", "2025-06-18"),
            "capabilities": capabilities,
            "serverInfo": {"name": "hello-python", "version": "1.0.0"},
        }
    if method == "tools/list":
        return {"tools": TOOLS}
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
            notified(message.get("method"), message.get("params") or {})
            continue
        if "method" not in message:  # the answer to a request of ours
            on_answer = PENDING.pop(message["id"], None)
            if on_answer:
                on_answer(message)
            continue
        answer = {"jsonrpc": "2.0", "id": message["id"]}
        if message["method"] == "tools/call":
            params = message["params"]
            call_tool(params["name"], params.get("arguments") or {},
                      lambda result, answer=answer: send(dict(answer, result=result)))
            continue
        try:
            send({"jsonrpc": "2.0", "id": message["id"], "result": handle(message)})
        except KeyError as missing:
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32601, "message": "method not found: %s" % missing}})


if __name__ == "__main__":
    main()
