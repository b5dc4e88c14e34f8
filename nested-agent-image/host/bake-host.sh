#!/usr/bin/env bash
# Installs what an L1 host needs (QEMU, libvirt, openssl, curl, iproute2): run ONCE when baking the host image
# (AMI), e.g. from Packer or EC2 Image Builder: `sudo bash bake-host.sh`.
#   bake-host.sh               install (apt) unless everything is present already
#   bake-host.sh --check       exit 0 when everything is present, 1 (listing what is missing) otherwise
# setup-host.sh runs `bake-host.sh` at first boot only when something is missing (an image that was not baked);
# on a baked image it installs nothing. SPOTNEST_SYSROOT (tests only) prefixes the paths checked.
set -euo pipefail
root=${SPOTNEST_SYSROOT:-}
log() { echo "spotnest-bake: $*" >&2; }

PACKAGES=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients curl ca-certificates openssl iproute2)
# one file per package that proves it is installed
FILES=(/usr/bin/qemu-system-x86_64 /usr/bin/qemu-img /usr/sbin/libvirtd /usr/bin/virsh /usr/bin/curl
       /etc/ssl/certs/ca-certificates.crt /usr/bin/openssl /usr/sbin/bridge)

missing=()
for f in "${FILES[@]}"; do
  [ -e "$root$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "packages present, nothing to install"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  log "missing: ${missing[*]}"
  exit 1
fi
log "installing ${PACKAGES[*]} (missing: ${missing[*]})"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
