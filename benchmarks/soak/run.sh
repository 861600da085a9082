#!/usr/bin/env bash
# Soak (on demand, not in CI): cycles of install, start, stop and uninstall of a plugin with classes
# and a DS component, and install + uninstall of a small feature, against one running dockevOS; at
# cycle 0 and every SOAK_EVERY cycles, after a forced GC: heap used, threads, open file descriptors,
# and the class loaders of uninstalled bundles still alive.
#
#   benchmarks/soak/run.sh                                 # 10,000 cycles, a sample every 1,000
#   SOAK_CYCLES=200 SOAK_EVERY=50 benchmarks/soak/run.sh   # a smoke run (about a minute)
#   SOAK_LEAK=1 SOAK_CYCLES=20 SOAK_EVERY=10 benchmarks/soak/run.sh   # the plugin leaks its class
#                                                          # loader on purpose: the stale count must rise
#
# Environment: SOAK_CYCLES (10000), SOAK_EVERY (1000), SOAK_LEAK (unset), SOAK_JAVA_OPTS (JAVA_OPTS of
# the instance; none by default), DOCKEVOS_DIST (default <repo>/runtime/target/dockevos; build it with
# 'mvn -q -DskipTests install' first). Needs a JDK (javac in-process, jcmd).
#
# Copies the distribution afresh to benchmarks/soak/target/home/, builds the two bundles there
# (Soak.java prepare), starts the copy with bin/dockevos start, drives it through its control socket
# from one JVM (Soak.java run: the launcher's own client, one connection per command),
# stops it, and writes benchmarks/soak/target/results.md (the table and a verdict per figure) and
# samples.tsv. It starts and stops only the instance it started, by its pid. On a 2-core machine a
# cycle takes about 0.2 s (7 commands).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$HERE/target"
CYCLES=${SOAK_CYCLES:-10000}
EVERY=${SOAK_EVERY:-1000}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
case "${1:-}" in
  -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "soak/run.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac
[[ $CYCLES =~ ^[0-9]+$ && $EVERY =~ ^[1-9][0-9]*$ && $CYCLES -ge 1 ]] || { echo "soak/run.sh: SOAK_CYCLES and SOAK_EVERY must be whole numbers of at least 1" >&2; exit 2; }
[[ -x $DIST/bin/dockevos ]] || { echo "soak/run.sh: no distribution at $DIST (mvn -q -DskipTests install first, or set DOCKEVOS_DIST)" >&2; exit 2; }
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
[[ -x $JAVA_HOME/bin/jcmd ]] || { echo "soak/run.sh: no jcmd in $JAVA_HOME/bin: a JDK is needed" >&2; exit 2; }

HOME_DIR="$OUT/home"
WORK="$OUT/work"
mkdir -p "$OUT"
rm -rf "$HOME_DIR" "$WORK" "$OUT/results.md" "$OUT/samples.tsv"
cp -a "$DIST" "$HOME_DIR"
rm -rf "$HOME_DIR/data"
unset DOCKEVOS_HOME
DOCKEVOS="$HOME_DIR/bin/dockevos"
LAUNCHER=$(ls "$DIST"/lib/dockevos-launcher-*.jar | head -1) # its client speaks the control socket
"$JAVA" --class-path "$LAUNCHER" "$HERE/Soak.java" prepare "$HOME_DIR" "$WORK" ${SOAK_LEAK:+leak} >&2

PID=
stop_instance() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    # bin/dockevos stop signals the pid in this home's data/dockevos.pid, which is ours; if it
    # fails, our pid alone gets a SIGTERM.
    "$DOCKEVOS" stop >&2 || kill -TERM "$PID" 2>/dev/null || true
  fi
}
trap stop_instance EXIT
trap 'exit 130' INT TERM

read -r load_before _ < /proc/loadavg
echo "[soak] $(nproc) cores, 1-min load $load_before; $CYCLES cycles, a sample every $EVERY; starting $HOME_DIR" >&2
started=$(JAVA_OPTS="${SOAK_JAVA_OPTS:-}" "$DOCKEVOS" start)
PID=$(grep -o 'pid [0-9]*' <<<"$started" | cut -d' ' -f2)
[[ -n $PID ]] || { echo "soak/run.sh: could not read the pid from: $started" >&2; exit 1; }
echo "[soak] $started" >&2

t0=$(date +%s)
status=0
"$JAVA" --class-path "$LAUNCHER" "$HERE/Soak.java" run "$HOME_DIR" "$PID" "$CYCLES" "$EVERY" "$OUT" "$WORK/io.dockevos.soak.plugin.jar" || status=$?
read -r load_after _ < /proc/loadavg
if ((status == 0)); then
  printf '\n1-min load average %s before, %s after; %s s wall clock for the cycles and samples.\n' \
    "$load_before" "$load_after" "$(($(date +%s) - t0))" | tee -a "$OUT/results.md"
else
  echo "soak/run.sh: the driver failed (exit $status); the instance's log: $HOME_DIR/data/log/dockevos.log" >&2
fi
exit "$status"
