#!/usr/bin/env bash
# Events per second through Event Admin with the error handler (and the system log, when its bundle
# is in the runtime) and without them, in one run of an embedded dockevOS; then the heap that a full
# incident store takes.
#
#   benchmarks/events/run.sh              # 5 rounds of 100000 events each way, stores of 500 and 5000
#   BENCH_EVENTS=5000 BENCH_ROUNDS=2 benchmarks/events/run.sh    # a smoke run
#
# Needs the io.dockevos 0.1.0-SNAPSHOT artifacts in the local Maven repository (mvn -DskipTests
# install at the root; Maven options such as -Dmaven.repo.local come through MAVEN_OPTS). Writes
# benchmarks/target/events/results.md.
set -euo pipefail
export LC_ALL=C
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$DIR")
BUILD="$BENCH_DIR/target/events-build"
OUT="$BENCH_DIR/target/events"
case "${1:-}" in -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
mkdir -p "$OUT"
echo "[events] building $DIR" >&2
if ! mvn -q -B -f "$DIR/pom.xml" package > "$OUT/mvn-build.log" 2>&1; then
  cat "$OUT/mvn-build.log" >&2
  echo "events/run.sh: the build failed; is dockevOS installed in the local Maven repository?" >&2
  exit 2
fi
read -r load _ < /proc/loadavg
echo "[events] 1-min load average $load (other processes on the cores inflate the figures)" >&2
"$JAVA_HOME/bin/java" -Xmx512m ${BENCH_JAVA_OPTS:-} -Dbench.out="$OUT" -Dbench.events="${BENCH_EVENTS:-100000}" \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.stores="${BENCH_STORES:-500,5000}" \
  -cp "$BUILD/dockevos-events-bench.jar:$(cat "$BUILD/classpath.txt")" io.dockevos.bench.events.EventsBenchmark
