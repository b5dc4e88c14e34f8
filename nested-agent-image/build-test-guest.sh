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

die() { echo "build-test-guest: $*" >&2; exit 1; }
# shellcheck source=lib/image.sh
. "$HERE/lib/image.sh"
sn_builder_init build-test-guest.sh "$OUT" "$@"

manifest_value() { sed -n "s/^$1=//p" "$OUT/MANIFEST" 2>/dev/null; }

# Everything that goes into the outputs besides the kernel: sources, this script, busybox, the compiler.
inputs_sha() {
  { cat "$0" "$HERE/lib/image.sh" "$SRC/init" "$SRC/udhcpc.script" "$SRC/sn-build.c" "$SRC/ws-disk.c" "$SRC/wsrecord.h"
    echo "contract=$CONTRACT ws_base_mib=$WS_BASE_MIB modules=${MODULES[*]}"
    stat -c '%s %Y' "$BUSYBOX"; gcc -dumpfullversion; } | sha256sum | cut -d' ' -f1
}

# The kernel package is asked from apt (~0.6 s) only when the apt lists changed since the last check.
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
    local pkg; pkg=$(sn_kernel_package)
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

KPKG=$(sn_kernel_package)
if [ -z "$KPKG" ] && [ "$(id -u)" = 0 ]; then     # e.g. an image whose apt lists were cleaned
  apt-get update -q >/dev/null 2>&1 || true
  KPKG=$(sn_kernel_package)
fi
[ -n "$KPKG" ] || die "apt-cache depends linux-image-amd64 named no kernel package (run apt-get update)"
KVER=${KPKG#linux-image-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sn-test-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# 1. kernel: the .deb is downloaded once into the cache, then unpacked (not installed)
sn_kernel_unpack "$KPKG" "$CACHE/kernel" "$WORK/kernel"

# 2. the stand-in build (guest) and the workspace checker (host), both static
gcc -static -O2 -Wall -Werror -o "$WORK/sn-build" "$SRC/sn-build.c" -lpthread || die "compiling sn-build.c failed"
gcc -static -O2 -Wall -Werror -o "$WORK/ws-disk" "$SRC/ws-disk.c" || die "compiling ws-disk.c failed"
strip "$WORK/sn-build" "$WORK/ws-disk"
"$WORK/ws-disk" selftest >/dev/null || die "ws-disk selftest failed: the workspace record formula is broken"
# the command line contract as sn-build parses it (--check runs only the parser): accepted and refused forms
check_cmdline() {   # EXPECTED_RC EXPECTED_OUTPUT_PREFIX CMDLINE
  local out rc=0
  out=$("$WORK/sn-build" --check "$3") || rc=$?
  [ "$rc" = "$1" ] && [[ "$out" == "$2"* ]] || die "sn-build --check '$3': rc=$rc '$out', expected rc=$1 '$2...'"
}
check_cmdline 0 "ip=10.0.0.2/24 gw= ctrl=10.0.0.1:5555 vm=sn-guest dirty=0 wss=32 step_ms=1000 disk=/dev/vda ws_mib=8" \
  "console=ttyS0 quiet sn.ip=10.0.0.2/24 sn.ctrl=10.0.0.1:5555"
check_cmdline 0 "ip=dhcp gw=10.0.0.1 ctrl=10.0.0.1:80 vm=a-1 dirty=64 wss=128 step_ms=500 disk=none ws_mib=0" \
  "sn.ip=dhcp sn.gw=10.0.0.1 sn.ctrl=10.0.0.1:80 sn.vm=a-1 sn.dirty=64 sn.wss=128 sn.step_ms=500 sn.disk=none sn.ws_mib=0"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.ip value=(missing)" "sn.ctrl=10.0.0.1:5555"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.ip value=10.0.0.2:" "sn.ip=10.0.0.2 sn.ctrl=10.0.0.1:5555"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.ctrl value=10.0.0.1:0:" "sn.ip=dhcp sn.ctrl=10.0.0.1:0"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.dirty value=-1:" "sn.ip=dhcp sn.ctrl=10.0.0.1:1 sn.dirty=-1"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.vm value=a/b:" "sn.ip=dhcp sn.ctrl=10.0.0.1:1 sn.vm=a/b"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.dirt value=1: unknown" "sn.ip=dhcp sn.ctrl=10.0.0.1:1 sn.dirt=1"
check_cmdline 0 "ip=dhcp gw= ctrl=10.0.0.1:1 vm=sn-guest dirty=0 wss=32 step_ms=1000 disk=/dev/vda ws_mib=8 beat_ms=10" \
  "sn.ip=dhcp sn.ctrl=10.0.0.1:1"
check_cmdline 0 "ip=dhcp gw= ctrl=10.0.0.1:1 vm=sn-guest dirty=0 wss=32 step_ms=1000 disk=/dev/vda ws_mib=8 beat_ms=0" \
  "sn.ip=dhcp sn.ctrl=10.0.0.1:1 sn.beat_ms=0"
check_cmdline 2 "SN-CONFIG-ERROR field=sn.beat_ms value=2:" "sn.ip=dhcp sn.ctrl=10.0.0.1:1 sn.beat_ms=2"

# 3. initramfs: busybox, /init, sn-build, and the modules plus what they depend on (dependencies first)
R=$WORK/root
mkdir -p "$R"/{bin,dev,etc,proc,sys,tmp,run,lib/modules}
cp "$BUSYBOX" "$R/bin/busybox"
install -m 0755 "$WORK/sn-build" "$R/bin/sn-build"
install -m 0755 "$SRC/init" "$R/init"
install -m 0755 "$SRC/udhcpc.script" "$R/etc/udhcpc.script"
sn_install_modules "$R" "$WORK/kernel/lib/modules/$KVER" "${MODULES[@]}"
ORDER=$(paste -sd, "$R/lib/modules/load-order")
sn_cpio_gz "$R" "$WORK/initramfs.cpio.gz"

# 4. workspace base image: the base area (README.md) then zeros, as qcow2
"$WORK/ws-disk" make-base "$WORK/workspace-base.raw" "$WS_BASE_MIB"
qemu-img convert -q -f raw -O qcow2 "$WORK/workspace-base.raw" "$WORK/workspace-base.qcow2"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/vmlinuz"

# 5. publish: replace a file only when its content changed (running guests and overlays keep their files)
sn_publish "$WORK" "$OUT" vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk
chmod 0644 "$OUT/vmlinuz" "$OUT/initramfs.cpio.gz" "$OUT/workspace-base.qcow2"
chmod 0755 "$OUT/ws-disk"
{
  echo "contract=$CONTRACT"
  echo "kernel_package=$KPKG"
  echo "kernel_version=$KVER"
  echo "modules=$ORDER"
  echo "workspace_base_virtual_mib=$WS_BASE_MIB"
  echo "workspace_base_area_bytes=1048576"
  echo "workspace_record_bytes=4096"
  sn_manifest_files "$OUT" vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk
  echo "inputs_sha256=$(inputs_sha)"
} > "$OUT/.MANIFEST.new"
mv -f "$OUT/.MANIFEST.new" "$OUT/MANIFEST"
touch "$OUT/.apt-checked"
echo "build-test-guest: built $OUT ($KVER; modules $ORDER) in $(( ($(date +%s%N) - T0) / 1000000 )) ms" >&2
