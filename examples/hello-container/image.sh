#!/usr/bin/env bash
# Builds the image of hello-container, offline, as a root file system tar: $1 (default
# target/hello-container-rootfs.tar). It holds a static busybox (Debian's busybox-static, as the test
# image of .ci/engine.sh) and server.sh, and nothing else. Reproducible: sorted, every time
# 1970-01-01T00:00:01Z, numeric owners. Load it into the engine with its default command:
#   dockevos> docker:import examples/hello-container/target/hello-container-rootfs.tar dockevos/hello-container:1.0.0 /bin/sh /server.sh
# Without a static /bin/busybox there is no image: under CI=true that fails the build, otherwise the
# build says so and goes on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target/hello-container-rootfs.tar}
if ! { [ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1; }; then
  msg="hello-container image: NOT BUILT: a static /bin/busybox is missing (apt-get install busybox-static, as .ci/engine.sh install does)"
  if [ "${CI:-}" = true ]; then echo "$msg" >&2; exit 1; fi
  printf '\n*** %s ***\n\n' "$msg" >&2
  exit 0
fi
root=$(dirname "$out")/hello-container-rootfs
rm -rf "$root" "$out"; mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev}
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
install -m 755 "$here/server.sh" "$root/server.sh"
printf 'root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
chmod 755 "$root" "$root"/{bin,etc,proc,sys,dev}; chmod 644 "$root"/etc/*; chmod 1777 "$root/tmp"
tar -C "$root" --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -cf "$out" .
rm -rf "$root"
echo "hello-container image: $out ($(du -k "$out" | cut -f1) KB)"
