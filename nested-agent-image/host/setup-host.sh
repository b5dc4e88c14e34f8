#!/usr/bin/env bash
# Prepares an L1 host for SpotNest agent VMs (runs as root, from EC2 user-data or by hand):
#   - installs QEMU/KVM and libvirt, checks that nested virtualization (/dev/kvm) is available;
#   - configures libvirtd access: SPOTNEST_LIBVIRT_ACCESS=tls (TLS listener on 16514, certificates must already be in
#     /etc/pki/libvirt and /etc/pki/CA, e.g. baked into the AMI) or ssh (no network listener at all; user 'spotnest'
#     in group libvirt, reached over SSH with the key in SPOTNEST_SSH_PUBLIC_KEY);
#   - installs the IMDSv2 watcher (spotnest-imds-watcher) as a systemd service relaying notices to SPOTNEST_RELAY_URL.
# Inputs (environment): SPOTNEST_CLUSTER, SPOTNEST_LIBVIRT_ACCESS, SPOTNEST_RELAY_URL, SPOTNEST_RELAY_TOKEN_FILE (a
# root-only file with the relay token), SPOTNEST_SSH_PUBLIC_KEY (ssh mode), SPOTNEST_WATCHER (path of the watcher
# script; default: spotnest-imds-watcher.sh beside this script).
set -euo pipefail

log() { echo "spotnest-setup: $*" >&2; }
fail() { log "$*"; exit 1; }

access=${SPOTNEST_LIBVIRT_ACCESS:?SPOTNEST_LIBVIRT_ACCESS is not set (tls or ssh)}
relay_url=${SPOTNEST_RELAY_URL:?SPOTNEST_RELAY_URL is not set}
token_src=${SPOTNEST_RELAY_TOKEN_FILE:?SPOTNEST_RELAY_TOKEN_FILE is not set}
watcher=${SPOTNEST_WATCHER:-$(dirname "$(readlink -f "$0")")/spotnest-imds-watcher.sh}
case "$access" in tls|ssh) ;; *) fail "SPOTNEST_LIBVIRT_ACCESS must be tls or ssh, got '$access'" ;; esac
[ -r "$watcher" ] || fail "watcher script $watcher not found"
[ -r "$token_src" ] || fail "relay token file $token_src not found"

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients curl ca-certificates
[ -c /dev/kvm ] || fail "/dev/kvm is missing: choose an instance type with nested virtualization enabled"

conf=/etc/libvirt/libvirtd.conf
set_conf() { sed -i "/^#\?\s*$1\s*=/d" "$conf"; echo "$1 = $2" >> "$conf"; }
if [ "$access" = tls ]; then
  for f in /etc/pki/CA/cacert.pem /etc/pki/libvirt/servercert.pem /etc/pki/libvirt/private/serverkey.pem; do
    [ -r "$f" ] || fail "TLS mode needs $f (provision the libvirt certificates in the AMI or before this script)"
  done
  set_conf listen_tls 1
  set_conf listen_tcp 0
  set_conf auth_tls '"none"'
  set_conf tls_no_verify_certificate 0
  # Socket activation: enable the TLS socket unit instead of the --listen flag.
  systemctl stop libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket || true
  systemctl enable --now libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket libvirtd-tls.socket
else
  key=${SPOTNEST_SSH_PUBLIC_KEY:?SSH mode needs SPOTNEST_SSH_PUBLIC_KEY}
  id spotnest >/dev/null 2>&1 || useradd --create-home --shell /bin/bash spotnest
  usermod -aG libvirt,kvm spotnest
  install -d -m 700 -o spotnest -g spotnest /home/spotnest/.ssh
  printf '%s\n' "$key" > /home/spotnest/.ssh/authorized_keys
  chown spotnest:spotnest /home/spotnest/.ssh/authorized_keys
  chmod 600 /home/spotnest/.ssh/authorized_keys
  set_conf listen_tls 0
  set_conf listen_tcp 0
  set_conf unix_sock_group '"libvirt"'
  set_conf unix_sock_rw_perms '"0770"'
  systemctl disable --now libvirtd-tls.socket libvirtd-tcp.socket 2>/dev/null || true
  systemctl restart libvirtd.socket libvirtd.service
fi

install -d -m 700 /etc/spotnest /var/lib/spotnest/watcher
install -m 600 "$token_src" /etc/spotnest/relay-token
install -m 755 "$watcher" /usr/local/sbin/spotnest-imds-watcher
cat > /etc/spotnest/watcher.env <<ENV
SPOTNEST_RELAY_URL=$relay_url
SPOTNEST_RELAY_TOKEN_FILE=/etc/spotnest/relay-token
SPOTNEST_POLL_SECONDS=2
ENV
chmod 600 /etc/spotnest/watcher.env
cat > /etc/systemd/system/spotnest-imds-watcher.service <<'UNIT'
[Unit]
Description=SpotNest IMDSv2 interruption watcher
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/local/sbin/spotnest-imds-watcher
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now spotnest-imds-watcher.service
log "host ready for cluster ${SPOTNEST_CLUSTER:-?} (libvirt access: $access)"
