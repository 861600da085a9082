#!/usr/bin/env bash
# The system log's cost, in one run of a real embedded dockevOS:
#   - Event Admin throughput (postEvent delivered, sendEvent returned) with the system log active and
#     with its bundle stopped, rounds interleaved;
#   - how fast the writer persists events with each fsync strategy (none, interval, batch);
#   - the heap that each store retains when full (after a forced GC), at the default limits.
#
#   benchmarks/systemlog/run.sh              # 5 rounds; about 2 minutes on 2 cores
#   BENCH_ROUNDS=3 BENCH_EVENTS=20000 benchmarks/systemlog/run.sh
#
# Builds benchmarks/systemlog (its own Maven project; run 'mvn -DskipTests install' at the root
# first; Maven options come through MAVEN_OPTS) and writes benchmarks/target/systemlog/results.md.
set -euo pipefail
export LC_ALL=C
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$DIR")
BUILD="$BENCH_DIR/target/systemlog-build"
OUT="$BENCH_DIR/target/systemlog"
case "${1:-}" in -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
JAVA="$JAVA_HOME/bin/java"
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
mkdir -p "$OUT"
echo "[systemlog] building $DIR" >&2
if ! mvn -q -B -f "$DIR/pom.xml" package > "$OUT/mvn-build.log" 2>&1; then
  cat "$OUT/mvn-build.log" >&2
  echo "systemlog/run.sh: the build failed; is dockevOS installed in the local Maven repository?" >&2
  exit 2
fi
read -r load _ < /proc/loadavg
echo "[systemlog] 1-min load average $load (other processes on the cores inflate the figures)" >&2
"$JAVA" -Xmx512m -Dbench.out="$OUT" -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.events="${BENCH_EVENTS:-50000}" \
  -cp "$BUILD/dockevos-systemlog-bench.jar:$(cat "$BUILD/classpath.txt")" io.dockevos.bench.systemlog.SystemLogBenchmark 2>&1 |
  tee "$OUT/run.log"
exit "${PIPESTATUS[0]}"
