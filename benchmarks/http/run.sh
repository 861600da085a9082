#!/usr/bin/env bash
# The HTTP feature and its REST API (issue 13's targets): the time to install dockevos-http and the
# RSS it adds; GET /api/v1/plugins sustained requests/s with p50 and p99 from a load generator of
# the JDK's HttpClient on loopback (HttpBench.java, THREADS clients each with its own connection);
# and what a REST call of an action costs beyond ActionService.invoke (the median REST round trip
# of greeter:greet, one call at a time, against the mean that ActionService measured of the same
# calls), and the same over MCP (tools/call greet at /mcp, after feature:install dockevos-mcp). A
# dockevOS-only figure: Karaf and a bare Felix have no such API.
#
#   benchmarks/http/run.sh
#
# Environment:
#   BENCH_HTTP_PORT=18181   the port of this run's server (loopback; not 8181, so that it never meets a test's)
#   BENCH_THREADS=8         load generator clients
#   BENCH_SECONDS=20        measured seconds (after 5 s of warm-up)
#   BENCH_ACTIONS=2000      action calls timed
#   DOCKEVOS_DIST=...       unpacked distribution (default: <repo>/runtime/target/dockevos)
#   GREETER_JAR=...         the example plugin (default: <repo>/examples/greeter/target/io.dockevos.example.greeter-*.jar,
#                           else the one in MAVEN_REPO, default ~/.m2/repository)
#
# It copies the distribution afresh to benchmarks/target/http/home/, starts it, stops it at the end
# (only the instance it started), and writes benchmarks/target/http/results.md.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/http"
PORT=${BENCH_HTTP_PORT:-18181}
THREADS=${BENCH_THREADS:-8}
SECONDS_=${BENCH_SECONDS:-20}
ACTIONS=${BENCH_ACTIONS:-2000}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "http/run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
GREETER=${GREETER_JAR:-$(ls "$ROOT"/examples/greeter/target/io.dockevos.example.greeter-*.jar \
  "${MAVEN_REPO:-$HOME/.m2/repository}"/io/dockevos/io.dockevos.example.greeter/*/io.dockevos.example.greeter-*.jar 2>/dev/null | head -n 1)}
if [[ ! -f $GREETER || ! -x $DIST/bin/dockevos ]]; then
  echo "http/run.sh: build dockevOS first (mvn -q -DskipTests install): need $DIST and the greeter jar" >&2
  exit 1
fi
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
HOME_DIR="$OUT/home"
rm -rf "$HOME_DIR"
mkdir -p "$OUT"
cp -a "$DIST" "$HOME_DIR"
# A fresh home: what a run of the unpacked distribution left (its data, dropped files) is not this run's.
rm -rf "$HOME_DIR/data"
find "$HOME_DIR/deploy" -mindepth 1 -delete
printf 'org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=%s\n' "$PORT" > "$HOME_DIR/etc/org.apache.felix.http.cfg"
D="$HOME_DIR/bin/dockevos"
BASE="http://127.0.0.1:$PORT"
client() { DOCKEVOS_HOME="$HOME_DIR" "$D" client "$@"; }
now_ms() { date +%s%3N; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
DOCKEVOS_HOME="$HOME_DIR" "$D" start > /dev/null
trap 'DOCKEVOS_HOME="$HOME_DIR" "$D" stop > /dev/null || true' EXIT
PID=$(cat "$HOME_DIR/data/dockevos.pid")
sleep 10
rss_before=$(rss_kb "$PID")
t0=$(now_ms); client 'lb' > /dev/null; t1=$(now_ms); client_ms=$((t1 - t0))
t0=$(now_ms)
client 'feature:install dockevos-http' > "$OUT/install.txt"
t_cmd=$(now_ms)
until [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/plugins") == 401 ]]; do sleep 0.01; done
t1=$(now_ms)
install_ms=$((t1 - t0 - client_ms))
command_ms=$((t_cmd - t0 - client_ms))
sleep 10
rss_after=$(rss_kb "$PID")
TOKEN=$(DOCKEVOS_HOME="$HOME_DIR" "$D" token create --name bench --scope admin | sed -n 2p)
client "plugin:install $GREETER" > /dev/null
read -r rps p50 p99 max errors < <("$JAVA_HOME/bin/java" "$HERE/HttpBench.java" load "$BASE" "$TOKEN" "$THREADS" 5 "$SECONDS_")
read -r rest_ms invoke_ms overhead_ms < <("$JAVA_HOME/bin/java" "$HERE/HttpBench.java" action "$BASE" "$TOKEN" "$ACTIONS")
client 'feature:install dockevos-mcp' > "$OUT/install-mcp.txt"
until [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/mcp") == 401 ]]; do sleep 0.05; done
read -r mcp_ms mcp_invoke_ms mcp_overhead_ms < <("$JAVA_HOME/bin/java" "$HERE/HttpBench.java" mcp "$BASE" "$TOKEN" "$ACTIONS")
plugins=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/plugins" | grep -c '"symbolicName"')
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "| figure | value | target |"
  echo "|---|---|---|"
  echo "| install dockevos-http (feature:install until the API answers, less one client command of ${client_ms} ms) | ${install_ms} ms (the command returned after ${command_ms} ms) | ≤ 1000 ms |"
  echo "| RSS added (10 s after, VmRSS) | $(( (rss_after - rss_before) / 1024 )) MB ($((rss_before / 1024)) → $((rss_after / 1024)) MB) | ≤ 25 MB |"
  echo "| GET /api/v1/plugins ($plugins plugins), $THREADS clients, ${SECONDS_} s | ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms, ${errors} errors | ≥ 1000 req/s, p99 ≤ 20 ms |"
  echo "| greeter:greet over REST, median of $ACTIONS | ${rest_ms} ms; ActionService.invoke's mean ${invoke_ms} ms: ${overhead_ms} ms more | ≤ 2 ms more |"
  echo "| greeter's greet tool over MCP (Streamable HTTP), median of $ACTIONS | ${mcp_ms} ms; ActionService.invoke's mean ${mcp_invoke_ms} ms: ${mcp_overhead_ms} ms more | ≤ 2 ms more |"
} | tee "$OUT/results.md"
