#!/usr/bin/env bash
# A fleet's convergence (issue 16's target: three replicas converge to a changed desired state within
# 5 s of the file change). REPLICAS containers of the image, hardened as the Kubernetes manifests run
# them (read-only root, no capabilities), each with its own data volume, share one desired-state file
# mounted read-only the way a ConfigMap is (a ..data link swapped on each change). ROUNDS times the
# file changes (a configuration value, and every other round a plugin more or less); a round's figure
# is the time from the swap to the last replica's apply, as each replica's state:status --json says
# (its "at": the replicas' clocks are the host's). Prints the median and the slowest round.
#
#   set -a; . <(.ci/engine.sh env); set +a   # the engine (.ci/engine.sh install; .ci/engine.sh start)
#   benchmarks/fleet/run.sh
#
# Environment:
#   BENCH_REPLICAS=3        containers
#   BENCH_ROUNDS=10         file changes
#   DOCKER_HOST             the engine's socket (from .ci/engine.sh env)
#   DOCKEVOS_IMAGE_TAR=...  the image (default: <repo>/runtime/target/dockevos-image.tar)
# It writes benchmarks/target/fleet/results.md, and removes what it made (its containers, volumes, folder).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/fleet"
REPLICAS=${BENCH_REPLICAS:-3}
ROUNDS=${BENCH_ROUNDS:-10}
TAR=${DOCKEVOS_IMAGE_TAR:-$ROOT/runtime/target/dockevos-image.tar}
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet/run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "${DOCKER_HOST:-}" ] || { echo "fleet/run.sh: DOCKER_HOST is not set: start the engine (.ci/engine.sh start) and export what it prints" >&2; exit 1; }
[ -f "$TAR" ] || { echo "fleet/run.sh: no image at $TAR: build it (mvn -B install -pl runtime/image -am -DskipTests)" >&2; exit 1; }
podman_() { podman --url "$DOCKER_HOST" "$@"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
IMAGE=$(podman_ load -q -i "$TAR" | sed -n 's/^Loaded image: //p' | head -n 1)
mkdir -p "$OUT"
MOUNT=$(mktemp -d /tmp/dockevos-fleet-bench.XXXXXX)
chmod 755 "$MOUNT"
names=()
cleanup() {
  for n in "${names[@]}"; do podman_ rm -f -v "$n" > /dev/null 2>&1 || true; podman_ volume rm -f "$n" > /dev/null 2>&1 || true; done
  rm -rf "$MOUNT"
}
trap cleanup EXIT
# The file, as a ConfigMap's mount shows it: state.json -> ..data/state.json, ..data -> ..vN (swapped).
state() {
  local bundles='{ "id": "org.owasp.encoder:encoder:1.3.1" }'
  [ $(( $1 % 2 )) -eq 1 ] && bundles="$bundles, { \"id\": \"com.ethlo.time:itu:1.14.0\" }"
  local v="$MOUNT/..v$1"
  mkdir -p "$v"
  printf '{ "id": "io.dockevos.bench:fleet:1.0", "bundles": [%s], "configurations": { "io.dockevos.bench.fleet": { "round:Integer": %d } } }\n' \
    "$bundles" "$1" > "$v/state.json"
  chmod 755 "$v"; chmod 644 "$v/state.json"
  ln -sfn "..v$1" "$MOUNT/..data_tmp" && mv -T "$MOUNT/..data_tmp" "$MOUNT/..data"
  [ -L "$MOUNT/state.json" ] || ln -s ..data/state.json "$MOUNT/state.json"
}
applied_at() { # the replica's last apply, in ms since the epoch, when its digest is the file's
  podman_ exec "$1" /opt/dockevos/bin/dockevos client 'state:status --json' 2>/dev/null \
    | python3 -c 'import json,sys,datetime; s=json.load(sys.stdin); d=sys.argv[1]
print(int(datetime.datetime.fromisoformat(s["at"].replace("Z","+00:00")).timestamp()*1000) if s.get("phase")=="APPLIED" and s.get("digest")==d else "")' "$2"
}
state 0
for i in $(seq 1 "$REPLICAS"); do
  n="dockevos-bench-fleet-$i"; names+=("$n")
  podman_ run -d --name "$n" --read-only --cap-drop ALL -v "$n:/opt/dockevos/data" -v "$MOUNT:/state:ro" \
    -e DOCKEVOS_STATE_FILE=/state/state.json "$IMAGE" > /dev/null
done
for n in "${names[@]}"; do
  for _ in $(seq 1 240); do podman_ exec "$n" /opt/dockevos/bin/dockevos status --ready > /dev/null 2>&1 && break; sleep 0.5; done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rounds=()
for r in $(seq 1 "$ROUNDS"); do
  state "$r"
  written=$(( $(date +%s%N) / 1000000 ))
  digest=$(sha256sum "$MOUNT/..data/state.json" | cut -d' ' -f1)
  last=0
  for n in "${names[@]}"; do
    at=""
    for _ in $(seq 1 120); do at=$(applied_at "$n" "$digest"); [ -n "$at" ] && break; sleep 0.25; done
    [ -n "$at" ] || { echo "fleet/run.sh: $n did not apply round $r within 30 s" >&2; exit 1; }
    [ "$at" -gt "$last" ] && last=$at
  done
  rounds+=($(( last - written )))
  echo "round $r: the last of $REPLICAS replicas applied it $(( last - written )) ms after the change"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
med=$(printf '%s\n' "${rounds[@]}" | median)
max=$(printf '%s\n' "${rounds[@]}" | sort -n | tail -n 1)
{
  echo "| figure | value | target |"
  echo "|---|---|---|"
  echo "| $REPLICAS replicas converge to a changed desired state (the last one's apply after the file's change), $ROUNDS changes | median ${med} ms, slowest ${max} ms | ≤ 5000 ms |"
} | tee "$OUT/results.md"
