#!/usr/bin/env bash
# Builds the real SpotNest agent VM image (as root; 1-3 minutes, needs deb.debian.org; run by
# `./spotnest image build` and its lab test): Debian 12 minbase + openjdk-17-jre-headless + git + busybox-static,
# debootstrapped into an ext4 root file system, busybox init with the agent bootstrap (agent-image/rootfs), and
# an initramfs that switch_roots into it. Progress on stderr.
#
#   nested-agent-image/build-agent-image.sh [--force]
#
# Cached: when every input is unchanged (this script, lib/image.sh, agent-image/init and rootfs/, the DHCP hook,
# suite, mirror, root size, package and module lists, the kernel package apt names) it says "cached" and exits 0
# at once. A new Debian point release of the same packages needs --force.
#
# Output ($SPOTNEST_AGENT_IMAGE_OUT, default nested-agent-image/out/agent/):
#   vmlinuz  initramfs.cpio.gz  agent-root.qcow2 (base image; give each VM an overlay)  MANIFEST
# Needs: debootstrap, e2fsprogs (mke2fs -d), qemu-img, dpkg-deb, cpio, busybox-static; the kernel comes from
# the same cache as the test guest's.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SRC=$HERE/agent-image
OUT=${SPOTNEST_AGENT_IMAGE_OUT:-$HERE/out/agent}
CACHE=${SPOTNEST_IMAGE_CACHE:-$HERE/out/cache}
MIRROR=${SPOTNEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
ROOT_MIB=${SPOTNEST_AGENT_ROOT_MIB:-4096}   # virtual size of the root file system (builds' workspaces live there)
PACKAGES=(openjdk-17-jre-headless git busybox-static ca-certificates wget)   # busybox wget segfaults there (static glibc)
MIN_FREE_MIB=2048   # usable by user jenkins on the root file system (work directory and /tmp): Jenkins' monitors need 1 GiB
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk crc32c_generic ext4)   # ext4 needs crc32c, a soft dependency not in depends=
BUSYBOX=/bin/busybox

die() { echo "build-agent-image: $*" >&2; exit 1; }
# shellcheck source=lib/image.sh
. "$HERE/lib/image.sh"
[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot)"
for tool in debootstrap mke2fs dumpe2fs qemu-img dpkg-deb apt-get cpio gzip unshare; do
  command -v "$tool" >/dev/null || die "missing tool '$tool' (apt-get install debootstrap e2fsprogs qemu-utils cpio)"
done
valid_root_mib() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 3072 ] && [ "$1" -le 65536 ]; }
valid_root_mib "$ROOT_MIB" || die "SPOTNEST_AGENT_ROOT_MIB must be a whole number 3072..65536, got '$ROOT_MIB'"

sn_builder_init build-agent-image.sh "$OUT" "$@"
KPKG=$(sn_kernel_package)
[ -n "$KPKG" ] || die "apt-cache depends linux-image-amd64 named no kernel package (run apt-get update)"
inputs_sha() {
  { cat "$0" "$HERE/lib/image.sh" "$SRC/init" "$HERE/test-guest/udhcpc.script"
    find "$SRC/rootfs" -type f | LC_ALL=C sort | while IFS= read -r f; do echo "${f#"$SRC"/} $(stat -c %a "$f")"; cat "$f"; done
    echo "suite=$SUITE mirror=$MIRROR root_mib=$ROOT_MIB min_free_mib=$MIN_FREE_MIB packages=${PACKAGES[*]}"
    echo "modules=${MODULES[*]} kernel=$KPKG"; } | sha256sum | cut -d' ' -f1
}
if [ "$FORCE" = 0 ] && [ -s "$OUT/agent-root.qcow2" ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initramfs.cpio.gz" ] &&
   [ -s "$OUT/MANIFEST" ] && [ "$(sed -n 's/^inputs_sha256=//p' "$OUT/MANIFEST")" = "$(inputs_sha)" ]; then
  echo "build-agent-image: cached: $OUT/agent-root.qcow2, inputs unchanged (sha256 $(inputs_sha | cut -c1-12); --force rebuilds)" >&2
  exit 0
fi

T0=$(date +%s)
KVER=${KPKG#linux-image-}
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/sn-agent-image.XXXXXX")
trap '[ -n "${SPOTNEST_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
R=$WORK/rootfs
phase() { echo "build-agent-image: [$(( $(date +%s) - T0 )) s] $*" >&2; }

# 1. Debian minbase + packages. Everything that needs /proc runs in a private mount namespace,
#    so no mount outlives this script.
phase "debootstrap $SUITE minbase"
debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 ||
  { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
cp /etc/resolv.conf "$R/etc/resolv.conf"
phase "apt-get install ${PACKAGES[*]}"
unshare -m --propagation private sh -c '
  mount -t proc proc "$1/proc" && mount -t sysfs sysfs "$1/sys" &&
  chroot "$1" sh -c "export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends $2 &&
    useradd --create-home --home-dir /var/lib/jenkins-agent --uid 1000 --user-group --shell /bin/sh jenkins &&
    apt-get clean"' _ "$R" "${PACKAGES[*]}" > "$WORK/apt.log" 2>&1 ||
  { tail -20 "$WORK/apt.log" >&2; die "installing ${PACKAGES[*]} in the chroot failed (log above)"; }
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/locale/*
: > "$R/etc/resolv.conf"
echo sn-agent > "$R/etc/hostname"
printf '/dev/vda / ext4 rw,noatime 0 1\n' > "$R/etc/fstab"

# 2. the agent bootstrap (busybox init + scripts) and the DHCP hook shared with the test guest
cp -a "$SRC/rootfs/." "$R/"
install -D -m 0755 "$HERE/test-guest/udhcpc.script" "$R/etc/sn-agent/udhcpc.script"
[ -x "$R/bin/busybox" ] || die "busybox-static is missing from the root file system"
for applet in ip hostname; do                  # minbase has no iproute2; the boot scripts use busybox's
  [ -e "$R/usr/bin/$applet" ] || [ -e "$R/bin/$applet" ] || ln -s /bin/busybox "$R/usr/local/sbin/$applet"
done
[ -x "$R/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ] && [ -L "$R/usr/bin/java" ] ||
  die "openjdk-17 (or its /usr/bin/java link) is missing from the root file system"
[ -x "$R/usr/bin/git" ] || die "git is missing from the root file system"
JAVA_VERSION=$(chroot "$R" dpkg-query -W -f '${Version}' openjdk-17-jre-headless)
GIT_VERSION=$(chroot "$R" dpkg-query -W -f '${Version}' git)

# 3. the root file system as ext4 (mke2fs -d: no loop mount), then qcow2
phase "ext4 root file system, ${ROOT_MIB} MiB"
mke2fs -q -t ext4 -L sn-agent-root -d "$R" -E root_owner=0:0 "$WORK/agent-root.raw" "${ROOT_MIB}M" >/dev/null ||
  die "mke2fs -d failed"
# what user jenkins can use (free minus the blocks reserved for root): the work directory and /tmp live here
FREE_MIB=$(dumpe2fs -h "$WORK/agent-root.raw" 2>/dev/null |
  awk -F: '/^Free blocks/{f=$2} /^Reserved block count/{r=$2} /^Block size/{b=$2} END {print int((f - r) * b / 1048576)}')
[ "${FREE_MIB:-0}" -ge "$MIN_FREE_MIB" ] ||
  die "the root file system leaves ${FREE_MIB:-?} MiB usable, below $MIN_FREE_MIB (raise SPOTNEST_AGENT_ROOT_MIB)"
qemu-img convert -q -f raw -O qcow2 "$WORK/agent-root.raw" "$WORK/agent-root.qcow2"
ROOT_USED_MIB=$(du -sm "$R" | cut -f1)
rm -f "$WORK/agent-root.raw"

# 4. kernel + initramfs that mounts the root disk and switch_roots
phase "kernel $KPKG + initramfs"
sn_kernel_unpack "$KPKG" "$CACHE/kernel" "$WORK/kernel"
I=$WORK/initramfs
mkdir -p "$I"/{bin,dev,proc,sys,newroot}
cp "$BUSYBOX" "$I/bin/busybox"
install -m 0755 "$SRC/init" "$I/init"
sn_install_modules "$I" "$WORK/kernel/lib/modules/$KVER" "${MODULES[@]}"
sn_cpio_gz "$I" "$WORK/initramfs.cpio.gz"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
rm -rf "$WORK/kernel"

sn_publish "$WORK" "$OUT" vmlinuz initramfs.cpio.gz agent-root.qcow2
{
  echo "kernel_package=$KPKG"
  echo "kernel_version=$KVER"
  echo "modules=$(paste -sd, "$I/lib/modules/load-order")"
  echo "suite=$SUITE"
  echo "packages=${PACKAGES[*]}"
  echo "java=$JAVA_VERSION"
  echo "git=$GIT_VERSION"
  echo "agent_root_free_mib=$FREE_MIB"
  echo "agent_root_virtual_mib=$ROOT_MIB"
  echo "agent_root_used_mib=$ROOT_USED_MIB"
  sn_manifest_files "$OUT" vmlinuz initramfs.cpio.gz agent-root.qcow2
  echo "inputs_sha256=$(inputs_sha)"
} > "$OUT/.MANIFEST.new"
mv -f "$OUT/.MANIFEST.new" "$OUT/MANIFEST"
phase "done: $OUT (root file system ${ROOT_USED_MIB} MiB used, ${FREE_MIB} MiB usable)"
