#!/usr/bin/env bash
# dockevOS benchmark: dockevOS beside Apache Karaf 4.4.8 and a bare Felix, in one run.
#
#   benchmarks/run.sh                 # all three runtimes
#   benchmarks/run.sh --peers-only    # Karaf and bare Felix only (no dockevOS needed)
#   benchmarks/run.sh --no-karaf      # bare Felix and dockevOS only: quick iteration (the README's table needs all three)
#
# Environment:
#   BENCH_RUNS=5          measured rounds per runtime (rounds are interleaved: Karaf, Felix, dockevOS, Karaf, ...)
#   BENCH_DROPS=2         single-bundle deploy-folder drops per round
#   BENCH_CLIENT_REPS=3   client commands timed per round
#   BENCH_BULK=200        bundles in the bulk deploy
#   BENCH_PLUGINS=200     bundles installed and started by one command (plugin:install, bundle:install -s, BundleContext)
#   BENCH_IDLE_S=10       seconds of idle after ready before RSS is read
#   DOCKEVOS_DIST=...     unpacked distribution (default: <repo>/runtime/target/dockevos)
#
# Everything it fetches, unpacks, builds and writes lives under benchmarks/target/.
# It starts and stops only processes it started itself, by PID. Everything listens
# on loopback only (Karaf's SSH is rebound to 127.0.0.1; bare Felix opens no port).
set -uo pipefail
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
T="$BENCH_DIR/target"

RUNS=${BENCH_RUNS:-5}
DROPS=${BENCH_DROPS:-2}
CLIENT_REPS=${BENCH_CLIENT_REPS:-3}
BULK=${BENCH_BULK:-200}
PLUGINS=${BENCH_PLUGINS:-200}
IDLE_S=${BENCH_IDLE_S:-10}
DOCKEVOS_HOME=${DOCKEVOS_DIST:-$REPO_DIR/runtime/target/dockevos}
export DOCKEVOS_HOME # bin/dockevos honours DOCKEVOS_HOME; make sure it is the one measured

KARAF_VERSION=4.4.8
KARAF_HOME="$T/apache-karaf-$KARAF_VERSION"
KARAF_SSH_PORT=8101
FELIX_HOME="$T/felix"
FELIX_FW_JAR="$T/download/felix/org.apache.felix.framework-7.0.5.jar"
GEN="$T/gen"
LOGS="$T/logs"
SAMPLES="$T/samples.tsv"
RESULTS="$T/results.md"

START_TIMEOUT_S=180
DEPLOY_TIMEOUT_S=120
STOP_TIMEOUT_S=60

PEERS_ONLY=false
ONLY=
for arg in "$@"; do
  case "$arg" in
    --peers-only) PEERS_ONLY=true ;;
    --only=*) ONLY=${arg#--only=} ;; # debugging: --only=karaf,felix,dockevos (a subset, in that order)
    --no-karaf) ONLY=felix,dockevos ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
RUNTIMES=(karaf felix)
$PEERS_ONLY || RUNTIMES+=(dockevos)
if [[ -n $ONLY ]]; then
  sel=()
  for rt in "${RUNTIMES[@]}"; do [[ ,$ONLY, == *,$rt,* ]] && sel+=("$rt"); done
  ((${#sel[@]} > 0)) || { echo "run.sh: --only=$ONLY selects nothing" >&2; exit 2; }
  RUNTIMES=("${sel[@]}")
  [[ " ${RUNTIMES[*]} " == *" dockevos "* ]] || PEERS_ONLY=true
fi
has_rt() { [[ " ${RUNTIMES[*]} " == *" $1 "* ]]; }

ERRORS=0
log()  { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fail() { ERRORS=$((ERRORS + 1)); log "ERROR: $*"; }
die()  { log "FATAL: $*"; exit 2; }

# ---------------------------------------------------------------- timing helpers
# NOW = wall clock in ms, without forking (bash 5 EPOCHREALTIME).
stamp() { local t=${EPOCHREALTIME/[.,]/}; NOW=$((10#$t / 1000)); }
# nap SECONDS: a sleep without a fork (read with a timeout on a fifo nobody writes to).
nap() { read -r -t "$1" -u "$NAP_FD" _ 2>/dev/null || true; }

record() { # record RUNTIME METRIC ROUND VALUE
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$SAMPLES"
}

# state of a process: "" if gone, else the one-letter state from /proc (Z = exited, not reaped)
proc_state() {
  PSTATE=
  local line
  [[ -r /proc/$1/stat ]] || return 0
  read -r line < "/proc/$1/stat" 2>/dev/null || return 0
  line=${line##*) }
  PSTATE=${line%% *}
}
alive() { proc_state "$1"; [[ -n $PSTATE && $PSTATE != Z && $PSTATE != X ]]; }

# IDLE_RSS_KB, IDLE_THREADS from /proc/PID/status
read_status() {
  IDLE_RSS_KB=; IDLE_THREADS=
  local k v rest
  while read -r k v rest; do
    case "$k" in VmRSS:) IDLE_RSS_KB=$v ;; Threads:) IDLE_THREADS=$v ;; esac
  done < "/proc/$1/status"
}

port_open() { { : <> "/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; }

# ---------------------------------------------------------------- preflight
for tool in java javac jar mvn ssh ssh-keygen awk tar flock timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on the PATH"
done
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
JAVA="$JAVA_HOME/bin/java"
[[ -x $JAVA ]] || die "no java at $JAVA (JAVA_HOME=$JAVA_HOME)"
[[ ${BASH_VERSINFO[0]} -ge 5 ]] || die "bash 5 is needed (EPOCHREALTIME)"
# Every runtime runs with its own launcher's defaults: no JVM options from the caller's environment.
for v in JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS; do
  if [[ -n ${!v:-} ]]; then log "note: ignoring $v from the environment"; fi
  unset "$v"
done

if ! $PEERS_ONLY; then
  if [[ ! -x "$DOCKEVOS_HOME/bin/dockevos" ]]; then
    die "dockevOS distribution not found: $DOCKEVOS_HOME/bin/dockevos is missing or not executable.
       Build it with 'mvn -q -DskipTests install' at the repository root, set DOCKEVOS_DIST
       to an unpacked distribution, or run 'benchmarks/run.sh --peers-only'."
  fi
  if "$DOCKEVOS_HOME/bin/dockevos" status </dev/null >/dev/null 2>&1; then
    die "a dockevOS instance is already running from $DOCKEVOS_HOME; stop it first (this script stops only what it started)"
  fi
fi
if has_rt karaf; then
  for port in "$KARAF_SSH_PORT" 1099 44444; do # SSH and Karaf's JMX RMI registry and server
    port_open "$port" && die "127.0.0.1:$port is already in use (another Karaf?); stop it first"
  done
fi

mkdir -p "$T" "$LOGS" "$GEN"
# One benchmark at a time: the runtimes' ports, deploy folders and the cores are shared.
exec {LOCK_FD}> "$T/.lock"
flock -n "$LOCK_FD" || die "another benchmarks/run.sh is running (lock $T/.lock)"
rm -f "$T/.nap" && mkfifo "$T/.nap" && exec {NAP_FD}<>"$T/.nap"
# bin/client closes its channel as soon as stdin reaches EOF (KARAF-5995's stdin watcher),
# so a non-interactive caller must give it a stdin that never ends: a fifo nobody writes to.
rm -f "$T/.karaf-stdin" && mkfifo "$T/.karaf-stdin" && exec {KARAF_STDIN}<>"$T/.karaf-stdin"

# ---------------------------------------------------------------- cleanup of what we started
KARAF_WRAPPER=; KARAF_PID=; FELIX_PID=; DOCKEVOS_STARTED=false; FELIX_EV=
cleanup() {
  local pid
  for pid in "$KARAF_PID" "$FELIX_PID" "$KARAF_WRAPPER"; do
    [[ -n $pid ]] && alive "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  if $DOCKEVOS_STARTED; then
    "$DOCKEVOS_HOME/bin/dockevos" stop </dev/null >/dev/null 2>&1
    pid=$(cat "$DOCKEVOS_HOME/data/dockevos.pid" 2>/dev/null)
    [[ -n $pid ]] && alive "$pid" && kill -TERM "$pid" 2>/dev/null
  fi
  local i
  for i in $(seq 1 200); do
    local any=false
    for pid in "$KARAF_PID" "$FELIX_PID" "$KARAF_WRAPPER"; do
      [[ -n $pid ]] && alive "$pid" && any=true
    done
    $any || break
    sleep 0.1
  done
  for pid in "$KARAF_PID" "$FELIX_PID" "$KARAF_WRAPPER"; do
    [[ -n $pid ]] && alive "$pid" && kill -KILL "$pid" 2>/dev/null
  done
}
on_signal() { log "interrupted; stopping what this run started"; exit 130; }
trap cleanup EXIT
trap on_signal INT TERM

# ---------------------------------------------------------------- fetch and assemble the peers
fetch_peers() {
  local need=false f
  [[ -f "$T/download/apache-karaf-$KARAF_VERSION.tar.gz" && -f $FELIX_FW_JAR ]] || need=true
  [[ $(ls "$T/download/felix-bundles/"*.jar 2>/dev/null | wc -l) -eq 12 ]] || need=true
  if $need; then
    log "fetching Karaf $KARAF_VERSION and the Felix bundles through Maven"
    mvn -q -B -f "$BENCH_DIR/peers/pom.xml" -Dbench.target="$T" \
      dependency:copy@karaf dependency:copy@felix dependency:copy@felix-bundles \
      > "$LOGS/mvn-fetch.log" 2>&1 || { cat "$LOGS/mvn-fetch.log" >&2; die "Maven could not fetch the peers"; }
  fi
  for f in "$T/download/apache-karaf-$KARAF_VERSION.tar.gz" "$FELIX_FW_JAR"; do
    [[ -f $f ]] || die "missing after fetch: $f"
  done
}

# Fresh Karaf each invocation, configured as BASELINE.md says.
setup_karaf() {
  log "unpacking and configuring Karaf $KARAF_VERSION in $KARAF_HOME"
  rm -rf "$KARAF_HOME"
  tar xzf "$T/download/apache-karaf-$KARAF_VERSION.tar.gz" -C "$T" || die "cannot unpack Karaf"
  local etc="$KARAF_HOME/etc"
  # SSH on loopback only.
  sed -i 's/^sshHost[[:space:]]*=.*/sshHost = 127.0.0.1/' "$etc/org.apache.karaf.shell.cfg"
  grep -q '^sshHost = 127.0.0.1$' "$etc/org.apache.karaf.shell.cfg" || die "could not bind Karaf SSH to 127.0.0.1"
  # The karaf user (and its group) so that bin/client can log in.
  sed -i 's/^#[[:space:]]*karaf[[:space:]]*=[[:space:]]*karaf,_g_:admingroup/karaf = karaf,_g_:admingroup/;
          s/^#[[:space:]]*_g_\\:admingroup[[:space:]]*=/_g_\\:admingroup =/' "$etc/users.properties"
  grep -q '^karaf = karaf,_g_:admingroup' "$etc/users.properties" || die "could not enable the karaf user"
  # No remote Maven repositories: the property and its continuation lines become an empty list.
  awk '
    skip { if ($0 !~ /\\[[:space:]]*$/) skip = 0; next }
    /^org\.ops4j\.pax\.url\.mvn\.repositories[[:space:]]*=/ {
      print "org.ops4j.pax.url.mvn.repositories="
      if ($0 ~ /\\[[:space:]]*$/) skip = 1
      next
    }
    { print }' "$etc/org.ops4j.pax.url.mvn.cfg" > "$etc/org.ops4j.pax.url.mvn.cfg.new" &&
    mv "$etc/org.ops4j.pax.url.mvn.cfg.new" "$etc/org.ops4j.pax.url.mvn.cfg"
  grep -q '^org.ops4j.pax.url.mvn.repositories=$' "$etc/org.ops4j.pax.url.mvn.cfg" || die "could not empty the remote Maven repositories"
  # For polling only: a key for the karaf user, so the deploy figures can poll bundle:list
  # with the system ssh client (about 0.15 s a call) instead of bin/client (a JVM, 1-2 s a call).
  rm -f "$T/bench-key" "$T/bench-key.pub"
  ssh-keygen -q -t rsa -b 2048 -N '' -C dockevos-bench -f "$T/bench-key" || die "ssh-keygen failed"
  printf 'karaf=%s,_g_:admingroup\n' "$(awk '{print $2}' "$T/bench-key.pub")" >> "$etc/keys.properties"
}

setup_felix() {
  log "assembling bare Felix 7.0.5 in $FELIX_HOME"
  rm -rf "$FELIX_HOME" "$T/felix-launcher"
  mkdir -p "$FELIX_HOME/bundle" "$FELIX_HOME/deploy" "$T/felix-launcher"
  cp "$T/download/felix-bundles/"*.jar "$FELIX_HOME/bundle/"
  javac -nowarn --release 17 -d "$T/felix-launcher" -cp "$FELIX_FW_JAR" \
    "$BENCH_DIR/felix-launcher/src/BareFelix.java" > "$LOGS/javac.log" 2>&1 ||
    { cat "$LOGS/javac.log" >&2; die "cannot compile BareFelix"; }
}

# BULK tiny bundles bench.many.bNNN, DROPS bundles bench.drop.dNN and PLUGINS bundles bench.plug.pNNN
# (for the install-by-command figure; distinct names, so they never meet the deploy-folder ones), built
# with the jar tool.
# Each has a unique Bundle-SymbolicName (Bundle-Name is the same, so every list command shows it)
# and one distinct resource. No activator: each goes ACTIVE as soon as it is started.
make_bundle() { # make_bundle NAME OUTDIR
  local name=$1 out=$2 src="$GEN/src/$1"
  mkdir -p "$src/content"
  printf 'Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: %s\nBundle-Name: %s\nBundle-Version: 1.0.0\n' \
    "$name" "$name" > "$src/MANIFEST.MF"
  printf '%s\n' "$name" > "$src/content/bench.txt"
  jar --create --file "$out/$name.jar" --manifest "$src/MANIFEST.MF" -C "$src/content" . || return 1
}
generate_bundles() {
  local stampf="$GEN/.done-$BULK-$DROPS-$PLUGINS"
  PLUGIN_JARS=()
  local i
  for ((i = 1; i <= PLUGINS; i++)); do PLUGIN_JARS+=("$GEN/plug/$(printf 'bench.plug.p%03d' "$i").jar"); done
  [[ -f $stampf ]] && return 0
  log "generating $BULK + $DROPS + $PLUGINS tiny bundles with the jar tool (once; cached in $GEN)"
  rm -rf "$GEN" && mkdir -p "$GEN/many" "$GEN/drop" "$GEN/plug" "$GEN/src"
  local jobs=0 names=()
  for ((i = 1; i <= BULK; i++)); do names+=("many $(printf 'bench.many.b%03d' "$i")"); done
  for ((i = 1; i <= DROPS; i++)); do names+=("drop $(printf 'bench.drop.d%02d' "$i")"); done
  for ((i = 1; i <= PLUGINS; i++)); do names+=("plug $(printf 'bench.plug.p%03d' "$i")"); done
  local entry
  for entry in "${names[@]}"; do
    make_bundle "${entry#* }" "$GEN/${entry%% *}" &
    if ((++jobs >= 2)); then wait -n || die "jar failed"; jobs=$((jobs - 1)); fi
  done
  wait || die "jar failed"
  [[ $(ls "$GEN/many" | wc -l) -eq $BULK && $(ls "$GEN/drop" | wc -l) -eq $DROPS && $(ls "$GEN/plug" | wc -l) -eq $PLUGINS ]] ||
    die "bundle generation incomplete"
  touch "$stampf"
}

# Staging ("temp name") directory on the same filesystem as the deploy dir, so mv is a rename.
stage_dir_for() { # stage_dir_for DEPLOYDIR -> STAGE
  STAGE="$T/stage"
  mkdir -p "$STAGE"
  if [[ $(stat -c %d "$STAGE") != $(stat -c %d "$1") ]]; then
    STAGE="$(dirname "$1")/.bench-stage"
    mkdir -p "$STAGE"
  fi
}

# ================================================================ Karaf driver
karaf_ssh() { # fast command channel: polling, and the plugin-install figure (KSSH_TIMEOUT=seconds, default 30)
  timeout -k 5 "${KSSH_TIMEOUT:-30}" ssh -n -F none -p "$KARAF_SSH_PORT" -i "$T/bench-key" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 \
    karaf@127.0.0.1 "$1"
}
karaf_client() { timeout -k 5 60 "$KARAF_HOME/bin/client" "$@" <&"$KARAF_STDIN"; }

# KTOTAL = bundles listed, KBAD = bundles neither Active nor a Resolved fragment
karaf_check_list() {
  read -r KTOTAL KBAD < <(awk -F'|' '/^ *[0-9]+ *\|/ {
      st = $2; gsub(/ /, "", st); n++
      if (st != "Active" && !(st == "Resolved" && $0 ~ /Hosts:/)) bad++
    } END { print n + 0, bad + 0 }' "$1")
}
KARAF_EXPECT=0 # boot bundles (learned on the warm-up boot)

karaf_prepare() { # karaf_prepare cold|warm
  rm -f "$KARAF_HOME"/deploy/bench.*.jar "$KARAF_HOME/karaf.pid"
  if [[ $1 == cold ]]; then rm -rf "$KARAF_HOME/data"; mkdir -p "$KARAF_HOME/data/tmp"; fi
}
karaf_start() { # -> START_MS INSIDE_MS (empty) PID
  local t0 deadline out="$T/tmp-karaf-list.txt"
  INSIDE_MS=; KTOTAL=0; KBAD=0
  printf -- "--- karaf start %(%T)T\n" -1 >> "$LOGS/karaf-ready.log"
  stamp; t0=$NOW; deadline=$((t0 + START_TIMEOUT_S * 1000))
  (cd "$KARAF_HOME" && exec bin/karaf server) >> "$LOGS/karaf-console.log" 2>&1 &
  KARAF_WRAPPER=$!
  # Wait cheaply for the SSH port, then ask bin/client until it answers with every boot bundle ACTIVE.
  until port_open "$KARAF_SSH_PORT"; do
    alive "$KARAF_WRAPPER" || { fail "karaf exited during start (see $LOGS/karaf-console.log)"; return 1; }
    stamp; ((NOW > deadline)) && { fail "karaf: SSH port not open after ${START_TIMEOUT_S}s"; return 1; }
    nap 0.02
  done
  stamp; echo "$((NOW - t0)) ms: SSH port open" >> "$LOGS/karaf-ready.log"
  local rc
  while :; do
    karaf_client 'bundle:list -t 0' > "$out" 2>&1; rc=$?
    ((rc == 0)) && karaf_check_list "$out"
    stamp; echo "$((NOW - t0)) ms: bin/client rc=$rc bundles=$KTOTAL not-active=$KBAD" >> "$LOGS/karaf-ready.log"
    ((rc == 0 && KTOTAL >= KARAF_EXPECT && KTOTAL > 0 && KBAD == 0)) && break
    stamp; ((NOW > deadline)) && { fail "karaf: not ready after ${START_TIMEOUT_S}s (bundles=$KTOTAL not active=$KBAD)"; return 1; }
  done
  stamp; START_MS=$((NOW - t0))
  KARAF_PID=$(cat "$KARAF_HOME/karaf.pid" 2>/dev/null)
  [[ -n $KARAF_PID ]] && alive "$KARAF_PID" || { fail "karaf: no live JVM pid in karaf.pid"; return 1; }
  PID=$KARAF_PID; BUNDLES=$KTOTAL
}
term_until_gone() { # NAME PID: SIGTERM, then wait until the process is gone (SIGKILL at the timeout) -> STOP_MS
  local t0 deadline
  stamp; t0=$NOW; deadline=$((t0 + STOP_TIMEOUT_S * 1000))
  kill -TERM "$2" 2>/dev/null
  while alive "$2"; do
    stamp; ((NOW > deadline)) && { fail "$1: still alive ${STOP_TIMEOUT_S}s after SIGTERM; killing"; kill -KILL "$2"; break; }
    nap 0.005
  done
  stamp; STOP_MS=$((NOW - t0))
}
karaf_stop() { # SIGTERM to the JVM, until the process is gone -> STOP_MS
  if [[ -z $KARAF_PID ]] || ! alive "$KARAF_PID"; then
    fail "karaf: JVM already gone before stop"; wait "$KARAF_WRAPPER" 2>/dev/null; KARAF_WRAPPER=; KARAF_PID=; return 1
  fi
  term_until_gone karaf "$KARAF_PID"
  wait "$KARAF_WRAPPER" 2>/dev/null
  KARAF_WRAPPER=; KARAF_PID=
}
karaf_client_cmd() { karaf_client 'bundle:list' > /dev/null 2>> "$LOGS/karaf-client.log"; }
karaf_count() { # karaf_count PREFIX -> COUNT of ACTIVE bundles whose name starts with PREFIX
  COUNT=0
  karaf_ssh 'bundle:list -t 0' > "$T/tmp-karaf-poll.txt" 2>/dev/null || return 0
  COUNT=$(awk -F'|' -v p="$1" '/^ *[0-9]+ *\|/ { st = $2; gsub(/ /, "", st); n = $5; sub(/^ +/, "", n)
           if (st == "Active" && index(n, p) == 1) c++ } END { print c + 0 }' "$T/tmp-karaf-poll.txt")
}
karaf_deploy_dir() { DEPLOY="$KARAF_HOME/deploy"; }
# Plugin install: one 'bundle:install -s file:... file:...' over the same SSH channel as the polling.
karaf_plugins_prepare() {
  local f
  KARAF_INSTALL_CMD="bundle:install -s"
  for f in "${PLUGIN_JARS[@]}"; do KARAF_INSTALL_CMD+=" file:$f"; done
}
karaf_plugins_install() {
  KSSH_TIMEOUT=$DEPLOY_TIMEOUT_S karaf_ssh "$KARAF_INSTALL_CMD" >> "$LOGS/karaf-plugins.log" 2>&1
}
karaf_plugins_uninstall() { # bundle:uninstall with the ids of every bench.plug.* bundle listed
  local ids
  karaf_ssh 'bundle:list -t 0' > "$T/tmp-karaf-poll.txt" 2>/dev/null || return 1
  ids=$(awk -F'|' '/^ *[0-9]+ *\|/ { n = $5; sub(/^ +/, "", n); id = $1; gsub(/ /, "", id)
          if (index(n, "bench.plug.") == 1) printf "%s ", id }' "$T/tmp-karaf-poll.txt")
  [[ -z $ids ]] && return 0
  KSSH_TIMEOUT=$DEPLOY_TIMEOUT_S karaf_ssh "bundle:uninstall $ids" >> "$LOGS/karaf-plugins.log" 2>&1
}

# ================================================================ bare Felix driver
felix_prepare() {
  rm -f "$FELIX_HOME"/deploy/bench.*.jar
  if [[ $1 == cold ]]; then rm -rf "$FELIX_HOME/cache"; fi
  rm -rf "$FELIX_HOME/tmp"
}
felix_start() {
  local t0 deadline line= part= out_fd
  stamp; t0=$NOW; deadline=$((t0 + START_TIMEOUT_S * 1000))
  : > "$FELIX_HOME/out.txt"
  exec {out_fd}<"$FELIX_HOME/out.txt"
  "$JAVA" -cp "$FELIX_FW_JAR:$T/felix-launcher" BareFelix "$FELIX_HOME" >> "$FELIX_HOME/out.txt" 2>&1 &
  FELIX_PID=$!
  # Follow stdout without forking; the READY line is printed once every bundle is ACTIVE.
  while :; do
    if IFS= read -r -u "$out_fd" line; then
      line="$part$line"; part=
      [[ $line == READY* ]] && break
      continue
    fi
    part+=$line # EOF in the middle of a line
    alive "$FELIX_PID" || { exec {out_fd}<&-; fail "felix exited during start: $(cat "$FELIX_HOME/out.txt")"; return 1; }
    stamp; ((NOW > deadline)) && { exec {out_fd}<&-; fail "felix: no READY after ${START_TIMEOUT_S}s"; return 1; }
    nap 0.005
  done
  exec {out_fd}<&-
  stamp; START_MS=$((NOW - t0))
  # READY <ms> ms since JVM start (<ms> ms since main), bundles=<n>, at ...
  local words; read -r -a words <<< "$line"
  INSIDE_MS=${words[1]}
  BUNDLES=${line##*bundles=}; BUNDLES=${BUNDLES%%,*}
  PID=$FELIX_PID
  cat "$FELIX_HOME/out.txt" >> "$LOGS/felix-console.log"
  # Follow events.log without forking: one fd, read as lines are appended.
  exec {FELIX_EV}<"$FELIX_HOME/events.log"
  FELIX_PARTIAL=
  unset FELIX_UP; declare -gA FELIX_UP=()
}
felix_drain() {
  local line
  while :; do
    line=
    if IFS= read -r -u "$FELIX_EV" line; then
      line="$FELIX_PARTIAL$line"; FELIX_PARTIAL=
      local w; read -r -a w <<< "$line"
      case "${w[0]:-}" in
        STARTED) FELIX_UP[${w[1]}]=1 ;;
        STOPPED|UNINSTALLED) unset "FELIX_UP[${w[1]}]" ;;
      esac
    else
      FELIX_PARTIAL+=$line # a line still being written
      break
    fi
  done
}
felix_count() {
  felix_drain
  local k c=0
  for k in "${!FELIX_UP[@]}"; do [[ $k == "$1"* ]] && c=$((c + 1)); done
  COUNT=$c
}
felix_stop() { # SIGTERM, until the process is gone (an exited, unreaped child counts as gone)
  if [[ -z $FELIX_PID ]] || ! alive "$FELIX_PID"; then
    fail "felix: JVM already gone before stop"; wait "$FELIX_PID" 2>/dev/null; FELIX_PID=; return 1
  fi
  term_until_gone felix "$FELIX_PID"
  wait "$FELIX_PID" 2>/dev/null
  [[ -n $FELIX_EV ]] && exec {FELIX_EV}<&-
  FELIX_EV=; FELIX_PID=
}
felix_client_cmd() { return 2; } # no remote command interface
felix_deploy_dir() { DEPLOY="$FELIX_HOME/deploy"; }
# Plugin install: BareFelix installs, then starts, every location in install-list.txt through the
# BundleContext once the file appears (renamed into place, so it is complete); the count follows events.log.
felix_plugins_prepare() {
  local f
  for f in "${PLUGIN_JARS[@]}"; do printf 'file:%s\n' "$f"; done > "$FELIX_HOME/.install-list.tmp"
}
felix_plugins_install() { mv "$FELIX_HOME/.install-list.tmp" "$FELIX_HOME/install-list.txt"; }
felix_plugins_uninstall() {
  local f
  for f in "${PLUGIN_JARS[@]}"; do printf 'file:%s\n' "$f"; done > "$FELIX_HOME/.uninstall-list.tmp" &&
    mv "$FELIX_HOME/.uninstall-list.tmp" "$FELIX_HOME/uninstall-list.txt"
}

# ================================================================ dockevOS driver
DK="$DOCKEVOS_HOME/bin/dockevos"
dockevos_prepare() {
  rm -f "$DOCKEVOS_HOME"/deploy/bench.*.jar
  if [[ $1 == cold ]]; then rm -rf "$DOCKEVOS_HOME/data"; fi
}
dockevos_start() {
  local t0 before=0 logf="$DOCKEVOS_HOME/data/log/dockevos.log"
  [[ -f $logf ]] && before=$(grep -c 'dockevOS ready in' "$logf")
  stamp; t0=$NOW
  DOCKEVOS_STARTED=true
  if ! timeout "$START_TIMEOUT_S" "$DK" start </dev/null > "$T/tmp-dockevos-start.txt" 2>&1; then
    fail "dockevos start failed: $(tail -5 "$T/tmp-dockevos-start.txt")"; return 1
  fi
  stamp; START_MS=$((NOW - t0))
  cat "$T/tmp-dockevos-start.txt" >> "$LOGS/dockevos-console.log"
  PID=$(cat "$DOCKEVOS_HOME/data/dockevos.pid" 2>/dev/null)
  [[ -z $PID ]] && PID=$(grep -Eo '[0-9]+' "$T/tmp-dockevos-start.txt" | tail -1)
  [[ -f "$DOCKEVOS_HOME/data/dockevos.pid" ]] || log "warning: no data/dockevos.pid after 'dockevos start'; using the pid it printed ($PID)"
  [[ -n $PID ]] && alive "$PID" || { fail "dockevos: no live pid (data/dockevos.pid or the start output) after start"; return 1; }
  INSIDE_MS=
  if [[ -f $logf ]] && (($(grep -c 'dockevOS ready in' "$logf") > before)); then
    # "dockevOS ready in N ms, M ms since the JVM started": M, as BareFelix counts its READY.
    INSIDE_MS=$(grep -Eo '[0-9]+ ms since the JVM started' "$logf" | tail -1 | grep -Eo '^[0-9]+')
  else
    log "warning: no new 'dockevOS ready in <N> ms' line in $logf"
  fi
  # Not timed: check the spec's promise that every boot bundle is ACTIVE when start returns.
  BUNDLES=
  if timeout -k 5 60 "$DK" client 'lb' </dev/null > "$T/tmp-dockevos-lb.txt" 2>&1; then
    read -r BUNDLES nbad < <(awk '/^ *[0-9]+ *\|/ { n++; if ($0 !~ /\|Active +\|/) b++ } END { print n + 0, b + 0 }' "$T/tmp-dockevos-lb.txt")
    if ((nbad > 0)); then
      log "warning: dockevos start returned with $nbad bundle(s) not Active: $(grep -E '^ *[0-9]+ *\|' "$T/tmp-dockevos-lb.txt" | grep -v '|Active' | tr '\n' ';')"
    fi
  else
    fail "dockevos client 'lb' failed right after start: $(tail -3 "$T/tmp-dockevos-lb.txt")"
  fi
}
dockevos_stop() {
  local t0 deadline
  if [[ -z $PID ]] || ! alive "$PID"; then
    fail "dockevos: process already gone before stop"; DOCKEVOS_STARTED=false; return 1
  fi
  stamp; t0=$NOW; deadline=$((t0 + STOP_TIMEOUT_S * 1000))
  timeout "$STOP_TIMEOUT_S" "$DK" stop </dev/null >> "$LOGS/dockevos-console.log" 2>&1 || fail "dockevos stop returned non-zero"
  while [[ -n $PID ]] && alive "$PID"; do # the spec says stop returns when the process is gone; hold it to that
    stamp; ((NOW > deadline)) && { fail "dockevos: pid $PID alive ${STOP_TIMEOUT_S}s after stop; killing"; kill -KILL "$PID"; break; }
    nap 0.005
  done
  stamp; STOP_MS=$((NOW - t0))
  DOCKEVOS_STARTED=false
}
dockevos_client_cmd() { timeout -k 5 60 "$DK" client 'lb' </dev/null > /dev/null 2>> "$LOGS/dockevos-client.log"; }
started_at() { # started_at NAME -> STARTED_MS: the time of dockevOS's dockevos/plugin/STARTED event for NAME
  local iso
  STARTED_MS=
  iso=$(timeout -k 5 60 "$DK" client "log:events --topic dockevos/plugin/STARTED -n 50 --json" </dev/null 2>/dev/null \
    | awk -v n="\"$1\"" '/"time"/ { t = $2 } index($0, "\"plugin.id\"") && index($0, n) { gsub(/[",]/, "", t); print t }' | tail -1)
  [[ -n $iso ]] || return 1
  STARTED_MS=$(date -d "$iso" +%s%3N) || return 1
}
dockevos_count() {
  COUNT=0
  timeout -k 5 60 "$DK" client 'lb' </dev/null > "$T/tmp-dockevos-poll.txt" 2>/dev/null || return 0
  COUNT=$(awk -v p="$1" 'index($0, "|Active     |") && index($0, p) { c++ } END { print c + 0 }' "$T/tmp-dockevos-poll.txt")
}
dockevos_deploy_dir() { DEPLOY="$DOCKEVOS_HOME/deploy"; mkdir -p "$DEPLOY"; }
# Plugin install: one 'plugin:install /abs/a.jar /abs/b.jar ...' (the PluginManager installs and starts
# each in turn and returns when all are done); uninstall: 'plugin:uninstall NAME...', one plan.
dockevos_plugins_prepare() { :; }
dockevos_plugins_install() {
  timeout -k 5 "$DEPLOY_TIMEOUT_S" "$DK" client "plugin:install ${PLUGIN_JARS[*]}" </dev/null \
    >> "$LOGS/dockevos-plugins.log" 2>&1
}
dockevos_plugins_uninstall() {
  local f n cmd="plugin:uninstall --force"
  for f in "${PLUGIN_JARS[@]}"; do n=${f##*/}; cmd+=" ${n%.jar}"; done
  timeout -k 5 "$DEPLOY_TIMEOUT_S" "$DK" client "$cmd" </dev/null >> "$LOGS/dockevos-plugins.log" 2>&1
}

# ================================================================ measurements
wait_active() { # wait_active RT PREFIX WANT -> NOW when reached; 1 on timeout
  local rt=$1 prefix=$2 want=$3 deadline
  stamp; deadline=$((NOW + DEPLOY_TIMEOUT_S * 1000))
  while :; do
    "${rt}_count" "$prefix"
    ((COUNT >= want)) && { stamp; return 0; }
    stamp; ((NOW > deadline)) && { fail "$rt: only $COUNT of $want '$prefix*' bundles ACTIVE after ${DEPLOY_TIMEOUT_S}s"; return 1; }
    case $rt in felix) nap 0.005 ;; dockevos) nap 0.01 ;; esac # karaf: the ssh call itself takes ~0.15 s
  done
}
wait_none() { # wait_none RT PREFIX: until no PREFIX* bundle is ACTIVE any more; 1 on timeout
  local deadline
  stamp; deadline=$((NOW + DEPLOY_TIMEOUT_S * 1000))
  while :; do
    "${1}_count" "$2"
    ((COUNT == 0)) && return 0
    stamp; ((NOW > deadline)) && { fail "$1: $COUNT '$2*' bundles still ACTIVE ${DEPLOY_TIMEOUT_S}s after the uninstall"; return 1; }
    nap 0.05
  done
}

# PLUGINS bundles installed and started by one command, timed until all are seen ACTIVE, then
# uninstalled (untimed) so that the deploy-folder figures that follow meet the runtime as it booted.
plugins_install() { # plugins_install RT ROUND
  local rt=$1 r=$2 t0 cmd_ms rc
  "${rt}_plugins_prepare"
  sleep 0.3
  stamp; t0=$NOW
  "${rt}_plugins_install"; rc=$?
  stamp; cmd_ms=$((NOW - t0))
  if ((rc != 0)); then
    fail "$rt: the plugin install command failed (rc=$rc; see $LOGS/$rt-plugins.log or $FELIX_HOME/out.txt)"
  elif wait_active "$rt" "bench.plug." "$PLUGINS"; then
    record "$rt" plugin_install "$r" $((NOW - t0))
    # Raw samples only: when the command returned (dockevOS, Karaf), or BareFelix's own figure.
    if [[ $rt == felix ]]; then # printed after the last start, so it may lag the last STARTED event a little
      local line= i=0
      while :; do
        line=$(grep -E '^INSTALLED [0-9]+ [0-9]+ ms' "$FELIX_HOME/out.txt" | tail -1)
        [[ -n $line ]] || ((++i > 200)) && break
        nap 0.01
      done
      [[ -n $line ]] && record "$rt" plugin_install_inside "$r" "$(awk '{print $3}' <<< "$line")"
    else
      record "$rt" plugin_install_cmd "$r" "$cmd_ms"
    fi
  fi
  "${rt}_plugins_uninstall" || fail "$rt: the plugin uninstall command failed"
  wait_none "$rt" "bench.plug."
}

idle_sample() { # idle_sample RT ROUND cold|warm
  sleep "$IDLE_S"
  alive "$PID" || { fail "$1: process gone while idle"; return 1; }
  read_status "$PID"
  record "$1" "rss_$3" "$2" "$IDLE_RSS_KB"
  record "$1" "threads_$3" "$2" "$IDLE_THREADS"
}

round() { # round RT ROUND (ROUND 0 = warm-up, not recorded)
  local rt=$1 r=$2 i t0
  local rec=record; ((r == 0)) && rec=:

  # 1. cold start, idle RSS, client command, graceful stop
  "${rt}_prepare" cold
  "${rt}_start" || { "${rt}_abort"; return 1; }
  $rec "$rt" cold_start "$r" "$START_MS"
  [[ -n $INSIDE_MS ]] && $rec "$rt" cold_inside "$r" "$INSIDE_MS"
  [[ -n $BUNDLES ]] && $rec "$rt" bundles "$r" "$BUNDLES"
  if ((r == 0)); then
    if [[ $rt == karaf ]]; then # learn the boot bundle count once Karaf has settled
      sleep 3
      karaf_ssh 'bundle:list -t 0' > "$T/tmp-karaf-list.txt" 2>&1 && karaf_check_list "$T/tmp-karaf-list.txt"
      KARAF_EXPECT=$KTOTAL
      log "karaf: $KARAF_EXPECT bundles (incl. the system bundle) after boot; later boots must list as many, all Active"
    fi
    check_loopback "$rt" "$PID"
    "${rt}_stop"
    log "$rt warm-up: start ${START_MS} ms, stop ${STOP_MS} ms"
    return 0
  fi
  idle_sample "$rt" "$r" cold
  for ((i = 0; i < CLIENT_REPS; i++)); do
    stamp; t0=$NOW
    if "${rt}_client_cmd"; then stamp; record "$rt" client "$r" $((NOW - t0))
    elif [[ $rt != felix ]]; then fail "$rt: client command failed"; fi
  done
  "${rt}_stop" && record "$rt" stop "$r" "$STOP_MS"

  # 2. warm start, idle RSS
  "${rt}_prepare" warm
  "${rt}_start" || { "${rt}_abort"; return 1; }
  record "$rt" warm_start "$r" "$START_MS"
  [[ -n $INSIDE_MS ]] && record "$rt" warm_inside "$r" "$INSIDE_MS"
  idle_sample "$rt" "$r" warm

  # 3. PLUGINS bundles installed and started by one command (then uninstalled again)
  ((PLUGINS > 0)) && plugins_install "$rt" "$r"

  # 4. deploy folder: single drops, then BULK at once
  "${rt}_deploy_dir"; stage_dir_for "$DEPLOY"
  local name
  for ((i = 1; i <= DROPS; i++)); do
    name=$(printf 'bench.drop.d%02d' "$i")
    cp "$GEN/drop/$name.jar" "$STAGE/.$name.jar.tmp"
    sleep 0.3
    stamp; t0=$NOW
    mv "$STAGE/.$name.jar.tmp" "$DEPLOY/$name.jar"
    if wait_active "$rt" "$name" 1; then
      local took=$((NOW - t0))
      # dockevOS: from the runtime's own STARTED event time stamp, so that the client's polling
      # delay is not counted (the peers have no such record; they are timed by polling).
      [[ $rt == dockevos ]] && started_at "$name" && took=$((STARTED_MS - t0))
      record "$rt" deploy_one "$r" "$took"
    fi
  done
  rm -rf "$STAGE/many"; mkdir -p "$STAGE/many"
  cp "$GEN/many/"*.jar "$STAGE/many/"
  sleep 0.3
  stamp; t0=$NOW
  mv "$STAGE/many/"*.jar "$DEPLOY/"
  wait_active "$rt" "bench.many." "$BULK" && record "$rt" deploy_bulk "$r" $((NOW - t0))
  "${rt}_stop"
  rm -f "$DEPLOY"/bench.*.jar
  rm -rf "$STAGE/many"
  log "$rt round $r done"
}
karaf_abort() { [[ -n $KARAF_PID ]] && alive "$KARAF_PID" && karaf_stop; [[ -n $KARAF_WRAPPER ]] && alive "$KARAF_WRAPPER" && kill -TERM "$KARAF_WRAPPER"; KARAF_WRAPPER=; KARAF_PID=; }
felix_abort() { [[ -n $FELIX_PID ]] && alive "$FELIX_PID" && felix_stop; FELIX_PID=; }
dockevos_abort() { $DOCKEVOS_STARTED && dockevos_stop; }

check_loopback() { # warn about any listening socket of PID that is not on loopback
  command -v ss >/dev/null 2>&1 || return 0
  local bad
  bad=$(ss -ltnupH 2>/dev/null | grep "pid=$2," | awk '{print $5}' | grep -Ev '^(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]|localhost):' || true)
  [[ -n $bad ]] && fail "$1 listens on a non-loopback address: $(echo $bad)"
  return 0
}

# ================================================================ report
load_now() { local a b c rest; read -r a b c rest < /proc/loadavg; echo "$a"; }
report() {
  local cpu jv
  cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
  jv=$("$JAVA" -version 2>&1 | head -1)
  awk -F'\t' -v peers_only="$PEERS_ONLY" -v runs="$RUNS" -v cpu="$cpu" -v ncpu="$(nproc)" -v jv="$jv" \
      -v idle="$IDLE_S" -v bulk="$BULK" -v plugins="$PLUGINS" -v lb="$LOAD_BEFORE" -v la="$LOAD_AFTER" -v date="$(date -u +%Y-%m-%dT%H:%MZ)" '
    { v[$1, $2] = v[$1, $2] " " $4 }
    function stats(rt, m,    a, n, i, j, t) {
      n = split(v[rt, m], a, " ")
      if (n == 0) { MED = ""; return "–" }
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      if (scale[m] != 1) return sprintf("%.0f %s (%.0f–%.0f, n=%d)", MED / scale[m], unit[m], a[1] / scale[m], a[n] / scale[m], n)
      return sprintf("%.0f %s (%.0f–%.0f, n=%d)", MED, unit[m], a[1], a[n], n)
    }
    function ratio(x, y) { return (x == "" || y == "" || y == 0) ? "–" : sprintf("%.2f×", x / y) }
    END {
      nm = split("cold_start cold_inside warm_start warm_inside rss_cold rss_warm threads_cold bundles deploy_one deploy_bulk plugin_install client stop", order, " ")
      label["cold_start"] = "cold start → ready (wall clock)"
      label["cold_inside"] = "cold start → ready (inside the JVM)"
      label["warm_start"] = "warm start → ready (wall clock)"
      label["warm_inside"] = "warm start → ready (inside the JVM)"
      label["rss_cold"] = "idle RSS " idle " s after ready, cold start"
      label["rss_warm"] = "idle RSS " idle " s after ready, warm start"
      label["threads_cold"] = "threads at idle (cold start)"
      label["bundles"] = "bundles at ready"
      label["deploy_one"] = "deploy folder: one bundle → ACTIVE"
      label["deploy_bulk"] = "deploy folder: " bulk " bundles at once → all ACTIVE"
      label["plugin_install"] = plugins " plugins installed + started by one command → all ACTIVE"
      label["client"] = "one client command"
      label["stop"] = "graceful stop → process gone"
      for (i = 1; i <= nm; i++) { unit[order[i]] = "ms"; scale[order[i]] = 1 }
      unit["rss_cold"] = unit["rss_warm"] = "MB"; scale["rss_cold"] = scale["rss_warm"] = 1024
      unit["threads_cold"] = unit["bundles"] = ""
      printf "dockevOS benchmark, %s: %s runs, %s cores (%s), %s; 1-min load average %s before, %s after\n\n", date, runs, ncpu, cpu, jv, lb, la
      print "| metric | dockevOS | Karaf 4.4.8 | bare Felix 7.0.5 | dockevOS/Karaf | dockevOS/Felix |"
      print "|---|---|---|---|---|---|"
      for (i = 1; i <= nm; i++) {
        m = order[i]
        d = (peers_only == "true") ? "not run (--peers-only)" : stats("dockevos", m); dm = MED
        k = stats("karaf", m); km = MED
        f = stats("felix", m); fm = MED
        if (peers_only == "true") dm = ""
        gsub(/  +/, " ", d); gsub(/  +/, " ", k); gsub(/  +/, " ", f)
        printf "| %s | %s | %s | %s | %s | %s |\n", label[m], d, k, f, ratio(dm, km), ratio(dm, fm)
      }
    }' "$SAMPLES"
  cat <<EOF

Each cell: median (min–max, n). Ratios are of medians; below 1.00× means dockevOS is smaller or faster.
How each figure is taken:
- Cold start: framework cache deleted first (Karaf: data/; bare Felix: cache/; dockevOS: data/).
  Wall clock, from launching the start command until the runtime answers with every boot bundle ACTIVE:
  Karaf: from 'bin/karaf server &' (SSH port probed every 20 ms, then 'bin/client "bundle:list -t 0"' repeated)
  until bin/client first answers with all $KARAF_EXPECT bundles Active (fragments Resolved); this includes
  bin/client's own JVM start and SSH login. bare Felix: from 'java ... BareFelix &' until its READY line
  (printed once every bundle is ACTIVE) appears on stdout. dockevOS: 'bin/dockevos start', from invocation
  until it returns (it returns only when ready); the untimed 'bin/dockevos client lb' afterwards checks that.
- Inside the JVM: bare Felix's READY figure counts from the JVM's start time (RuntimeMXBean); dockevOS's is
  the 'M ms since the JVM started' of the 'dockevOS ready' line in data/log/dockevos.log. Not taken for Karaf.
- Warm start: the same, with the cache kept from the previous (cold) boot of the same round.
- Idle RSS and threads: VmRSS and Threads of the JVM in /proc/PID/status, $IDLE_S s after ready
  (Karaf: the pid in karaf.pid; dockevOS: data/dockevos.pid).
- Deploy folder: the jar is copied to a temp name on the same filesystem, then mv'd into deploy/; the
  clock runs from the mv until the bundle is seen ACTIVE; for dockevOS's single drop, until the time
  stamp of its own dockevos/plugin/STARTED event. Karaf: 'bundle:list -t 0' over its SSH console
  (system ssh client with a key, about 0.15 s a call; stock deploy poll of 1000 ms). bare Felix: its
  STARTED bundle events, appended to events.log by BareFelix (FileInstall 3.7.4, poll 50 ms), followed
  every 5 ms. dockevOS: 'bin/dockevos client lb', looped, counting '|Active     |' lines.
  Bulk: $BULK tiny bundles (jar tool, unique Bundle-SymbolicName) moved in with one mv, until all are ACTIVE.
- Plugins by one command (after the warm start's idle sample): $PLUGINS other tiny bundles (bench.plug.*),
  from issuing one command until all $PLUGINS are seen ACTIVE (polled as for the deploy folder, so the
  figure includes one poll after the command returns). dockevOS: 'bin/dockevos client "plugin:install
  /abs/p001.jar ..."' (the PluginManager checks, installs and starts each in turn). Karaf: 'bundle:install -s
  file:/abs/p001.jar ...' as one command over the SSH channel above. bare Felix: install-list.txt renamed
  into its home; BareFelix's main thread (which looks every 5 ms) installs every jar, then starts each,
  through its BundleContext. Then all are uninstalled again, untimed, before the deploy-folder figures.
- Client command: Karaf 'bin/client "bundle:list"' (stdin a never-ending fifo: bin/client closes
  the session at stdin EOF); dockevOS 'bin/dockevos client lb'. Each includes the client's process start.
- Stop: Karaf and bare Felix: SIGTERM to the JVM until the process is gone; dockevOS: 'bin/dockevos stop'
  until it returns and the pid is gone.
Raw samples: benchmarks/target/samples.tsv; logs: benchmarks/target/logs/.
EOF
}

# ================================================================ main
stamp; T_BEGIN=$NOW
fetch_peers
has_rt karaf && setup_karaf
has_rt felix && setup_felix
generate_bundles
: > "$SAMPLES"
: > "$LOGS/karaf-console.log"; : > "$LOGS/karaf-ready.log"; : > "$LOGS/felix-console.log"; : > "$LOGS/dockevos-console.log"
LOAD_BEFORE=$(load_now)
case $LOAD_BEFORE in
  0.[0-9]*) ;;
  *) log "warning: the machine is busy before the run (load average $LOAD_BEFORE);
       other processes compete for the cores and will inflate every figure" ;;
esac

log "warm-up (not recorded): one boot of each of ${RUNTIMES[*]}"
for rt in "${RUNTIMES[@]}"; do round "$rt" 0 || die "$rt does not start; see $LOGS"; done

for ((r = 1; r <= RUNS; r++)); do
  for rt in "${RUNTIMES[@]}"; do
    log "round $r/$RUNS: $rt"
    round "$rt" "$r"
  done
done

LOAD_AFTER=$(load_now)
report | tee "$RESULTS"
stamp
log "done in $(((NOW - T_BEGIN) / 1000)) s; results in $RESULTS"
if ((ERRORS > 0)); then
  log "$ERRORS error(s) during the run; the figures above omit the failed samples"
  exit 1
fi
