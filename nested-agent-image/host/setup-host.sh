#!/usr/bin/env bash
# Prepares an L1 host for SpotNest agent VMs (runs as root, from EC2 user-data or by hand). Idempotent: a second run
# changes nothing, installs nothing, asks for no new certificate and restarts nothing.
#   1. packages: none installed when the image was baked with bake-host.sh (beside this script); otherwise
#      bake-host.sh installs them, once;
#   2. virtualization: KVM must be usable (kvm_intel/kvm_amd loaded, /dev/kvm present: the instance type exposes
#      nested virtualization), unless SPOTNEST_VIRT=qemu (emulated agent VMs, e.g. the lab);
#   3. libvirtd access: SPOTNEST_LIBVIRT_ACCESS=tls (listener on 16514) or ssh (no network listener; user
#      'spotnest' in group libvirt, reached over SSH with the key in SPOTNEST_SSH_PUBLIC_KEY).
#      TLS certificates come from the cluster's CA, never from the image: the host makes its own key (it never
#      leaves the host: not in user data, logs or command lines) and a CSR, and the controller's relay
#      (POST /v1/host-certificate, relay token + the host's signed instance identity) signs it for the host's
#      private IP and EC2 DNS name. The answer is checked (chains to SPOTNEST_CA_CERT_FILE, names the private IP,
#      certifies our key) before use. The same certificate serves libvirtd, outgoing peer-to-peer connections
#      (/etc/pki/libvirt/clientcert.pem) and QEMU's TLS migration streams (/etc/pki/qemu);
#   4. the agents' VXLAN overlay: bridge SPOTNEST_OVERLAY_BRIDGE (br0) with vxlan0 (VNI SPOTNEST_OVERLAY_VNI, UDP
#      4789, local = the private IP), MTU = underlay MTU - 50, flooding to SPOTNEST_OVERLAY_PEERS
#      (spotnest-overlay-peers keeps that list current later); the settings saved in /etc/spotnest/overlay.env
#      (0600) for spotnest-overlay-up, which spotnest-overlay.service runs at every boot to re-create the devices;
#   5. the IMDSv2 watcher (spotnest-imds-watcher) as a systemd service relaying notices to SPOTNEST_RELAY_URL.
# Inputs (environment): SPOTNEST_CLUSTER, SPOTNEST_LIBVIRT_ACCESS, SPOTNEST_RELAY_URL, SPOTNEST_RELAY_TOKEN_FILE (a
# root-only file with the relay token), SPOTNEST_CA_CERT_FILE (tls: the cluster CA certificate, public),
# SPOTNEST_SSH_PUBLIC_KEY (ssh), SPOTNEST_VIRT (kvm|qemu, default kvm), SPOTNEST_OVERLAY_VNI (default 4242),
# SPOTNEST_OVERLAY_PEERS (comma-separated VTEP addresses), SPOTNEST_OVERLAY_BRIDGE (default br0),
# SPOTNEST_UNDERLAY_MTU (default: the MTU of the device holding the private IP), SPOTNEST_PRIVATE_IP (default: IMDS
# local-ipv4), SPOTNEST_IMDS_URL, SPOTNEST_WATCHER (default: spotnest-imds-watcher.sh beside this script).
# SPOTNEST_SYSROOT prefixes every file path (tests only).
set -euo pipefail

log() { echo "spotnest-setup: $*" >&2; }
fail() { log "$*"; exit 1; }

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=spotnest-overlay.sh
. "$here/spotnest-overlay.sh"
root=${SPOTNEST_SYSROOT:-}
access=${SPOTNEST_LIBVIRT_ACCESS:?SPOTNEST_LIBVIRT_ACCESS is not set (tls or ssh)}
relay_url=${SPOTNEST_RELAY_URL:?SPOTNEST_RELAY_URL is not set}
token_src=${SPOTNEST_RELAY_TOKEN_FILE:?SPOTNEST_RELAY_TOKEN_FILE is not set}
watcher=${SPOTNEST_WATCHER:-$here/spotnest-imds-watcher.sh}
virt=${SPOTNEST_VIRT:-kvm}
imds=${SPOTNEST_IMDS_URL:-http://169.254.169.254}
vni=${SPOTNEST_OVERLAY_VNI:-4242}
peers=${SPOTNEST_OVERLAY_PEERS:-}
br=${SPOTNEST_OVERLAY_BRIDGE:-br0}
case "$access" in tls|ssh) ;; *) fail "SPOTNEST_LIBVIRT_ACCESS must be tls or ssh, got '$access'" ;; esac
case "$virt" in kvm|qemu) ;; *) fail "SPOTNEST_VIRT must be kvm or qemu, got '$virt'" ;; esac
problem=$(overlay_settings_problem "$vni" "$br" "$peers")
[ -z "$problem" ] || fail "$problem"
IFS=, read -r -a peer_list <<<"$peers"
[ -r "$watcher" ] || fail "watcher script $watcher not found"
[ -r "$token_src" ] || fail "relay token file $token_src not found"
if [ "$access" = tls ]; then
  ca_src=${SPOTNEST_CA_CERT_FILE:?TLS mode needs SPOTNEST_CA_CERT_FILE (the cluster CA certificate)}
  [ -r "$ca_src" ] || fail "cluster CA certificate $ca_src not found"
else
  ssh_key=${SPOTNEST_SSH_PUBLIC_KEY:?SSH mode needs SPOTNEST_SSH_PUBLIC_KEY}
fi

# --- 2. virtualization (before installing anything) --------------------------------------------------------
# L2 agent VMs need KVM inside this (L1) instance: the cloud's hypervisor must expose VMX/SVM to it (nested
# virtualization), which is what makes kvm_intel/kvm_amd load here and /dev/kvm appear (kvm_pvm: KVM without
# hardware support, for PVM-enabled guest kernels only). The module's own 'nested'
# parameter (whether L2 could nest again) is reported, not required.
if [ "$virt" = qemu ]; then
  log "SPOTNEST_VIRT=qemu: agent VMs run emulated (TCG, slow); KVM not checked"
else
  kvm_mod=''
  for m in kvm_intel kvm_amd kvm_pvm; do
    [ -d "$root/sys/module/$m" ] && kvm_mod=$m
  done
  [ -n "$kvm_mod" ] && [ -e "$root/dev/kvm" ] || fail "nested virtualization is not available: no kvm_intel/kvm_amd" \
    "module (/sys/module/kvm_*) or no /dev/kvm. Choose an instance type that exposes it to its guests (on AWS" \
    "C8i, M8i, R8i and their flex sizes, or a .metal type), or set SPOTNEST_VIRT=qemu for slow emulated agent VMs"
  nested=$(cat "$root/sys/module/$kvm_mod/parameters/nested" 2>/dev/null || echo '?')
  log "KVM available ($kvm_mod, /dev/kvm; $kvm_mod nested=$nested)"
fi

# --- 1. packages -------------------------------------------------------------------------------------------
bash "$here/bake-host.sh"

# --- the host's identity: private IP, and on EC2 its instance id and signed identity document ----------------
imds_token=''
imds_get() { # PATH -> body on stdout
  if [ -z "$imds_token" ]; then
    imds_token=$(curl -sf -m 3 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$imds/latest/api/token") ||
      fail "cannot reach the instance metadata service at $imds"
  fi
  curl -sf -m 3 -H "X-aws-ec2-metadata-token: $imds_token" "$imds$1" || fail "cannot read $1 from the instance metadata service"
}
ip=${SPOTNEST_PRIVATE_IP:-}
[ -n "$ip" ] || ip=$(imds_get /latest/meta-data/local-ipv4)
overlay_is_ipv4 "$ip" || fail "private IP must be an IPv4 address, got '$ip'"

conf=$root/etc/libvirt/libvirtd.conf
qconf=$root/etc/libvirt/qemu.conf
set_conf() { # FILE KEY VALUE: one 'KEY = VALUE' line, commented or older ones removed
  touch "$1"
  sed -i "/^#\?\s*$2\s*=/d" "$1"
  echo "$2 = $3" >> "$1"
}
state() { { cat "$conf" "$qconf" "$root"/etc/pki/libvirt/*.pem "$root"/etc/pki/CA/cacert.pem 2>/dev/null || true; } | sha256sum; }
before=$(state)

# --- 3. libvirtd access ------------------------------------------------------------------------------------
pki=$root/etc/pki
# same_key CERT KEY: the certificate certifies that key
same_key() { [ "$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null)" = "$(openssl pkey -in "$2" -pubout 2>/dev/null)" ]; }
# cert_ok CERT: chains to the cluster CA, names our private IP, is valid for another week, certifies our key
cert_ok() {
  [ -s "$1" ] && [ -s "$key" ] &&
    openssl verify -CAfile "$pki/CA/cacert.pem" "$1" >/dev/null 2>&1 &&
    openssl x509 -in "$1" -noout -checkend 604800 >/dev/null 2>&1 &&
    openssl x509 -in "$1" -noout -checkip "$ip" 2>/dev/null | grep -q ' does match' &&
    same_key "$1" "$key"
}
json_string() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}
enroll() {
  local work=$root/var/lib/spotnest/enroll instance_id identity csr code tries=${SPOTNEST_ENROLL_TRIES:-30}
  install -d -m 700 "$work"
  if [ ! -s "$key" ]; then
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key.new" 2>/dev/null)
    mv "$key.new" "$key"
    log "made this host's libvirt TLS key (it stays in $key)"
  fi
  instance_id=$(imds_get /latest/meta-data/instance-id)
  identity=$(imds_get /latest/dynamic/instance-identity/rsa2048)
  csr=$(openssl req -new -key "$key" -subj "/O=SpotNest/CN=$instance_id")
  printf '{"instanceId":%s,"identity":%s,"csr":%s}' "$(json_string "$instance_id")" "$(json_string "$identity")" \
    "$(json_string "$csr")" > "$work/request.json"
  while :; do
    # the token reaches curl on stdin (printf is a builtin: no command line shows it)
    code=$(printf 'Authorization: Bearer %s\n' "$(tr -d '\n' < "$token_src")" |
      curl -s -m 20 -o "$work/cert.pem" -w '%{http_code}' -X POST -H @- -H 'Content-Type: application/json' \
        --data-binary @"$work/request.json" "$relay_url/v1/host-certificate") || code=000
    [ "$code" = 200 ] && break
    tries=$((tries - 1))
    [ "$code" != 000 ] && [ "${code:0:1}" != 5 ] && tries=0 # refused: asking again will not help
    [ $tries -gt 0 ] || fail "the controller did not issue a host certificate (HTTP $code: $(head -c 200 "$work/cert.pem" 2>/dev/null))"
    log "host certificate not issued yet (HTTP $code); asking again in 2 s"
    sleep 2
  done
  cert_ok "$work/cert.pem" || fail "the certificate the controller sent does not chain to the cluster CA, name $ip, or certify this host's key"
  install -m 644 "$work/cert.pem" "$cert"
  rm -f "$work/cert.pem" "$work/request.json"
  log "host certificate installed: $(openssl x509 -in "$cert" -noout -subject -ext subjectAltName 2>/dev/null | tr '\n' ' ')"
}
# copy_if_changed SRC DST MODE [GROUP]
copy_if_changed() {
  cmp -s "$1" "$2" || install -m "$3" "$1" "$2"
  [ -z "${4:-}" ] || chgrp "$4" "$2"
}

conf_changed=0
if [ "$access" = tls ]; then
  install -d -m 755 "$pki/CA" "$pki/libvirt"
  install -d -m 700 "$pki/libvirt/private"
  install -d -m 750 "$pki/qemu"
  copy_if_changed "$ca_src" "$pki/CA/cacert.pem" 644
  key=$pki/libvirt/private/serverkey.pem
  cert=$pki/libvirt/servercert.pem
  if cert_ok "$cert"; then
    log "host certificate valid for $ip, kept"
  else
    enroll
  fi
  # the host is the client in peer-to-peer migration: the same certificate (serverAuth + clientAuth)
  copy_if_changed "$cert" "$pki/libvirt/clientcert.pem" 644
  copy_if_changed "$key" "$pki/libvirt/private/clientkey.pem" 600
  # QEMU opens its TLS files itself, as the libvirt-qemu group where Debian runs it so
  qgroup=''
  getent group libvirt-qemu >/dev/null 2>&1 && qgroup=libvirt-qemu
  copy_if_changed "$pki/CA/cacert.pem" "$pki/qemu/ca-cert.pem" 644
  for role in server client; do
    copy_if_changed "$cert" "$pki/qemu/$role-cert.pem" 644
    copy_if_changed "$key" "$pki/qemu/$role-key.pem" 640 "$qgroup"
  done
  [ -z "$qgroup" ] || chgrp "$qgroup" "$pki/qemu"
  set_conf "$conf" listen_tls 1
  set_conf "$conf" listen_tcp 0
  set_conf "$conf" auth_tls '"none"'
  set_conf "$conf" tls_no_verify_certificate 0
  set_conf "$qconf" default_tls_x509_cert_dir '"/etc/pki/qemu"'
  set_conf "$qconf" default_tls_x509_verify 1
  set_conf "$qconf" migrate_tls_x509_verify 1
  set_conf "$qconf" migrate_tls_force 1
  set_conf "$qconf" migration_host "\"$ip\""
else
  id spotnest >/dev/null 2>&1 || useradd --create-home --shell /bin/bash spotnest
  usermod -aG libvirt,kvm spotnest
  install -d -m 700 -o spotnest -g spotnest "$root/home/spotnest/.ssh"
  printf '%s\n' "$ssh_key" > "$root/home/spotnest/.ssh/authorized_keys"
  chown spotnest:spotnest "$root/home/spotnest/.ssh/authorized_keys"
  chmod 600 "$root/home/spotnest/.ssh/authorized_keys"
  set_conf "$conf" listen_tls 0
  set_conf "$conf" listen_tcp 0
  set_conf "$conf" unix_sock_group '"libvirt"'
  set_conf "$conf" unix_sock_rw_perms '"0770"'
fi
[ "$(state)" = "$before" ] || conf_changed=1
if [ "$access" = tls ]; then
  if [ $conf_changed = 1 ]; then
    # socket activation: the TLS socket unit instead of the --listen flag
    systemctl stop libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket || true
    systemctl enable --now libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket libvirtd-tls.socket
    log "libvirtd restarted with TLS on 16514"
  fi
else
  systemctl disable --now libvirtd-tls.socket libvirtd-tcp.socket 2>/dev/null || true
  [ $conf_changed = 0 ] || systemctl restart libvirtd.socket libvirtd.service
fi

# --- 4. the agents' overlay --------------------------------------------------------------------------------
dev=$(overlay_underlay_device "$ip")
[ -n "$dev" ] || fail "no network device holds the private IP $ip"
mtu=$(overlay_mtu "$dev" "${SPOTNEST_UNDERLAY_MTU:-}") ||
  fail "underlay MTU must be at least $SPOTNEST_UNDERLAY_MTU_MIN, got '${SPOTNEST_UNDERLAY_MTU:-$(cat "$root/sys/class/net/$dev/mtu" 2>/dev/null)}'"
underlay_mtu=$((mtu + SPOTNEST_VXLAN_OVERHEAD))
# the devices are runtime state: saved settings, and a unit that re-creates them at every boot (with this run's
# settings, by the same script as now)
overlay_boot_install "$here" setup-host.sh SPOTNEST_OVERLAY_BRIDGE="$br" SPOTNEST_OVERLAY_VNI="$vni" \
  SPOTNEST_OVERLAY_LOCAL_IP="$ip" SPOTNEST_OVERLAY_MTU="$mtu"
bash "$root$SPOTNEST_OVERLAY_UP"
install -D -m 755 "$here/spotnest-overlay-peers.sh" "$root/usr/local/sbin/spotnest-overlay-peers"
bash "$here/spotnest-overlay-peers.sh" "${peer_list[@]}"
overlay_boot_enable
log "overlay: $br + vxlan0 (VNI $vni, local $ip, UDP $SPOTNEST_VXLAN_PORT), MTU $mtu = $dev's $underlay_mtu - 50;" \
  "re-created at boot by $SPOTNEST_OVERLAY_UNIT"

# --- 5. the IMDS watcher -----------------------------------------------------------------------------------
install -d -m 700 "$root/etc/spotnest" "$root/var/lib/spotnest/watcher"
install -d -m 755 "$root/usr/local/sbin" "$root/etc/systemd/system"
install -m 600 "$token_src" "$root/etc/spotnest/relay-token"
install -m 755 "$watcher" "$root/usr/local/sbin/spotnest-imds-watcher"
cat > "$root/etc/spotnest/watcher.env" <<ENV
SPOTNEST_RELAY_URL=$relay_url
SPOTNEST_RELAY_TOKEN_FILE=/etc/spotnest/relay-token
SPOTNEST_POLL_SECONDS=2
ENV
chmod 600 "$root/etc/spotnest/watcher.env"
cat > "$root/etc/systemd/system/spotnest-imds-watcher.service" <<'UNIT'
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
log "host ready for cluster ${SPOTNEST_CLUSTER:-?} (libvirt access: $access, private IP $ip)"
