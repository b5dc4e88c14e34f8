#!/usr/bin/env bash
# spotnest-overlay-up: brings this machine's end of the agents' VXLAN overlay up from the settings its setup script
# saved, so the runtime devices come back after a reboot. Installed as /usr/local/sbin/spotnest-overlay-up by
# setup-host.sh and setup-gateway.sh, which run it themselves and enable spotnest-overlay.service (a oneshot started
# at every boot, before libvirtd and spotnest-imds-watcher).
#   - the bridge SPOTNEST_OVERLAY_BRIDGE with vxlan0 (VNI SPOTNEST_OVERLAY_VNI, local SPOTNEST_OVERLAY_LOCAL_IP, the
#     overlay's UDP port) as a port, both at SPOTNEST_OVERLAY_MTU and up (overlay_devices in spotnest-overlay.sh);
#   - a gateway: also the agents' gateway SPOTNEST_OVERLAY_ADDRESS on the bridge, and with SPOTNEST_IP_FORWARD=1
#     IPv4 forwarding on.
# The flood list is not saved here: it changes as hosts come and go. A host's or EC2 gateway's watcher applies the
# controller's list at its first poll after it starts; the controller re-applies a static host's or gateway's list
# when its SSH session is re-established.
# Settings: /etc/spotnest/overlay.env, KEY=VALUE lines (read, never run as shell), root only. The environment is not
# read (SPOTNEST_SYSROOT prefixes every file path: tests only). Idempotent: existing devices and addresses are kept.
# Bad or missing settings: one line naming the file and setting, exit 2, before anything changes.
set -euo pipefail

log() { echo "spotnest-overlay-up: $*" >&2; }
root=${SPOTNEST_SYSROOT:-}
lib=$root/usr/local/lib/spotnest/spotnest-overlay.sh
[ -r "$lib" ] || { log "$lib not found: run setup-host.sh or setup-gateway.sh"; exit 2; }
# shellcheck source=spotnest-overlay.sh
. "$lib"
settings=$root$SPOTNEST_OVERLAY_SETTINGS
bad() { log "$settings: $*"; exit 2; }
[ -r "$settings" ] || { log "$settings not found: run setup-host.sh or setup-gateway.sh"; exit 2; }

declare -A s=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in '' | '#'*) continue ;; esac
  [[ $line == *=* ]] || bad "expected KEY=VALUE, got '$line'"
  key=${line%%=*}
  case "$key" in
    SPOTNEST_OVERLAY_BRIDGE | SPOTNEST_OVERLAY_VNI | SPOTNEST_OVERLAY_LOCAL_IP | SPOTNEST_OVERLAY_MTU | \
      SPOTNEST_OVERLAY_ADDRESS | SPOTNEST_IP_FORWARD) s[$key]=${line#*=} ;;
    *) bad "unknown setting '$key'" ;;
  esac
done < "$settings"
br=${s[SPOTNEST_OVERLAY_BRIDGE]:-}
vni=${s[SPOTNEST_OVERLAY_VNI]:-}
local_ip=${s[SPOTNEST_OVERLAY_LOCAL_IP]:-}
mtu=${s[SPOTNEST_OVERLAY_MTU]:-}
address=${s[SPOTNEST_OVERLAY_ADDRESS]:-}
forward=${s[SPOTNEST_IP_FORWARD]:-}

problem=$(overlay_settings_problem "$vni" "$br" "")
[ -z "$problem" ] || bad "$problem"
[ "$br" != vxlan0 ] || bad "SPOTNEST_OVERLAY_BRIDGE must not be vxlan0 (the VXLAN device's name)"
overlay_is_ipv4 "$local_ip" || bad "SPOTNEST_OVERLAY_LOCAL_IP must be the VTEP's IPv4 address, got '$local_ip'"
overlay_mtu_ok "$mtu" || bad "SPOTNEST_OVERLAY_MTU must be a number of at least $((SPOTNEST_UNDERLAY_MTU_MIN - SPOTNEST_VXLAN_OVERHEAD)), got '$mtu'"
if [ -n "$address" ]; then
  problem=$(overlay_address_problem "$address")
  [ -z "$problem" ] || bad "$problem"
fi
case "$forward" in '' | 1) ;; *) bad "SPOTNEST_IP_FORWARD must be 1 or absent, got '$forward'" ;; esac

overlay_devices "$br" "$vni" "$local_ip" "$mtu"
if [ -n "$address" ]; then
  if overlay_holds_address "$br" "$address"; then
    log "$br already holds $address"
  else
    ip addr add "$address" dev "$br"
  fi
fi
[ -z "$forward" ] || overlay_forwarding_on
log "$br + vxlan0 up (VNI $vni, local $local_ip, UDP $SPOTNEST_VXLAN_PORT, MTU $mtu${address:+, $address on $br}${forward:+, forwarding on})"
