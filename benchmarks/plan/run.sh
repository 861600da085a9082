#!/usr/bin/env bash
# The install planner over a large local Maven repository: plugin:install --dry-run of
# jackson-databind 2.17.2, once cold (the repository index is built) and then warm.
#
#   benchmarks/plan/run.sh                          # 5000 generated artifacts, 10 warm runs
#   BENCH_ARTIFACTS=500 BENCH_WARM=3 benchmarks/plan/run.sh       # a smoke run
#   benchmarks/plan/run.sh --generate-only          # write (and check) the repository, measure nothing
#
# Environment:
#   BENCH_ARTIFACTS=5000  generated artifact versions (jar + pom each), over BENCH_GROUPS=50 groupIds
#   BENCH_WARM=10         warm dry runs timed after the cold one
#   BENCH_SEED=11         the generator's seed (the same seed writes the same repository)
#   BENCH_COMMAND=...     the command timed instead (default: plugin:install --dry-run <the databind jar>)
#   DOCKEVOS_DIST=...     unpacked distribution (default: <repo>/runtime/target/dockevos)
#   MAVEN_OPTS            reaches the one Maven call (it copies the jackson fixtures of itests/e2e
#                         from the local repository), for example -Dmaven.repo.local=...
#
# The repository is generated once into benchmarks/target/plan/repo-<N>-<seed>/ by RepoGenerator.java
# (JDK only) and checked (every import is exported in range by some jar); it is written again only
# when the generator, N or the seed change. Each run copies the distribution afresh to
# benchmarks/target/plan/home/, points it at the repository (etc/dockevos.maven.cfg, offline, and
# -Dmaven.repo.local in JAVA_OPTS), starts it, times each command through `bin/dockevos client` (a
# client JVM and the socket round trip included; the client's own round trip on `lb` is printed
# beside it), stops it, and writes benchmarks/target/plan/results.md. It starts and stops only the
# instance it started.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT="$ROOT/benchmarks/target/plan"
N=${BENCH_ARTIFACTS:-5000}
GROUPS_N=${BENCH_GROUPS:-50}
WARM=${BENCH_WARM:-10}
SEED=${BENCH_SEED:-11}
DIST=${DOCKEVOS_DIST:-$ROOT/runtime/target/dockevos}
GENERATE_ONLY=false
for arg in "$@"; do
  case "$arg" in
    --generate-only) GENERATE_ONLY=true ;;
    -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "plan/run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
mkdir -p "$OUT"

# ---- the repository, generated once --------------------------------------------------------------
REPO="$OUT/repo-$N-$SEED"
JACKSON="$OUT/jackson"
STAMP="$N $GROUPS_N $SEED $(sha1sum "$HERE/RepoGenerator.java" | cut -d' ' -f1)"
if [[ ! -f $REPO/.generated || $(cat "$REPO/.generated") != "$STAMP" ]]; then
  echo "[plan] copying the jackson fixtures of itests/e2e into $JACKSON" >&2
  rm -rf "$JACKSON"
  if ! mvn -q -B -f "$ROOT/itests/e2e/pom.xml" dependency:copy@e2e-repo -De2e.repo="$JACKSON" > "$OUT/mvn.log" 2>&1; then
    cat "$OUT/mvn.log" >&2
    echo "plan/run.sh: could not copy the jackson artifacts (see itests/e2e/pom.xml, execution e2e-repo)" >&2
    exit 2
  fi
  echo "[plan] generating $N artifact versions into $REPO" >&2
  rm -rf "$REPO"
  "$JAVA" "$HERE/RepoGenerator.java" "$REPO" "$N" "$GROUPS_N" "$SEED" "$JACKSON" >&2
  "$JAVA" "$HERE/RepoGenerator.java" --check "$REPO" >&2
  echo "$STAMP" > "$REPO/.generated"
else
  echo "[plan] reusing $REPO ($(find "$REPO" -name '*.jar' | wc -l) jars)" >&2
fi
DATABIND="$REPO/com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.jar"
[[ -f $DATABIND ]] || { echo "plan/run.sh: $DATABIND is missing" >&2; exit 2; }
$GENERATE_ONLY && exit 0

# ---- a fresh instance pointed at it --------------------------------------------------------------
[[ -x $DIST/bin/dockevos ]] || { echo "plan/run.sh: no distribution at $DIST (mvn -q -DskipTests install first, or set DOCKEVOS_DIST)" >&2; exit 2; }
HOME_DIR="$OUT/home"
rm -rf "$HOME_DIR"
cp -a "$DIST" "$HOME_DIR"
rm -rf "$HOME_DIR/data"
printf '# written by benchmarks/plan/run.sh\nlocalRepository = %s\noffline = true\n' "$REPO" > "$HOME_DIR/etc/dockevos.maven.cfg"
DOCKEVOS="$HOME_DIR/bin/dockevos"
unset DOCKEVOS_HOME
PID=
stop_instance() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    "$DOCKEVOS" stop >&2 || kill "$PID" 2>/dev/null || true
  fi
}
trap stop_instance EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# stats LABEL VALUES...: median (min-max, n)
stats() {
  local label=$1; shift
  sort -n <<<"$(printf '%s\n' "$@")" | awk -v label="$label" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "| %s | %d ms (%d-%d, n=%d) |\n", label, m, v[1], v[NR], NR }'
}

read -r load _ < /proc/loadavg
echo "[plan] $(nproc) cores, 1-min load $load; starting $HOME_DIR" >&2
t0=$(now_ms)
started=$(JAVA_OPTS="-Dmaven.repo.local=$REPO" "$DOCKEVOS" start)
start_ms=$(( $(now_ms) - t0 ))
PID=$(grep -o 'pid [0-9]*' <<<"$started" | cut -d' ' -f2)
echo "[plan] $started in $start_ms ms" >&2

COMMAND=${BENCH_COMMAND:-plugin:install --dry-run $DATABIND}
# timed COMMAND: prints the milliseconds; the output goes to $OUT/last.out, and a failure ends the run.
timed() {
  local t r
  t=$(now_ms)
  if "$DOCKEVOS" client "$1" > "$OUT/last.out" 2>&1; then r=0; else r=$?; fi
  local ms=$(( $(now_ms) - t ))
  if (( r != 0 )); then
    cat "$OUT/last.out" >&2
    echo "plan/run.sh: '$1' failed with exit status $r (plugin:install --dry-run comes with the install pipeline)" >&2
    exit 3
  fi
  echo "$ms"
}

cold=$(timed "$COMMAND")
cp "$OUT/last.out" "$OUT/dry-run.out"
echo "[plan] cold: $cold ms; the plan:" >&2
sed 's/^/  /' "$OUT/dry-run.out" >&2
warm=()
for _ in $(seq "$WARM"); do
  warm+=("$(timed "$COMMAND")")
done
client=()
for _ in 1 2 3; do
  client+=("$(timed "lb")")
done
read -r load_after _ < /proc/loadavg

{
  echo "# Planner: \`${COMMAND/$REPO/<repo>}\`"
  echo
  echo "$(find "$REPO" -name '*.jar' | wc -l) jars in the local Maven repository ($N generated over $GROUPS_N groups, seed $SEED, plus the jackson fixtures); $(nproc) cores; load $load before, $load_after after."
  echo "Each figure is wall clock around \`bin/dockevos client\`, so it includes a client JVM and the socket round trip."
  echo
  echo "| what | median (min-max, n) |"
  echo "|---|---|"
  echo "| \`bin/dockevos start\` until ready | $start_ms ms (n=1) |"
  echo "| cold: the first after start (the index is built) | $cold ms (n=1) |"
  stats "warm" "${warm[@]}"
  stats "\`lb\`, the client's own round trip" "${client[@]}"
} | tee "$OUT/results.md"
