#!/usr/bin/env bash
# Builds the SpotNest test guest: Debian 12's kernel (downloaded, never installed), a busybox initramfs with
# the virtio drivers and the stand-in build (test-guest/sn-build.c), and the workspace disk's base image.
#
#   nested-agent-image/build-test-guest.sh            build or refresh; does nothing (< 1 s) when up to date
#   nested-agent-image/build-test-guest.sh --force    rebuild everything
#
# Output ($SPOTNEST_IMAGE_OUT, default nested-agent-image/out/test-guest/):
#   vmlinuz  initramfs.cpio.gz  workspace-base.qcow2  ws-disk (host checker)  MANIFEST
# Cache ($SPOTNEST_IMAGE_CACHE, default nested-agent-image/out/cache/): the kernel .deb.
# Needs: apt (Debian 12), dpkg-deb, busybox-static, gcc + libc6-dev, cpio, gzip, qemu-img, flock.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SRC=$HERE/test-guest
OUT=${SPOTNEST_IMAGE_OUT:-$HERE/out/test-guest}
CACHE=${SPOTNEST_IMAGE_CACHE:-$HERE/out/cache}
CONTRACT=1            # version of the kernel command line contract (README.md); bump on incompatible change
WS_BASE_MIB=64        # virtual size of workspace-base.qcow2
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk)
BUSYBOX=/bin/busybox
FORCE=0

die() { echo "build-test-guest: $*" >&2; exit 1; }
case "${1:-}" in
  "") ;;
  --force) FORCE=1 ;;
  *) die "unknown argument '$1' (usage: build-test-guest.sh [--force])" ;;
esac

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9                                   # concurrent ./spotnest runs share one output directory

manifest_value() { sed -n "s/^$1=//p" "$OUT/MANIFEST" 2>/dev/null; }

# Everything that goes into the outputs besides the kernel: sources, this script, busybox, the compiler.
inputs_sha() {
  { cat "$0" "$SRC/init" "$SRC/udhcpc.script" "$SRC/sn-build.c" "$SRC/ws-disk.c" "$SRC/wsrecord.h"
    echo "contract=$CONTRACT ws_base_mib=$WS_BASE_MIB modules=${MODULES[*]}"
    stat -c '%s %Y' "$BUSYBOX"; gcc -dumpfullversion; } | sha256sum | cut -d' ' -f1
}

# The kernel package linux-image-amd64 points at; apt-cache costs ~0.6 s, so it is only asked again
# when the apt lists changed since the last check ($OUT/.apt-checked).
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}
apt_lists_changed() {
  [ ! -f "$OUT/.apt-checked" ] && return 0
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -newer "$OUT/.apt-checked" -print -quit 2>/dev/null)" ]
}

up_to_date() {
  local f
  [ "$FORCE" = 0 ] || return 1
  for f in vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk MANIFEST; do [ -s "$OUT/$f" ] || return 1; done
  [ "$(manifest_value inputs_sha256)" = "$(inputs_sha)" ] || return 1
  if apt_lists_changed; then
    local pkg; pkg=$(kernel_package)
    [ -z "$pkg" ] || [ "$pkg" = "$(manifest_value kernel_package)" ] || return 1
    touch "$OUT/.apt-checked"
  fi
}
up_to_date && exit 0

T0=$(date +%s%N)
for tool in apt-get apt-cache dpkg-deb gcc cpio gzip qemu-img; do
  command -v "$tool" >/dev/null || die "missing tool '$tool' (run src/sh/prereqs.sh lab as root)"
done
[ -x "$BUSYBOX" ] || die "missing $BUSYBOX (apt package busybox-static)"
file_is_static() { ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'; }
file_is_static "$BUSYBOX" || die "$BUSYBOX is not statically linked (install busybox-static, not busybox)"

KPKG=$(kernel_package)
[ -n "$KPKG" ] || die "apt-cache depends linux-image-amd64 named no kernel package (run apt-get update)"
KVER=${KPKG#linux-image-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sn-test-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# 1. kernel: download the .deb once (the directory must be writable by apt's sandbox user _apt), unpack it
mkdir -p "$CACHE/kernel"
chmod 0777 "$CACHE/kernel"
DEB=$(ls "$CACHE/kernel/${KPKG}_"*.deb 2>/dev/null | head -1 || true)
if [ -z "$DEB" ]; then
  echo "build-test-guest: downloading $KPKG" >&2
  rm -f "$CACHE/kernel/"*.deb
  (cd "$CACHE/kernel" && apt-get download -q "$KPKG" >/dev/null) || die "apt-get download $KPKG failed"
  DEB=$(ls "$CACHE/kernel/${KPKG}_"*.deb | head -1)
fi
dpkg-deb -x "$DEB" "$WORK/kernel" || die "dpkg-deb -x $DEB failed"
KMODS=$WORK/kernel/lib/modules/$KVER
[ -f "$WORK/kernel/boot/vmlinuz-$KVER" ] || die "$DEB holds no boot/vmlinuz-$KVER"

# 2. drivers: the requested modules plus what they depend on (from each .ko's modinfo 'depends='), deps first
declare -A KO=() LOADED=()
while IFS= read -r f; do b=${f##*/}; KO[${b%.ko}]=$f; done < <(find "$KMODS/kernel" -name '*.ko')
ORDER=()
add_module() {
  local m=$1 dep deps
  [ -n "${LOADED[$m]:-}" ] && return 0
  [ -n "${KO[$m]:-}" ] || die "module $m.ko not found in $KPKG (built in or compressed?)"
  LOADED[$m]=1
  deps=$(tr '\0' '\n' < "${KO[$m]}" | sed -n 's/^depends=//p' | head -1)
  for dep in ${deps//,/ }; do add_module "${dep//-/_}"; done
  ORDER+=("$m")
}
for m in "${MODULES[@]}"; do add_module "$m"; done

# 3. the stand-in build (guest) and the workspace checker (host), both static
gcc -static -O2 -Wall -Werror -o "$WORK/sn-build" "$SRC/sn-build.c" -lpthread || die "compiling sn-build.c failed"
gcc -static -O2 -Wall -Werror -o "$WORK/ws-disk" "$SRC/ws-disk.c" || die "compiling ws-disk.c failed"
strip "$WORK/sn-build" "$WORK/ws-disk"
"$WORK/ws-disk" selftest >/dev/null || die "ws-disk selftest failed: the workspace record formula is broken"

# 4. initramfs: reproducible cpio (sorted names, fixed mtimes), gzip without a timestamp
R=$WORK/root
mkdir -p "$R"/{bin,dev,etc,proc,sys,tmp,run,lib/modules}
cp "$BUSYBOX" "$R/bin/busybox"
install -m 0755 "$WORK/sn-build" "$R/bin/sn-build"
install -m 0755 "$SRC/init" "$R/init"
install -m 0755 "$SRC/udhcpc.script" "$R/etc/udhcpc.script"
for m in "${ORDER[@]}"; do cp "${KO[$m]}" "$R/lib/modules/$m.ko"; done
printf '%s\n' "${ORDER[@]}" > "$R/lib/modules/load-order"
find "$R" -exec touch -h -d @0 {} +
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible -R 0:0) | gzip -9n > "$WORK/initramfs.cpio.gz"

# 5. workspace base image: the base area (README.md) then zeros, as qcow2
"$WORK/ws-disk" make-base "$WORK/workspace-base.raw" "$WS_BASE_MIB"
qemu-img convert -q -f raw -O qcow2 "$WORK/workspace-base.raw" "$WORK/workspace-base.qcow2"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/vmlinuz"

# 6. publish: replace a file only when its content changed (running guests and overlays keep their files)
for f in vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk; do
  if ! cmp -s "$WORK/$f" "$OUT/$f"; then
    cp "$WORK/$f" "$OUT/.$f.new" && mv -f "$OUT/.$f.new" "$OUT/$f"
  fi
done
chmod 0644 "$OUT/vmlinuz" "$OUT/initramfs.cpio.gz" "$OUT/workspace-base.qcow2"
chmod 0755 "$OUT/ws-disk"
{
  echo "contract=$CONTRACT"
  echo "kernel_package=$KPKG"
  echo "kernel_version=$KVER"
  echo "modules=$(IFS=,; echo "${ORDER[*]}")"
  echo "workspace_base_virtual_mib=$WS_BASE_MIB"
  echo "workspace_base_area_bytes=1048576"
  echo "workspace_record_bytes=4096"
  for f in vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk; do
    key=${f%%.*}; key=${key//-/_}
    echo "${key}_bytes=$(stat -c %s "$OUT/$f")"
    echo "${key}_sha256=$(sha256sum "$OUT/$f" | cut -d' ' -f1)"
  done
  echo "inputs_sha256=$(inputs_sha)"
} > "$OUT/.MANIFEST.new"
mv -f "$OUT/.MANIFEST.new" "$OUT/MANIFEST"
touch "$OUT/.apt-checked"
echo "build-test-guest: built $OUT ($KVER, ${#ORDER[@]} modules) in $(( ($(date +%s%N) - T0) / 1000000 )) ms" >&2
