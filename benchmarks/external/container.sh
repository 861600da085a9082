#!/usr/bin/env bash
# Container plugins (issue 14, runtime: container), roughly, for examples/hello-container against a
# real engine: the time from creating its container to ACTIVE (the log's "started (container ID, pid
# N) in X ms"), cold (the first container of the freshly imported image) then warm (stop and start);
# a tool call through the shell and ActionService, the same server.sh (busybox sh) in its container
# and as a process plugin (busybox sh on the host), both without the example's cpus: 0.5, and the
# container with it; and the idle cost of IDLE_PLUGINS copies of hello-container supervised (pings
# every 10 s): the CPU time (utime + stime of /proc/PID/stat) over IDLE_SECONDS of the JVM, of each
# container's conmon with everything under it (its init and sh, and the children they waited for:
# cutime + cstime), and of the engine's service, as %
# of one core; then of the JVM alone once they are uninstalled (the baseline).
# Each figure of a call is a Gogo loop of CALLS calls in one bin/dockevos client, wall time / CALLS,
# the median of ROUNDS rounds: the shell's own cost is in both, so the difference is the runtime's.
#
#   benchmarks/external/container.sh        (all)
#   benchmarks/external/container.sh idle   (the idle cost only)
#
# Needs the engine's DOCKER_HOST (.ci/engine.sh start prints it), a built distribution and the image
# of hello-container (mvn -B install -DskipTests; examples/hello-container/target/hello-container-rootfs.tar).
# Environment: BENCH_CALLS=300, BENCH_ROUNDS=5, BENCH_IDLE_PLUGINS=10, BENCH_IDLE_SECONDS=60, DOCKEVOS_DIST (default <repo>/runtime/target/dockevos).
# It copies the distribution to benchmarks/target/external-container/home/, starts it, and at the end
# uninstalls its plugins (which removes their containers), removes the image and stops it.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/external-container"
CALLS=${BENCH_CALLS:-300}
ROUNDS=${BENCH_ROUNDS:-5}
IDLE_PLUGINS=${BENCH_IDLE_PLUGINS:-10}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-60}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
EXAMPLE=$ROOT/examples/hello-container
TAR=$EXAMPLE/target/hello-container-rootfs.tar
IMAGE=dockevos/hello-container:1.0.0
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0; fi
[[ -x $DIST/bin/dockevos && -f $TAR ]] || { echo "external/container.sh: build first (mvn -B install -DskipTests; $TAR needs a static /bin/busybox)" >&2; exit 1; }
[[ ${DOCKER_HOST:-} == unix://* ]] && curl -sf --unix-socket "${DOCKER_HOST#unix://}" http://d/_ping >/dev/null \
  || { echo "external/container.sh: no engine answers at DOCKER_HOST='${DOCKER_HOST:-}' (.ci/engine.sh start prints it)" >&2; exit 1; }
SOCK=${DOCKER_HOST#unix://}
api() { curl -sf --unix-socket "$SOCK" "http://d$1"; }
rm -rf "$OUT" && mkdir -p "$OUT" && cp -a "$DIST" "$OUT/home"
H="$OUT/home"
D() { "$H/bin/dockevos" client "$@"; }
# Uninstalls every external plugin (which removes its container).
uninstall_all() {
  local cmds=() p
  for p in $(D "external:list" 2>/dev/null | awk -F'|' 'NR > 1 && NF > 2 {gsub(/ /, "", $1); print $1}'); do
    cmds+=("external:uninstall $p")
  done
  if ((${#cmds[@]})); then (IFS=';'; D "${cmds[*]}" >/dev/null 2>&1 || true); fi
}
cleanup() {
  uninstall_all
  D "docker:rmi -f $IMAGE" >/dev/null 2>&1 || true
  "$H/bin/dockevos" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$H/bin/dockevos" start >/dev/null
D "feature:install dockevos-docker; feature:install dockevos-external" >/dev/null
for _ in $(seq 100); do D "docker:engine" | grep -q 'state: *UP' && break; sleep 0.2; done
D "docker:import $TAR $IMAGE /bin/sh /server.sh" >/dev/null

# A copy of hello-container named $2 in $OUT/$2, with plugin.yaml edited by the sed script $3.
copy() { mkdir -p "$OUT/$2" && cp "$1"/plugin.yaml "$1"/server.sh "$OUT/$2/" && sed -i -e "s/^name: .*/name: $2/" -e "$3" "$OUT/$2/plugin.yaml"; }
. "$HERE/cpu.sh" # ticks, self
# The conmon of each container labelled io.dockevos.plugin: the parent of its init (State.Pid).
conmons() {
  local id pid
  for id in $(api '/containers/json?filters=%7B%22label%22%3A%5B%22io.dockevos.plugin%22%5D%7D' | python3 -c \
      'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))'); do
    pid=$(api "/containers/$id/json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["State"]["Pid"])')
    awk '{print $4}' /proc/"$pid"/stat
  done
}
# The engine's service: the process that listens on the socket (.ci/engine.sh writes its pid beside it).
engine_pid() { cat "$(dirname "$SOCK")/service.pid" 2>/dev/null || echo ""; }

idle() {
  local cmds=() n jvm eng cm b0 b1 j0 j1 c0 c1 e0 e1 s0 s1 hz
  hz=$(getconf CLK_TCK)
  jvm=$(cat "$H/data/dockevos.pid")
  eng=$(engine_pid)
  for n in $(seq "$IDLE_PLUGINS"); do
    copy "$EXAMPLE" "hello-c$n" ''
    cmds+=("external:install $OUT/hello-c$n")
  done
  (IFS=';'; D "${cmds[*]}" >/dev/null)
  n=$(D "external:list" | grep -c ' ACTIVE ' || true)
  read -r -a cm <<< "$(conmons | tr '\n' ' ')"
  sleep 10 # the installs' own work settles
  s0=$(date +%s%N); j0=$(ticks "$jvm"); c0=$(WAITED=1 ticks "${cm[@]}"); e0=$([[ -n $eng ]] && self "$eng" || echo 0)
  sleep "$IDLE_SECONDS"
  s1=$(date +%s%N); j1=$(ticks "$jvm"); c1=$(WAITED=1 ticks "${cm[@]}"); e1=$([[ -n $eng ]] && self "$eng" || echo 0)
  cmds=()
  for n in $(seq "$IDLE_PLUGINS"); do cmds+=("external:uninstall hello-c$n"); done
  (IFS=';'; D "${cmds[*]}" >/dev/null)
  sleep 10
  b0=$(ticks "$jvm"); sleep $(((s1 - s0) / 1000000000)); b1=$(ticks "$jvm")
  awk -v base=$((b1 - b0)) -v jd=$((j1 - j0)) -v cd=$((c1 - c0)) -v ed=$((e1 - e0)) -v hz="$hz" -v s=$(((s1 - s0) / 1000000)) \
      -v n="$n" -v c=${#cm[@]} 'BEGIN {
    sec = s / 1000
    n = n + 0
    printf "- idle, %d container plugins ACTIVE (hello-container, pinged every 10 s), over %.0f s, in %% of one core: the JVM %.2f%%, their %d conmons with their init and sh %.2f%%, the engine'"'"'s service %.2f%%; the JVM alone once they are uninstalled %.2f%%; so the plugins cost %.2f%% more\n",
      n, sec, 100 * jd / hz / sec, c, 100 * cd / hz / sec, 100 * ed / hz / sec, 100 * base / hz / sec, 100 * (jd + cd + ed - base) / hz / sec }'
}
if [[ ${1:-} == idle ]]; then
  idle | tee "$OUT/results.md"
  exit 0
fi

# Start to ACTIVE: cold (the image's first container), then warm.
copy "$EXAMPLE" bench-container '/^  cpus:/d'
D "external:install $OUT/bench-container" >/dev/null
for _ in 1 2 3 4 5; do D "external:stop bench-container; external:start bench-container" >/dev/null; done
STARTS=$(grep -o 'bench-container - started (container [0-9a-f]*, pid [0-9]*) in [0-9]* ms' "$H/data/log/dockevos.log" \
  | sed 's/.* in \([0-9]*\) ms/\1/')
# The same server.sh as a process: busybox sh on the host.
copy "$EXAMPLE" bench-process "s|^runtime: container|runtime: process\ncommand: /bin/busybox\nargs: [sh, $OUT/bench-process/server.sh]|; /^image:/d; /^  cpus:/d"
D "external:install $OUT/bench-process" >/dev/null
copy "$EXAMPLE" bench-halfcpu ''
D "external:install $OUT/bench-halfcpu" >/dev/null
LIST=$(seq -s ' ' 1 "$CALLS")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for p in bench-process bench-container bench-halfcpu; do
  [[ $(D "$p:greet name=x") == *"Hello, x!"* ]] || { echo "external/container.sh: $p:greet does not answer" >&2; exit 1; }
  for _ in $(seq "$ROUNDS"); do
    s=$(date +%s%N); D "each [$LIST] { $p:greet name=x }" >/dev/null; e=$(date +%s%N)
    echo $(((e - s) / CALLS / 1000))
  done | median > "$OUT/$p.us"
done
{
  echo "# Container plugins ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), engine $(api /version | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v.get("Components",[{}])[0].get("Name","?"), v["Version"])'))"
  echo "- container created to ACTIVE (first is cold, the image's first container): $(echo "$STARTS" | sed 's/$/ ms/' | paste -sd, - | sed 's/,/, /g')"
  echo "- a call of greet through the shell and ActionService, median of $ROUNDS x $CALLS: server.sh as a process $(cat "$OUT/bench-process.us") us, in its container $(cat "$OUT/bench-container.us") us, in its container with cpus: 0.5 $(cat "$OUT/bench-halfcpu.us") us"
  uninstall_all # the idle figure counts its own plugins only
  idle
} | tee "$OUT/results.md"
