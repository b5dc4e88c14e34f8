#!/usr/bin/env bash
# Prepares the agents' overlay gateway (runs as root, by hand, from cloud-init or a config tool): the machine that
# joins the VXLAN overlay to the controller's network, so agents reach Jenkins from their own overlay address
# (no NAT). Uses the same overlay functions as setup-host.sh (spotnest-overlay.sh beside this script). Idempotent:
# a second run adds nothing.
#   1. the overlay end: bridge SPOTNEST_OVERLAY_BRIDGE (default spn0) with vxlan0 (VNI SPOTNEST_OVERLAY_VNI, UDP
#      4789, local = SPOTNEST_PRIVATE_IP, the gateway's VTEP), MTU = underlay MTU - 50, as on the hosts;
#   2. the agents' default gateway SPOTNEST_OVERLAY_ADDRESS (<IPv4>/<prefix>) on that bridge;
#   3. IPv4 forwarding on (agents <-> controller);
#   4. spotnest-overlay-peers installed in /usr/local/sbin (the controller runs it over SSH for a static cluster;
#      an EC2 gateway's watcher runs it) and the first flood list SPOTNEST_OVERLAY_PEERS applied when given;
#   5. 1-3 again at every boot: the settings saved in /etc/spotnest/overlay.env (0600) for spotnest-overlay-up (which
#      makes 1-3 now too), run by spotnest-overlay.service (enabled here; needs systemd).
# Inputs (environment): SPOTNEST_PRIVATE_IP (required: the VTEP address, the one in the cloud's overlayGateways),
# SPOTNEST_OVERLAY_ADDRESS (required), SPOTNEST_OVERLAY_VNI (default 4242), SPOTNEST_OVERLAY_BRIDGE (default spn0),
# SPOTNEST_UNDERLAY_MTU (default: the MTU of the device holding the VTEP address), SPOTNEST_OVERLAY_PEERS
# (comma-separated VTEP addresses; unset: the flood list is left as it is). Bad input: one line naming the
# setting, exit 2. SPOTNEST_SYSROOT prefixes every file path (tests only).
set -euo pipefail

log() { echo "spotnest-gateway: $*" >&2; }
bad() { log "$*"; exit 2; }
fail() { log "$*"; exit 1; }

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=spotnest-overlay.sh
. "$here/spotnest-overlay.sh"
root=${SPOTNEST_SYSROOT:-}
ip=${SPOTNEST_PRIVATE_IP:-}
address=${SPOTNEST_OVERLAY_ADDRESS:-}
vni=${SPOTNEST_OVERLAY_VNI:-4242}
br=${SPOTNEST_OVERLAY_BRIDGE:-spn0}
peers_given=${SPOTNEST_OVERLAY_PEERS+yes}
peers=${SPOTNEST_OVERLAY_PEERS:-}

overlay_is_ipv4 "$ip" || bad "SPOTNEST_PRIVATE_IP must be the gateway's IPv4 VTEP address, got '$ip'"
problem=$(overlay_address_problem "$address")
[ -z "$problem" ] || bad "$problem"
problem=$(overlay_settings_problem "$vni" "$br" "$peers")
[ -z "$problem" ] || bad "$problem"
[ "$br" != vxlan0 ] || bad "SPOTNEST_OVERLAY_BRIDGE must not be vxlan0 (the VXLAN device's name)"
[ -z "${SPOTNEST_UNDERLAY_MTU:-}" ] || overlay_mtu - "$SPOTNEST_UNDERLAY_MTU" >/dev/null ||
  bad "SPOTNEST_UNDERLAY_MTU must be a number of at least $SPOTNEST_UNDERLAY_MTU_MIN, got '$SPOTNEST_UNDERLAY_MTU'"
IFS=, read -r -a peer_list <<<"$peers"

# --- 1-3 (and 5): the overlay end, the agents' default gateway, forwarding; again at every boot -------------
dev=$(overlay_underlay_device "$ip")
[ -n "$dev" ] || fail "no network device holds SPOTNEST_PRIVATE_IP $ip"
mtu=$(overlay_mtu "$dev" "${SPOTNEST_UNDERLAY_MTU:-}") ||
  fail "the MTU of $dev is below $SPOTNEST_UNDERLAY_MTU_MIN or unreadable"
overlay_boot_install "$here" setup-gateway.sh SPOTNEST_OVERLAY_BRIDGE="$br" SPOTNEST_OVERLAY_VNI="$vni" \
  SPOTNEST_OVERLAY_LOCAL_IP="$ip" SPOTNEST_OVERLAY_MTU="$mtu" SPOTNEST_OVERLAY_ADDRESS="$address" \
  SPOTNEST_IP_FORWARD=1
bash "$root$SPOTNEST_OVERLAY_UP"

# --- 4. the flood list's script, and the first list --------------------------------------------------------
install -d -m 755 "$root/usr/local/sbin"
cmp -s "$here/spotnest-overlay-peers.sh" "$root/usr/local/sbin/spotnest-overlay-peers" ||
  install -m 755 "$here/spotnest-overlay-peers.sh" "$root/usr/local/sbin/spotnest-overlay-peers"
if [ -n "$peers_given" ]; then
  bash "$here/spotnest-overlay-peers.sh" "${peer_list[@]}"
fi
overlay_boot_enable
log "overlay gateway: $br $address + vxlan0 (VNI $vni, local $ip, UDP $SPOTNEST_VXLAN_PORT), MTU $mtu" \
  "= $dev's $((mtu + SPOTNEST_VXLAN_OVERHEAD)) - $SPOTNEST_VXLAN_OVERHEAD; forwarding on; re-created at boot by" \
  "$SPOTNEST_OVERLAY_UNIT"
