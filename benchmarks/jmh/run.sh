#!/usr/bin/env bash
# JMH: the overhead of action dispatch against a direct service call, and Event Admin deliveries with
# the slow-handler protection on and off, in a real embedded dockevOS.
#
#   benchmarks/jmh/run.sh                         # -f 2 -wi 3 -w 2s -i 5 -r 2s: about 2 minutes on 2 cores
#   benchmarks/jmh/run.sh -f 1 -wi 1 -w 1s -i 2 -r 1s    # any JMH options replace the defaults (a smoke run)
#   benchmarks/jmh/run.sh EventDelivery -f 1 -wi 2 -w 2s -i 3 -r 2s    # the event benchmark (a pattern selects)
#
# Builds benchmarks/jmh (its own Maven project, not in the root reactor; it needs the io.dockevos
# 0.1.0-SNAPSHOT artifacts in the local Maven repository: run 'mvn -DskipTests install' at the
# repository root first; Maven options such as -Dmaven.repo.local come through MAVEN_OPTS), then
# runs ActionDispatchBenchmark (or the benchmarks a pattern names). Writes under benchmarks/target/:
# jmh-build/ (the build), jmh/jmh.log (JMH's output), jmh/jmh-result.json, jmh/action-dispatch.md and
# jmh/event-delivery.md (the scores and ratios).
set -euo pipefail
export LC_ALL=C

JMH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$JMH_DIR")
BUILD="$BENCH_DIR/target/jmh-build"
OUT="$BENCH_DIR/target/jmh"

case "${1:-}" in -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
JAVA="$JAVA_HOME/bin/java"
[[ -x $JAVA ]] || { echo "jmh/run.sh: no java at $JAVA" >&2; exit 2; }
# The forks inherit the host JVM's options: none from the caller's environment.
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS

mkdir -p "$OUT"
echo "[jmh] building $JMH_DIR" >&2
if ! mvn -q -B -f "$JMH_DIR/pom.xml" package > "$OUT/mvn-build.log" 2>&1; then
  cat "$OUT/mvn-build.log" >&2
  echo "jmh/run.sh: the build failed; is dockevOS installed in the local Maven repository (mvn -DskipTests install at the root)?" >&2
  exit 2
fi

args=("$@")
((${#args[@]} > 0)) || args=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
read -r load _ < /proc/loadavg
echo "[jmh] running with: ${args[*]} (1-min load average $load; other processes on the cores inflate the figures)" >&2
"$JAVA" -Dbench.out="$OUT" -Dbench.work="$OUT/work" -Dbench.greeter="$BUILD/plugins/io.dockevos.example.greeter.jar" \
  -cp "$BUILD/dockevos-jmh.jar:$(cat "$BUILD/classpath.txt")" io.dockevos.bench.jmh.Main "${args[@]}" 2>&1 |
  tee "$OUT/jmh.log"
rc=${PIPESTATUS[0]}
rm -rf "$OUT/work"
((rc == 0)) && echo "[jmh] results in $OUT/*.md and $OUT/jmh-result.json" >&2
exit "$rc"
