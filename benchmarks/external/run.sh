#!/usr/bin/env bash
# External plugins (issue 14's targets), roughly: what a tool call of examples/hello-python costs
# through the shell and ActionService, against the same call of the in-JVM example greeter and
# against the direct JSON-RPC round trip over a pipe (pipe_roundtrip.py, which also times the program's
# own start: spawn to its answer of initialize); the time from the process's start to ACTIVE (the log's
# "started (pid N) in X ms"), the first in the JVM and later ones, and external:start's; and the idle cost
# of IDLE_PLUGINS copies of hello-python supervised (pings every 10 s): the CPU time of the JVM and of
# every child process, from /proc/PID/stat (utime + stime), over IDLE_SECONDS, as % of one core.
# Each figure of a call is a Gogo loop of CALLS calls in one bin/dockevos client, wall time / CALLS,
# the median of ROUNDS rounds: the shell's own cost is in both, so the difference is the plugin's.
#
#   benchmarks/external/run.sh        (all)
#   benchmarks/external/run.sh idle   (the idle cost only)
#
# Environment: BENCH_CALLS=2000, BENCH_ROUNDS=5, BENCH_IDLE_PLUGINS=50, BENCH_IDLE_SECONDS=60, DOCKEVOS_DIST (default <repo>/runtime/target/dockevos),
# GREETER_JAR (default examples/greeter/target/io.dockevos.example.greeter-*.jar).
# It copies the distribution to benchmarks/target/external/home/, starts it, and stops it at the end.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/external"
CALLS=${BENCH_CALLS:-2000}
ROUNDS=${BENCH_ROUNDS:-5}
IDLE_PLUGINS=${BENCH_IDLE_PLUGINS:-50}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-60}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
GREETER=${GREETER_JAR:-$(ls "$ROOT"/examples/greeter/target/io.dockevos.example.greeter-*.jar 2>/dev/null | grep -v sources | head -n 1 || true)}
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0; fi
[[ -x $DIST/bin/dockevos && ( ${1:-} == idle || -f $GREETER ) ]] || { echo "external/run.sh: build first (mvn -B install -DskipTests)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT" && cp -a "$DIST" "$OUT/home"
H="$OUT/home"
trap '"$H/bin/dockevos" stop >/dev/null 2>&1 || true' EXIT
"$H/bin/dockevos" start >/dev/null
"$H/bin/dockevos" client "feature:install dockevos-external" >/dev/null

. "$HERE/cpu.sh" # ticks, self
# CPU of the JVM and its children with IDLE_PLUGINS plugins, then of the JVM alone once they are
# uninstalled (the baseline, warm: right after its start a JVM still compiles).
idle() {
  local cmds=() n jvm b0 b1 j0 j1 t0 t1 s0 s1 hz
  hz=$(getconf CLK_TCK)
  jvm=$(cat "$H/data/dockevos.pid")
  for n in $(seq "$IDLE_PLUGINS"); do
    mkdir -p "$OUT/idle/hello-$n" && cp "$ROOT"/examples/hello-python/* "$OUT/idle/hello-$n/"
    sed -i "s/^name: hello-python/name: hello-$n/" "$OUT/idle/hello-$n/plugin.yaml"
    cmds+=("external:install --grant $OUT/idle/hello-$n")
  done
  (IFS=';'; "$H/bin/dockevos" client "${cmds[*]}" >/dev/null)
  n=$("$H/bin/dockevos" client "external:list" | grep -c ' ACTIVE ' || true)
  sleep 10 # the installs' own work settles
  s0=$(date +%s%N); t0=$(ticks "$jvm"); j0=$(self "$jvm")
  sleep "$IDLE_SECONDS"
  s1=$(date +%s%N); t1=$(ticks "$jvm"); j1=$(self "$jvm")
  cmds=()
  for n in $(seq "$IDLE_PLUGINS"); do cmds+=("external:uninstall hello-$n"); done
  (IFS=';'; "$H/bin/dockevos" client "${cmds[*]}" >/dev/null)
  sleep 10
  b0=$(ticks "$jvm"); sleep $(((s1 - s0) / 1000000000)); b1=$(ticks "$jvm")
  awk -v base=$((b1 - b0)) -v jd=$((j1 - j0)) -v d=$((t1 - t0)) -v hz="$hz" -v s=$(((s1 - s0) / 1000000)) -v n="$n" 'BEGIN {
    sec = s / 1000
    n = n + 0
    printf "- idle, %d external plugins ACTIVE (hello-python, pinged every 10 s), over %.0f s, in %% of one core: the JVM and the plugins %.2f%% (the JVM %.2f%%, the plugins %.2f%%); the JVM alone once they are uninstalled %.2f%%; so the plugins cost %.2f%% more\n",
      n, sec, 100 * d / hz / sec, 100 * jd / hz / sec, 100 * (d - jd) / hz / sec, 100 * base / hz / sec, 100 * (d - base) / hz / sec }'
}
if [[ ${1:-} == idle ]]; then
  idle | tee "$OUT/results.md"
  exit 0
fi
"$H/bin/dockevos" client "external:install --grant $ROOT/examples/hello-python" >/dev/null
"$H/bin/dockevos" client "plugin:install --grant $GREETER" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# external:start as a user sees it (it answers once the plugin is ACTIVE): its client's wall time less
# that of a client running external:list, the median of ROUNDS.
for _ in $(seq "$ROUNDS"); do
  "$H/bin/dockevos" client "external:stop hello-python" >/dev/null
  s=$(date +%s%N); "$H/bin/dockevos" client "external:start hello-python" >/dev/null; e=$(date +%s%N)
  "$H/bin/dockevos" client "external:list" >/dev/null; l=$(date +%s%N)
  echo $(( ((e - s) - (l - e)) / 1000000 ))
done | median > "$OUT/start.ms"
LIST=$(seq -s ' ' 1 "$CALLS")
for c in "greeter:greet name=x" "hello-python:greet name=x"; do
  for _ in $(seq "$ROUNDS"); do
    s=$(date +%s%N); "$H/bin/dockevos" client "each [$LIST] { $c }" >/dev/null; e=$(date +%s%N)
    echo $(( (e - s) / CALLS / 1000 ))
  done | median > "$OUT/${c%%:*}.us"
done
{
  echo "# External plugins ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "- a call through the shell and ActionService, median of $ROUNDS x $CALLS: greeter:greet (in the JVM) $(cat "$OUT/greeter.us") us, hello-python:greet (MCP over a pipe) $(cat "$OUT/hello-python.us") us"
  echo "- $(python3 "$HERE/pipe_roundtrip.py" "$CALLS")"
  idle
  echo "- process start to ACTIVE (the first is the first in this JVM):$(grep -o 'hello-python - started (pid [0-9]*) in [0-9]* ms' "$H/data/log/dockevos.log" | sed 's/.* in / /' | paste -sd,); external:start to its answer (ACTIVE), beyond a client's own cost: median $(cat "$OUT/start.ms") ms"
} | tee "$OUT/results.md"
