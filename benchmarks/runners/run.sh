#!/usr/bin/env bash
# Runners: the time to run a trivial job through every registered Runner kind, cold and warm.
#
#   benchmarks/runners/run.sh                 # 3 starts, 30 warm jobs each, the job `true`
#   BENCH_STARTS=5 BENCH_WARM=50 benchmarks/runners/run.sh echo hi
#
# Embeds the built distribution (runtime/target/dockevos/, or DOCKEVOS_DIST: its lib/ and system/)
# in one JVM, installs dockevos-alternative (and dockevos-docker when that feature is in system/ and
# DOCKER_HOST is set, so that the container runner is measured too), and times
# `fallback:run --runner KIND JOB` through DockevOS.execute: the first job after each start (cold)
# and the next BENCH_WARM (warm), beside the same job from a bare ProcessBuilder in the same JVM.
# Prints a Markdown table of medians (min-max, n) and writes it to benchmarks/target/runners.md.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
[[ -d $DIST/lib && -d $DIST/system ]] || { echo "runners/run.sh: no distribution at $DIST (mvn -q -DskipTests install first)" >&2; exit 2; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
(($# > 0)) || set -- true
mkdir -p "$ROOT/benchmarks/target"
read -r load _ < /proc/loadavg
echo "[runners] $(nproc) cores, 1-min load $load; job: $*" >&2
"$JAVA" -cp "$DIST/lib/*" "$HERE/RunnerBench.java" "$DIST" "${BENCH_STARTS:-3}" "${BENCH_WARM:-30}" "$@" |
  tee "$ROOT/benchmarks/target/runners.md"
