#!/usr/bin/env bash
# The container cycle (create, start, wait, logs, remove of the test image running a trivial
# command) through docker-java in dockevOS (the DockerEngine service, in-process: docker:bench) and
# through the docker CLI (one process per step, as a shell script would do it), side by side, against
# the same engine. Prints the medians and the ratio; writes benchmarks/docker/target/results.md.
#
# usage: benchmarks/docker/run.sh            (BENCH_CYCLES, default 30; BENCH_COMMAND, default "echo hi")
# Needs a built distribution (mvn -q -DskipTests install; or DOCKEVOS_DIST) and the docker CLI. Uses
# DOCKER_HOST if it answers, else starts .ci/engine.sh's engine (and stops it at the end).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/benchmarks/docker/target
N=${BENCH_CYCLES:-30}
CMD=${BENCH_COMMAND:-echo hi}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
[ -x "$DIST/bin/dockevos" ] || { echo "no distribution at $DIST: build it (mvn -q -DskipTests install)" >&2; exit 1; }
command -v docker >/dev/null || { echo "the docker CLI is not installed" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockevos-docker-bench.XXXXXX")
started_engine=no
cleanup() {
  [ -x "$WORK/dockevos/bin/dockevos" ] && "$WORK/dockevos/bin/dockevos" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  [ "$started_engine" = yes ] && "$ROOT/.ci/engine.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ -z "${DOCKER_HOST:-}" ] || ! docker version >/dev/null 2>&1; then
  "$ROOT/.ci/engine.sh" install >/dev/null
  env_lines=$("$ROOT/.ci/engine.sh" start)
  started_engine=yes
  while IFS='=' read -r k v; do export "$k=$v"; done <<< "$env_lines"
fi
IMAGE=${DOCKEVOS_TEST_IMAGE:-dockevos/busybox:test}
echo "engine: $DOCKER_HOST ($(docker version --format '{{.Server.Version}}' 2>/dev/null)), image $IMAGE, $N cycles of: $CMD"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

cp -r "$DIST" "$WORK/dockevos"
D=$WORK/dockevos/bin/dockevos
"$D" start >/dev/null
"$D" client 'feature:install dockevos-docker' >/dev/null
for _ in $(seq 1 100); do "$D" client docker:engine | grep -q 'state:    UP' && break; sleep 0.1; done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "–" max}'; }

# warm-up, unrecorded: the first cycles load classes (dockevOS) and the page cache (both)
"$D" client "docker:bench 3 $IMAGE $CMD" >/dev/null
for _ in 1 2 3; do id=$(docker create "$IMAGE" $CMD); docker start "$id" >/dev/null; docker wait "$id" >/dev/null; docker logs "$id" >/dev/null; docker rm "$id" >/dev/null; done

# Interleaved, one cycle of each in turn, so that a change in the machine's load hits both alike.
# dockevOS: one cycle in-process per client call, timed inside the JVM (the client is not timed);
# docker CLI: the same steps, each a docker process, timed from the shell.
: > "$OUT/dockevos.txt"
: > "$OUT/cli.txt"
for _ in $(seq 1 "$N"); do
  "$D" client "docker:bench 1 $IMAGE $CMD" | sed -n 's/^cycles ms: //p' >> "$OUT/dockevos.txt"
  t0=$(date +%s%N)
  id=$(docker create "$IMAGE" $CMD)
  docker start "$id" >/dev/null
  docker wait "$id" >/dev/null
  docker logs "$id" >/dev/null
  docker rm "$id" >/dev/null
  echo $(( ($(date +%s%N) - t0) / 1000000 )) >> "$OUT/cli.txt"
done

dm=$(median < "$OUT/dockevos.txt"); cm=$(median < "$OUT/cli.txt")
ratio=$(awk -v a="$dm" -v b="$cm" 'BEGIN {printf "%.2f", a / b}')
{
  echo "| container cycle (create, start, wait, logs, rm; \`$CMD\`) | dockevOS (docker-java, in-process) | docker CLI | dockevOS/CLI |"
  echo "|---|---|---|---|"
  echo "| median of $N | $dm ms ($(minmax < "$OUT/dockevos.txt") ms) | $cm ms ($(minmax < "$OUT/cli.txt") ms) | ${ratio}× |"
} | tee "$OUT/results.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
