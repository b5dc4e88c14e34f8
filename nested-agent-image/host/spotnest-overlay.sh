# spotnest-overlay.sh: functions for the agents' VXLAN overlay, sourced by setup-host.sh (a host's agent bridge)
# and setup-gateway.sh (the overlay gateway's). Not a command: `. spotnest-overlay.sh`. Needs iproute2.
# SPOTNEST_SYSROOT prefixes the /sys paths read (tests only).

SPOTNEST_VXLAN_PORT=4789
SPOTNEST_VXLAN_OVERHEAD=50 # outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14

# overlay_settings_problem VNI BRIDGE PEERS_CSV: prints the first bad overlay setting as one line naming it, or
# nothing when all are good.
overlay_settings_problem() {
  local vni=$1 br=$2 peers=$3 p
  if ! [[ $vni =~ ^[1-9][0-9]{0,7}$ ]] || [ "$vni" -gt 16777215 ]; then
    echo "SPOTNEST_OVERLAY_VNI must be 1..16777215, got '$vni'"
    return
  fi
  if ! [[ $br =~ ^[A-Za-z0-9_-]{1,15}$ ]]; then
    echo "SPOTNEST_OVERLAY_BRIDGE must be an interface name, got '$br'"
    return
  fi
  local -a list
  IFS=, read -r -a list <<<"$peers"
  for p in "${list[@]}"; do
    if ! overlay_is_ipv4 "$p"; then
      echo "SPOTNEST_OVERLAY_PEERS must be comma-separated IPv4 addresses, got '$p'"
      return
    fi
  done
}

# overlay_is_ipv4 TEXT: true for a dotted-quad IPv4 address
overlay_is_ipv4() {
  [[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]
}

# overlay_underlay_device IP: prints the device holding IP (the VTEP's underlay), nothing when none does
overlay_underlay_device() {
  ip -o -4 addr show to "$1" | awk '{ print $2; exit }'
}

# overlay_mtu DEVICE [UNDERLAY_MTU]: prints the overlay MTU (the underlay's minus the VXLAN overhead); the underlay
# MTU is DEVICE's unless given. Prints nothing and fails when the underlay MTU is not a number >= 626.
overlay_mtu() {
  local underlay=${2:-}
  [ -n "$underlay" ] || underlay=$(cat "${SPOTNEST_SYSROOT:-}/sys/class/net/$1/mtu" 2>/dev/null || true)
  [[ $underlay =~ ^[0-9]+$ ]] && [ "$underlay" -ge 626 ] || return 1
  echo $((underlay - SPOTNEST_VXLAN_OVERHEAD))
}

# overlay_devices BRIDGE VNI LOCAL_IP MTU: the bridge with vxlan0 (VNI, unicast, bound to LOCAL_IP, UDP 4789) as a
# port, both at MTU and up. Idempotent: existing devices are kept (only their MTU and state are set again).
overlay_devices() {
  local br=$1 vni=$2 local_ip=$3 mtu=$4
  ip link show dev "$br" >/dev/null 2>&1 || ip link add "$br" mtu "$mtu" type bridge
  ip link show dev vxlan0 >/dev/null 2>&1 ||
    ip link add vxlan0 mtu "$mtu" type vxlan id "$vni" local "$local_ip" dstport "$SPOTNEST_VXLAN_PORT"
  ip link set vxlan0 master "$br" mtu "$mtu" up
  ip link set "$br" mtu "$mtu" up
}
