#!/usr/bin/env bash
# Assembles the image's base file system in $1 (runtime/image/target/base), offline, from this machine:
#   opt/java/                  a jlink runtime of the JDK that runs the build, with only the modules dockevOS
#                              and its plugins use, and its class-data sharing archive
#   lib/, lib64/               the system libraries that runtime loads (glibc, zlib, libstdc++, libgcc_s),
#                              found with ldd, copied from this machine (Debian's libc6, zlib1g, libstdc++6)
#   bin/bash                   Debian's bash-static: bin/dockevos is a bash script (the probes run it)
#   bin/busybox, usr/bin/env   Debian's busybox-static: env for the script's #! line; busybox for a look inside
#                              (podman exec NAME busybox ps)
#   etc/passwd, etc/group      the user dockevos (1000:1000), home /opt/dockevos
#   opt/dockevos/data, deploy  the volumes' folders, owned by dockevos: an engine's new volume takes their owner
#   opt/dockevos/lib/jars.sha256  the checksums of the distribution's jars (bin/dockevos's CDS archive key)
# It is written as $1.tar, an image archive (docker save's format) with two layers, reproducible (sorted,
# every time 1970-01-01T00:00:01Z, numeric owners) but for the JDK's CDS archive (opt/java/lib/server/classes.jsa),
# which JDK 17 writes with other bytes each time: it has a layer of its own. Jib lays the distribution over them.
# Without bash-static or busybox-static the image cannot be made: under CI=true that fails the build, otherwise
# the build says so and leaves the image out (the pom's profiles skip Jib when either is missing).
set -euo pipefail
out=$1 java_home=$2 classes=${3:-} dist=${4:-} src=$(cd "$(dirname "$0")" && pwd)
missing=()
[ -x /bin/bash-static ] || missing+=("/bin/bash-static (Debian package bash-static)")
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 \
  || missing+=("a static /bin/busybox (Debian package busybox-static)")
[ -x "$java_home/bin/jlink" ] || missing+=("jlink in $java_home (a full JDK)")
command -v ldd >/dev/null || missing+=("ldd (Debian package libc-bin)")
if [ ${#missing[@]} -gt 0 ]; then
  msg="dockevos image: NOT BUILT: missing ${missing[*]}; install them (apt-get install bash-static busybox-static, as .ci/engine.sh install does)"
  if [ "${CI:-}" = true ]; then echo "$msg" >&2; exit 1; fi
  printf '\n*** %s ***\n\n' "$msg" >&2
  exit 0
fi
[ -z "$classes" ] || mkdir -p "$classes"
rm -rf "$out" "$out.tar" "$out.work"; mkdir -p "$out"/{opt/dockevos/data,bin,usr/bin,etc,tmp} "$out.work"
# The modules dockevOS, its features and their bundles use (jdeps -summary over lib/ and system/), and
# jdk.crypto.ec (TLS), jdk.zipfs, jdk.charsets, jdk.jfr, jdk.jcmd and jdk.attach for a look inside (jcmd).
modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming
modules+=,java.net.http,java.rmi,java.scripting,java.security.jgss,java.sql,java.xml,jdk.attach,jdk.charsets
modules+=,jdk.crypto.ec,jdk.jcmd,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --generate-cds-archive --output "$out/opt/java" >/dev/null
# The class-data sharing archive for heaps over 32 GB (no compressed pointers): 12 MB that a container of
# dockevOS does not use (such a JVM starts without the archive, only slower).
rm -f "$out/opt/java/lib/server/classes_nocoops.jsa"
# Headless: the libraries for a screen, fonts and sound are not loaded; without them no X11 or ALSA library is needed.
rm -f "$out"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound,libfontmanager,liblcms,libjavajpeg}.so
# Every library the runtime's programs and libraries load, at the path ldd finds it (a symlink copied as its target).
libs=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
  | awk '/not found/ {print "NOTFOUND:" $1; next} $2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
# Not found by ldd but the runtime's own (libjvm.so, loaded by the java launcher before the others): fine.
lacking=
for name in $(sed -n 's/^NOTFOUND://p' <<< "$libs"); do
  [ -n "$(find "$out/opt/java/lib" -name "$name" -print -quit)" ] || lacking+=" $name"
done
if [ -n "$lacking" ]; then
  echo "dockevos image: the Java runtime needs libraries this machine lacks:$lacking" >&2
  exit 1
fi
libs=$(grep -v '^NOTFOUND:' <<< "$libs")
for lib in $libs; do
  case $lib in /opt/*|"$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
cp /bin/bash-static "$out/bin/bash"
cp /bin/busybox "$out/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$out/bin/$applet" ] || ln -s busybox "$out/bin/$applet"
done
ln -s ../../bin/busybox "$out/usr/bin/env"
cp "$src/etc/passwd" "$src/etc/group" "$out/etc/"
chmod 1777 "$out/tmp"
chmod 0700 "$out/opt/dockevos/data"
# Only what the distribution ships in deploy/ (its README): not what a run of the unpacked distribution left there.
mkdir "$out/opt/dockevos/deploy"
if [ -n "$dist" ] && [ -f "$dist/deploy/README" ]; then cp "$dist/deploy/README" "$out/opt/dockevos/deploy/"; fi
# The jars' checksums: bin/dockevos keys its class-data sharing archive (data/cds/ here) on them, since every
# file of the image has one time. In this layer, under the distribution's lib/ that Jib lays over it.
if [ -n "$dist" ]; then
  mkdir -p "$out/opt/dockevos/lib"
  (cd "$dist/lib" && sha256sum -- *.jar) > "$out/opt/dockevos/lib/jars.sha256"
fi
chmod -R u=rwX,go=rX "$out/opt/dockevos/deploy"

# Two layers. The first: root's files, then the volumes' folders as dockevos's (1000:1000); the same bytes
# from the same inputs. The second: the JDK's CDS archive alone, which JDK 17 writes with other bytes each
# time (JDK 19 and later write the same), so that only those 12 MB differ between two builds.
cds=./opt/java/lib/server/classes.jsa
opts=(--sort=name --mtime=@1 --numeric-owner --format=gnu)
tar "${opts[@]}" --owner=0 --group=0 -cf "$out.work/layer.tar" -C "$out" \
  --exclude=./opt/dockevos/data --exclude=./opt/dockevos/deploy --exclude="$cds" .
tar "${opts[@]}" --owner=1000 --group=1000 -rf "$out.work/layer.tar" -C "$out" ./opt/dockevos/data ./opt/dockevos/deploy
tar "${opts[@]}" --owner=0 --group=0 -cf "$out.work/cds.tar" -C "$out" "$cds"
case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
d1=$(sha256sum "$out.work/layer.tar" | cut -d' ' -f1)
d2=$(sha256sum "$out.work/cds.tar" | cut -d' ' -f1)
printf '{"architecture":"%s","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]}}' \
  "$arch" "$d1" "$d2" > "$out.work/config.json"
printf '[{"Config":"config.json","RepoTags":["dockevos-base:local"],"Layers":["layer.tar","cds.tar"]}]' \
  > "$out.work/manifest.json"
tar "${opts[@]}" --owner=0 --group=0 -cf "$out.tar" -C "$out.work" config.json manifest.json layer.tar cds.tar
rm -rf "$out.work"
echo "dockevos image: base in $out ($(du -sh "$out" | cut -f1)): a jlink runtime, $(find "$out/lib" "$out/lib64" -type f | wc -l) system libraries, bash, busybox"
