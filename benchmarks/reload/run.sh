#!/usr/bin/env bash
# The dev loop's hot reload: the time from a saved plugin jar to its new version serving, with its
# state kept. plugin:watch on the example plugin (examples/greeter) in a project's target/; each
# round writes a new version over the jar in two parts 100 ms apart, as a build writes it, and reads
# the runtime's own line "Reloaded ... VERSION ...: it serves N ms after the jar was saved (update M
# ms), its state kept". At the end the greeter's count must be what it was before the first reload.
# A dockevOS-only figure: Karaf (bundle:watch, from the local Maven repository) and a bare Felix
# update a bundle but carry no state across it, so they have no equivalent.
#
#   benchmarks/reload/run.sh
#
# Environment:
#   BENCH_RELOADS=10      reloads timed
#   DOCKEVOS_DIST=...     unpacked distribution (default: <repo>/runtime/target/dockevos)
#   GREETER_JAR=...       the example plugin (default: <repo>/examples/greeter/target/io.dockevos.example.greeter-*.jar)
#
# It copies the distribution afresh to benchmarks/target/reload/home/, starts it, stops it at the
# end (only the instance it started), and writes benchmarks/target/reload/results.md.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/reload"
RELOADS=${BENCH_RELOADS:-10}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "reload/run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
GREETER=${GREETER_JAR:-$(ls "$ROOT"/examples/greeter/target/io.dockevos.example.greeter-*.jar 2>/dev/null | head -n 1)}
if [[ ! -f $GREETER || ! -x $DIST/bin/dockevos ]]; then
  echo "reload/run.sh: build dockevOS first (mvn -q -DskipTests install): need $DIST and the greeter jar" >&2
  exit 1
fi
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
HOME_DIR="$OUT/home"
PROJECT="$OUT/project"
rm -rf "$HOME_DIR" "$PROJECT"
mkdir -p "$OUT" "$PROJECT/target"
cp -a "$DIST" "$HOME_DIR"
D="$HOME_DIR/bin/dockevos"
JAR="$PROJECT/target/greeter.jar"
cp "$GREETER" "$JAR"
mapfile -t VERSIONS < <("$JAVA_HOME/bin/java" "$HERE/Versions.java" "$GREETER" "$OUT/versions" "$RELOADS")
LOG="$HOME_DIR/data/log/dockevos.log"

DOCKEVOS_HOME="$HOME_DIR" "$D" start > /dev/null
trap 'DOCKEVOS_HOME="$HOME_DIR" "$D" stop > /dev/null || true' EXIT
client() { DOCKEVOS_HOME="$HOME_DIR" "$D" client "$@"; }
client "plugin:watch $JAR" > /dev/null
client "greeter:greet name=Bench times=3" > /dev/null
count_before=$(client "greeter:count" | tr -dc '0-9')

SERVES=()
UPDATES=()
for i in $(seq 1 "$RELOADS"); do
  v=${VERSIONS[$((i - 1))]}
  next="$OUT/versions/v$i.jar"
  size=$(stat -c %s "$next")
  half=$((size / 2))
  head -c "$half" "$next" > "$JAR"
  sleep 0.1
  tail -c +$((half + 1)) "$next" >> "$JAR"
  line=
  for _ in $(seq 1 400); do
    line=$(grep -F "Reloaded io.dockevos.example.greeter $v " "$LOG" | tail -n 1 || true)
    [[ -n $line ]] && break
    if grep -qF "Cannot reload io.dockevos.example.greeter" "$LOG"; then
      grep -F "Cannot reload" "$LOG" >&2
      exit 1
    fi
    sleep 0.05
  done
  if [[ -z $line ]]; then
    echo "reload/run.sh: version $v did not serve within 20 s; see $LOG" >&2
    exit 1
  fi
  [[ $line == *"its state kept"* ]] || { echo "reload/run.sh: the state was not kept: $line" >&2; exit 1; }
  serves=$(sed -E 's/.*it serves ([0-9]+) ms.*/\1/' <<< "$line")
  update=$(sed -E 's/.*\(update ([0-9]+) ms\).*/\1/' <<< "$line")
  SERVES+=("$serves")
  UPDATES+=("$update")
  echo "[reload] $v serves $serves ms after the jar was saved (update $update ms)" >&2
done
count_after=$(client "greeter:count" | tr -dc '0-9')
if [[ $count_after != "$count_before" ]]; then
  echo "reload/run.sh: the count was $count_before before the reloads and $count_after after: the state was lost" >&2
  exit 1
fi

stats() { # median (min-max, n)
  sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2); printf "%d ms (%d-%d, n=%d)", m, a[1], a[NR], NR}'
}
serves_stats=$(printf '%s\n' "${SERVES[@]}" | stats)
update_stats=$(printf '%s\n' "${UPDATES[@]}" | stats)
{
  echo "| dev loop (dockevOS only) | median (min-max, n) |"
  echo "|---|---|"
  echo "| saved jar -> new version serving, state kept | $serves_stats |"
  echo "| of which the update (plan, stop, update, start, state restored) | $update_stats |"
  echo
  echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); the greeter's count was $count_before before and after."
} | tee "$OUT/results.md"
