#!/usr/bin/env bash
# A Docker-API engine for the tests of the Docker manager: rootful Podman 4.3 (Debian 12) serving the
# Docker Engine REST API on a private Unix socket, with every path (storage, run state, events, CNI)
# under one private directory, so that nothing global is touched.
#
# usage: .ci/engine.sh install|start|stop|env
#   install  installs podman, runc, catatonit, busybox-static with apt-get (skipped when present), and
#            bash-static, which the build's OCI image takes with busybox-static (runtime/image/src/main/image/base.sh)
#   start    starts the engine, imports the offline test image, prints the variables the tests read
#            (also written to $ENGINE_DIR/env, to be sourced):
#              DOCKER_HOST=unix://$ENGINE_DIR/podman.sock
#              DOCKEVOS_TEST_IMAGE=dockevos/busybox:test           (a static busybox rootfs, CMD /bin/sh)
#              DOCKEVOS_TEST_IMAGE_ARCHIVE=$ENGINE_DIR/busybox-image.tar   (docker-archive of it)
#              DOCKEVOS_TEST_ROOTFS=$ENGINE_DIR/busybox-rootfs.tar         (its rootfs, for import)
#   stop     removes every container, stops the engine (by its PID), unmounts and deletes the directory
#   env      prints the variables of a started engine
# ENGINE_DIR defaults to ${TMPDIR:-/tmp}/dockevos-engine-<hash of this checkout>, one per checkout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${ENGINE_DIR:-${TMPDIR:-/tmp}/dockevos-engine-$(printf %s "$ROOT" | md5sum | cut -c1-8)}
SOCK=$D/podman.sock
IMAGE=dockevos/busybox:test
export CONTAINERS_CONF=$D/conf/containers.conf CONTAINERS_STORAGE_CONF=$D/conf/storage.conf

install() {
  if command -v podman >/dev/null && [ -x /usr/bin/runc ] && [ -x /usr/bin/catatonit ] && [ -x /bin/busybox ] \
      && [ -x /bin/bash-static ] \
      && command -v curl >/dev/null && command -v python3 >/dev/null; then
    # (without the private configuration, which exists only once the engine is started)
    echo "engine: $(env -u CONTAINERS_CONF -u CONTAINERS_STORAGE_CONF podman --version) is installed"; return 0
  fi
  # crun (podman's default) fails here: "cgroups in hybrid mode not supported"; runc is not
  # pulled in by podman's recommends, so it is named.
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      podman runc catatonit busybox-static bash-static python3 curl
}

envfile() {
  printf '%s\n' "DOCKER_HOST=unix://$SOCK" "DOCKEVOS_TEST_IMAGE=$IMAGE" \
      "DOCKEVOS_TEST_IMAGE_ARCHIVE=$D/busybox-image.tar" "DOCKEVOS_TEST_ROOTFS=$D/busybox-rootfs.tar"
}

start() {
  if [ -S "$SOCK" ] && curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; then
    envfile; return 0
  fi
  mkdir -p "$D"/{conf,bin,tmp,cni}
  cat > "$D/conf/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$D/runroot"
graphroot = "$D/root"
EOF
  cat > "$D/conf/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$D/tmp/events.log"
runtime = "runc"
tmp_dir = "$D/tmp"
volume_path = "$D/root/volumes"
static_dir = "$D/root/libpod"
exit_command_delay = 30

[engine.runtimes]
runc = ["$D/bin/runc-clamp"]

[network]
network_backend = "cni"
network_config_dir = "$D/cni"
EOF
  cat > "$D/bin/runc-clamp" <<'EOF'
#!/usr/bin/python3
# No CAP_SYS_RESOURCE here: rlimits above the current hard limit (podman's rootful default
# NOFILE/NPROC=1048576) make runc fail "error setting rlimit type N: operation not permitted".
import json, os, resource, sys
REAL = "/usr/bin/runc"; args = sys.argv[1:]
def opt(n):
    for i, a in enumerate(args):
        if a == n and i + 1 < len(args): return args[i + 1]
        if a.startswith(n + "="): return a.split("=", 1)[1]
def clamp(path):
    try: spec = json.load(open(path))
    except Exception: return
    proc = spec.get("process", spec); changed = False
    for rl in proc.get("rlimits") or []:
        res = getattr(resource, rl.get("type", ""), None)
        if res is None: continue
        hard = resource.getrlimit(res)[1]
        if hard == resource.RLIM_INFINITY: continue
        if rl.get("hard", 0) > hard: rl["hard"] = hard; changed = True
        if rl.get("soft", 0) > rl["hard"]: rl["soft"] = rl["hard"]; changed = True
    if changed: json.dump(spec, open(path, "w"))
if "create" in args or "run" in args:
    clamp(os.path.join(opt("--bundle") or opt("-b") or os.getcwd(), "config.json"))
if "exec" in args and (opt("--process") or opt("-p")):
    clamp(opt("--process") or opt("-p"))
os.execv(REAL, [REAL] + args)
EOF
  chmod +x "$D/bin/runc-clamp"
  podman system service --time=0 "unix://$SOCK" > "$D/service.log" 2>&1 &
  echo $! > "$D/service.pid"
  for _ in $(seq 1 200); do
    curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1 && break; sleep 0.05
  done
  curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null || { cat "$D/service.log"; exit 1; }
  # offline test image: static busybox rootfs -> docker import (tag must be inside repo=)
  rm -rf "$D/rootfs"; mkdir -p "$D/rootfs"/{bin,etc,tmp,proc,sys,dev,root}
  cp /bin/busybox "$D/rootfs/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$D/rootfs/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$D/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$D/rootfs/etc/group"
  chmod 1777 "$D/rootfs/tmp"
  tar -C "$D/rootfs" -cf "$D/busybox-rootfs.tar" .
  curl -sf --unix-socket "$SOCK" -X POST -H 'Content-Type: application/x-tar' \
      --data-binary @"$D/busybox-rootfs.tar" \
      "http://d/v1.41/images/create?fromSrc=-&repo=$IMAGE&changes=CMD%20%5B%22%2Fbin%2Fsh%22%5D" >/dev/null
  # docker-archive copy, for docker:load (docker-java's loadImageCmd)
  curl -sf --unix-socket "$SOCK" -o "$D/busybox-image.tar" "http://d/v1.41/images/$IMAGE/get"
  envfile > "$D/env"
  envfile
}

show_env() {
  [ -f "$D/env" ] || { echo "engine: not started ($D/env is missing): run .ci/engine.sh start" >&2; exit 1; }
  cat "$D/env"
}

stop() {
  [ -d "$D" ] || return 0
  podman rm -af -t 0 >/dev/null 2>&1 || true          # stop+remove all containers while the service still runs
  if [ -f "$D/service.pid" ]; then
    P=$(cat "$D/service.pid"); kill "$P" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$P" 2>/dev/null || break; sleep 0.1; done
  fi
  # leftover conmon (exec sessions wait exit_command_delay) and their "podman ... cleanup" children:
  # SIGKILL only processes whose command line names $D, by PID, so nothing re-creates $D afterwards
  for _ in 1 2 3 4 5; do
    pids=$(ps -eo pid=,args= | awk -v d="$D/" 'index($0, d) && $2 ~ /(conmon|podman)$/ {print $1}')
    [ -z "$pids" ] && break
    kill -9 $pids 2>/dev/null || true; sleep 0.2
  done
  { grep -o " $D/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$D"
  true
}

case "${1:-}" in
  install|start|stop) "$1" ;;
  env) show_env ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
