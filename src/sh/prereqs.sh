#!/usr/bin/env bash
# Installs what SpotNest needs on Debian 12 (as root), only what is missing.
#   prereqs.sh java   JDK 17 and Maven
#   prereqs.sh lab    + QEMU, libvirt, iproute2, sshd, chromium (dashboard page test), the guest kernel, and the
#                     tiny test guest image
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
WHAT=${1:-lab}

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have javac || need+=(openjdk-17-jdk-headless)
have mvn || need+=(maven)
have curl || need+=(curl)
if [ "$WHAT" = lab ]; then
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx nc || need+=(busybox-static)
  [ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon-system libvirt-daemon-driver-qemu)
  have virsh || need+=(libvirt-clients)
  have ip || need+=(iproute2)
  have tc || need+=(iproute2)
  have cpio || need+=(cpio)
  have debootstrap || need+=(debootstrap)     # the agent image (./spotnest image build and its lab test)
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  have gcc || need+=(gcc libc6-dev)
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)
  # headless browser for the dashboard's page test
  have chromium || need+=(chromium)
fi
# apt_install WHAT APT-ARGS...: root check, then one apt-get update and install.
apt_install() {
  local what=$1; shift
  [ "$(id -u)" = 0 ] || { echo "spotnest: missing $what; run as root to install it" >&2; exit 1; }
  echo "spotnest: installing $what (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# QEMU 7.2 (Debian 12) loses dirty pages in TCG guests during slow pre-copy migrations (the guest kernel
# panics on the destination); QEMU 10 (bookworm-backports, or the release's own on newer Debian) does not.
# See docs/benchmarks.md.
qemu_ok() { qemu-system-x86_64 --version 2>/dev/null | grep -qE 'version (8|9|[1-9][0-9])\.'; }
if [ "$WHAT" = lab ] && ! qemu_ok; then
  from=()
  if grep -q 'VERSION_CODENAME=bookworm' /etc/os-release; then
    BPO=/etc/apt/sources.list.d/spotnest-bookworm-backports.sources
    if [ ! -f "$BPO" ] && [ "$(id -u)" = 0 ]; then
      printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$BPO"
    fi
    from=(-t bookworm-backports)
  fi
  apt_install "QEMU >= 8" "${from[@]}" qemu-system-x86 qemu-utils
  qemu_ok || { echo "spotnest: QEMU >= 8 could not be installed" >&2; exit 1; }
fi
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[*]}" "${need[@]}"
fi
if [ "$WHAT" = lab ]; then
  "$ROOT/nested-agent-image/build-test-guest.sh"
fi
