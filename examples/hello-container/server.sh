#!/bin/sh
# hello-container: an external dockevOS plugin that runs in a container (runtime: container), an MCP
# server in busybox sh. The image is busybox and this file only: the build makes it (image.sh).
#
# The runtime attaches to the container's stdin and stdout and speaks MCP over them, one JSON-RPC
# message a line, as it does over a process's pipes (see examples/hello-python for the protocol).
# The container has no network, a read-only root file system, the user 65534 and no capabilities:
# the tool `sandbox` shows that from inside. Its plugin folder is mounted read-only at
# $DOCKEVOS_PLUGIN_DIR (/plugin) and its data folder, data/plugins/hello-container/ of the runtime,
# writable at $DOCKEVOS_DATA_DIR (/data): the tool `files` reads the one and writes in the other.
#
# A shell has no JSON parser: this one takes the fields it needs with sed, from the line as the
# runtime's client writes it (jsonrpc, method, id, then params). A real plugin uses a JSON library.

send() { printf '%s\n' "$1"; }

# The string value of "$1" in $2, or nothing (no escaped quotes in it).
str() { printf '%s' "$2" | sed -n "s/.*\"$1\":\"\([^\"\\\\]*\)\".*/\1/p"; }

tools='[{"name":"greet","description":"Greets someone by name, from a container","inputSchema":{"type":"object","properties":{"name":{"type":"string","description":"Who to greet"}},"required":["name"]}},{"name":"sandbox","description":"What the sandbox looks like from inside the container","inputSchema":{"type":"object","properties":{}}},{"name":"files","description":"Reads plugin.yaml in its folder and adds a line to visits.log in its data folder","inputSchema":{"type":"object","properties":{}}}]'

sandbox() {
  if touch /probe 2>/dev/null; then rm -f /probe; root=writable; else root=read-only; fi
  printf 'user %s, root file system %s, network interfaces: %s, capabilities: %s' "$(id -u)" "$root" \
    "$(ls /sys/class/net | tr '\n' ' ' | sed 's/ $//')" "$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)"
}

# Its folder (read-only) and its data folder (kept across restarts and updates).
files() {
  yaml=$DOCKEVOS_PLUGIN_DIR/plugin.yaml log=$DOCKEVOS_DATA_DIR/visits.log
  name=$(sed -n 's/^name: *//p' "$yaml" 2>/dev/null)
  if [ -z "$name" ]; then printf 'cannot read %s' "$yaml"; return; fi
  if ! date -u '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null >> "$log"; then printf 'cannot write %s' "$log"; return; fi
  printf '%s names %s; %s: %s visits' "$yaml" "$name" "$log" "$(wc -l < "$log")"
}

while IFS= read -r line; do          # ends when the runtime closes stdin: the way to stop
  head=${line%%\"params\":*}
  method=$(str method "$head")
  id=$(printf '%s' "$head" | sed -n 's/.*"id":\("[^"]*"\|-\{0,1\}[0-9][0-9]*\).*/\1/p')
  if [ -z "$id" ]; then               # a notification: never answered
    [ "$method" = notifications/initialized ] && send '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","logger":"hello","data":"hello-container is ready"}}'
    continue
  fi
  case $method in
    initialize)
      version=$(str protocolVersion "$line")
      send '{"jsonrpc":"2.0","id":'"$id"',"result":{"protocolVersion":"'"${version:-2025-06-18}"'","capabilities":{"tools":{},"logging":{}},"serverInfo":{"name":"hello-container","version":"1.0.0"}}}' ;;
    tools/list)
      send '{"jsonrpc":"2.0","id":'"$id"',"result":{"tools":'"$tools"'}}' ;;
    tools/call)
      params=${line#*\"params\":}
      args=${params#*\"arguments\":}
      case $(str name "${params%%\"arguments\":*}") in
        greet) text="Hello, $(str name "$args")! (from a container)" ;;
        sandbox) text=$(sandbox) ;;
        files) text=$(files) ;;
        *) send '{"jsonrpc":"2.0","id":'"$id"',"result":{"content":[{"type":"text","text":"no such tool"}],"isError":true}}'; continue ;;
      esac
      send '{"jsonrpc":"2.0","id":'"$id"',"result":{"content":[{"type":"text","text":"'"$text"'"}]}}' ;;
    ping|logging/setLevel)
      send '{"jsonrpc":"2.0","id":'"$id"',"result":{}}' ;;
    *)
      send '{"jsonrpc":"2.0","id":'"$id"',"error":{"code":-32601,"message":"method not found: '"$method"'"}}' ;;
  esac
done
# End of input: the runtime asks it to end (before a SIGTERM, which would end it with status 143).
echo "end of input: leaving" >&2
exit 0
