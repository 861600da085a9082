#!/usr/bin/env bash
# The OCI image (issue 16's targets): its size (at most 150 MB), and a container's start to ready against
# the same distribution started as a process (at most 1.5x), side by side, medians of RUNS runs each.
# Both sides run the image's entry point, bin/dockevos foreground, and count from the launch (podman run,
# or the script) to the line "dockevOS ready in" on its standard output; then SIGTERM stops it (podman stop).
#   first start: an empty data/ each time (a new container on a new volume; a new home's data/)
#   restart:     the data/ of an earlier start (the same volume; the same home)
# The process side uses the distribution as unpacked by the build, with its class-data sharing archive
# (lib/cds, made by a first start); the container has a read-only root, as in Kubernetes, hence none.
#
#   set -a; . <(.ci/engine.sh env); set +a   # the engine (.ci/engine.sh install; .ci/engine.sh start)
#   benchmarks/image/run.sh
#
# Environment:
#   BENCH_RUNS=5            runs of each kind
#   DOCKER_HOST             the engine's socket (from .ci/engine.sh env)
#   DOCKEVOS_IMAGE_TAR=...  the image (default: <repo>/runtime/target/dockevos-image.tar)
#   DOCKEVOS_DIST=...       the distribution (default: <repo>/runtime/target/dockevos)
# It writes benchmarks/target/image/results.md, and removes what it made (its containers, volumes, homes).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/image"
RUNS=${BENCH_RUNS:-5}
TAR=${DOCKEVOS_IMAGE_TAR:-$ROOT/runtime/target/dockevos-image.tar}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "image/run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "${DOCKER_HOST:-}" ] || { echo "image/run.sh: DOCKER_HOST is not set: start the engine (.ci/engine.sh start) and export what it prints" >&2; exit 1; }
[ -f "$TAR" ] || { echo "image/run.sh: no image at $TAR: build it (mvn -B install -pl runtime/image -am -DskipTests)" >&2; exit 1; }
[ -x "$DIST/bin/dockevos" ] || { echo "image/run.sh: no distribution at $DIST" >&2; exit 1; }
podman_() { podman --url "$DOCKER_HOST" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

rm -rf "$OUT"; mkdir -p "$OUT"
image=$(podman_ load -i "$TAR" | sed -n 's/^Loaded image: *//p' | head -n 1)
size=$(podman_ image inspect --format '{{.Size}}' "$image")
tar_size=$(stat -c %s "$TAR")
echo "image: $image, $((size / 1000000)) MB in the engine (the tar: $((tar_size / 1000000)) MB)"

# One container start: NAME VOLUME; prints the milliseconds from podman run to the ready line.
container_once() {
  local name=$1 volume=$2 begin line
  begin=$(now_ms)
  coproc RUN { podman_ run --rm --name "$name" --read-only --cap-drop ALL -v "$volume:/opt/dockevos/data" "$image" 2>&1; }
  local pid=$RUN_PID
  while IFS= read -r line <&"${RUN[0]}"; do
    case $line in *"dockevOS ready in"*) echo $(( $(now_ms) - begin )); break ;; esac
  done
  podman_ stop -t 30 "$name" >/dev/null
  wait "$pid" 2>/dev/null || true
}

# One process start: HOME; prints the milliseconds from the launch to the ready line.
process_once() {
  local home=$1 begin line
  begin=$(now_ms)
  coproc RUN { exec "$home/bin/dockevos" foreground 2>&1; }
  local pid=$RUN_PID
  while IFS= read -r line <&"${RUN[0]}"; do
    case $line in *"dockevOS ready in"*) echo $(( $(now_ms) - begin )); break ;; esac
  done
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  for i in $(seq 1 "$RUNS"); do podman_ volume rm -f "bench-image-first-$i" >/dev/null 2>&1 || true; done
  podman_ volume rm -f bench-image-restart >/dev/null 2>&1 || true
  rm -rf "$OUT/homes"
}
trap cleanup EXIT

# The process's home: the distribution as built, its CDS archive made by one start first.
mkdir -p "$OUT/homes"
cp -a "$DIST" "$OUT/homes/base"
process_once "$OUT/homes/base" >/dev/null
rm -rf "$OUT/homes/base/data"
# The same for the container: one start first (the engine's caches, the image's files read once).
podman_ volume rm -f bench-image-restart >/dev/null 2>&1 || true
container_once bench-image-warm bench-image-restart >/dev/null

declare -A t=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/homes/p"; cp -a "$OUT/homes/base" "$OUT/homes/p"
  t[pf]+="$(process_once "$OUT/homes/p") "
  t[pr]+="$(process_once "$OUT/homes/p") "
  t[cf]+="$(container_once "bench-image-$i" "bench-image-first-$i") "
  t[cr]+="$(container_once "bench-image-$i" bench-image-restart) "
  echo "run $i of $RUNS done"
done
report() {
  local label=$1 p=$2 c=$3 pm cm
  pm=$(tr ' ' '\n' <<< "$p" | grep . | median)
  cm=$(tr ' ' '\n' <<< "$c" | grep . | median)
  printf '| %s | %s ms | %s ms | %s |\n' "$label" "$pm" "$cm" "$(awk -v a="$cm" -v b="$pm" 'BEGIN {printf "%.2fx", a / b}')"
  printf '|  runs (ms) | %s | %s | |\n' "$p" "$c"
}
{
  echo "# The OCI image: size and start to ready (benchmarks/image/run.sh)"
  echo
  echo "- image: $image, $((size / 1000000)) MB in the engine (target: at most 150 MB); the tar $((tar_size / 1000000)) MB"
  echo "- start to ready: from the launch to the line \"dockevOS ready in\" on standard output, medians of $RUNS runs"
  echo "- $(nproc) cores; $(podman_ version --format 'engine: Podman {{.Server.Version}}' 2>/dev/null || echo engine)"
  echo
  echo "| start | process | container | container / process (target: at most 1.5x) |"
  echo "|---|---|---|---|"
  report "first start (empty data/)" "${t[pf]}" "${t[cf]}"
  report "restart (its data/)" "${t[pr]}" "${t[cr]}"
} > "$OUT/results.md"
cat "$OUT/results.md"
