# spotnest-overlay.sh: functions for the agents' VXLAN overlay, sourced by setup-host.sh (a host's agent bridge),
# setup-gateway.sh (the overlay gateway's) and spotnest-overlay-up (which re-creates either at boot; installed with
# this file as /usr/local/lib/spotnest/spotnest-overlay.sh). Not a command: `. spotnest-overlay.sh`. Needs iproute2.
# SPOTNEST_SYSROOT prefixes every file path (tests only).

SPOTNEST_VXLAN_PORT=4789
SPOTNEST_VXLAN_OVERHEAD=50 # outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14
SPOTNEST_UNDERLAY_MTU_MIN=626 # an overlay of at least 576, IPv4's minimum
# Where the setup scripts leave the overlay for the next boot (paths on the machine, without SPOTNEST_SYSROOT):
SPOTNEST_OVERLAY_SETTINGS=/etc/spotnest/overlay.env # what spotnest-overlay-up re-creates (root only, no secret)
SPOTNEST_OVERLAY_LIB=/usr/local/lib/spotnest/spotnest-overlay.sh
SPOTNEST_OVERLAY_UP=/usr/local/sbin/spotnest-overlay-up
SPOTNEST_OVERLAY_UNIT=spotnest-overlay.service

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
  [[ $underlay =~ ^[0-9]{1,5}$ ]] && [ "$underlay" -ge $SPOTNEST_UNDERLAY_MTU_MIN ] || return 1
  echo $((underlay - SPOTNEST_VXLAN_OVERHEAD))
}

# overlay_mtu_ok MTU: true for an overlay MTU overlay_mtu can yield (a number >= 576)
overlay_mtu_ok() {
  [[ $1 =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge $((SPOTNEST_UNDERLAY_MTU_MIN - SPOTNEST_VXLAN_OVERHEAD)) ]
}

# overlay_address_problem ADDRESS: prints why ADDRESS cannot be the agents' gateway on the gateway's bridge
# (<IPv4>/<prefix 1..30>) as one line naming SPOTNEST_OVERLAY_ADDRESS, or nothing when it can.
overlay_address_problem() {
  local prefix=${1##*/}
  [[ $1 == */* ]] && overlay_is_ipv4 "${1%/*}" && [[ $prefix =~ ^[0-9]{1,2}$ ]] &&
    [ "$prefix" -ge 1 ] && [ "$prefix" -le 30 ] ||
    echo "SPOTNEST_OVERLAY_ADDRESS must be the agents' gateway as <IPv4>/<prefix 1..30>, got '$1'"
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

# overlay_holds_address BRIDGE ADDRESS: true when BRIDGE has ADDRESS (<IPv4>/<prefix>)
overlay_holds_address() {
  ip -o -4 addr show dev "$1" | awk '{ print $4 }' | grep -qxF "$2"
}

# overlay_forwarding_on: IPv4 forwarding on (written only when it is off)
overlay_forwarding_on() {
  local f=${SPOTNEST_SYSROOT:-}/proc/sys/net/ipv4/ip_forward
  [ "$(cat "$f" 2>/dev/null)" = 1 ] || echo 1 > "$f"
}

# overlay_boot_install SCRIPT_DIR WRITER KEY=VALUE...: leaves the overlay for the next boot. Writes the settings file
# (KEY=VALUE lines: SPOTNEST_OVERLAY_BRIDGE, _VNI, _LOCAL_IP, _MTU; on a gateway also SPOTNEST_OVERLAY_ADDRESS and
# SPOTNEST_IP_FORWARD=1; dir 0700, file 0600), installs this file and spotnest-overlay-up from SCRIPT_DIR, and the
# unit that runs it at boot. Writes only what is missing or different, and reloads systemd only when the unit
# changed. The caller then runs spotnest-overlay-up and overlay_boot_enable.
overlay_boot_install() {
  local here=$1 writer=$2 root=${SPOTNEST_SYSROOT:-} settings unit_file new
  shift 2
  settings=$root$SPOTNEST_OVERLAY_SETTINGS
  new=$(printf '# written by %s: the overlay %s re-creates at every boot (%s)\n' "$writer" \
    "$SPOTNEST_OVERLAY_UP" "$SPOTNEST_OVERLAY_UNIT"; printf '%s\n' "$@")
  install -d -m 700 "$(dirname "$settings")"
  if [ "$(cat "$settings" 2>/dev/null)" != "$new" ] || [ "$(stat -c %a "$settings")" != 600 ]; then
    (umask 077 && printf '%s\n' "$new" > "$settings.new")
    mv -f "$settings.new" "$settings"
  fi
  install -d -m 755 "$root${SPOTNEST_OVERLAY_LIB%/*}" "$root${SPOTNEST_OVERLAY_UP%/*}" "$root/etc/systemd/system"
  cmp -s "$here/spotnest-overlay.sh" "$root$SPOTNEST_OVERLAY_LIB" ||
    install -m 644 "$here/spotnest-overlay.sh" "$root$SPOTNEST_OVERLAY_LIB"
  cmp -s "$here/spotnest-overlay-up.sh" "$root$SPOTNEST_OVERLAY_UP" ||
    install -m 755 "$here/spotnest-overlay-up.sh" "$root$SPOTNEST_OVERLAY_UP"
  unit_file=$root/etc/systemd/system/$SPOTNEST_OVERLAY_UNIT
  # Before libvirt (agent VMs attach to the bridge) and the watcher (it applies the flood list to vxlan0). No
  # network-online wait: creating the devices needs no configured address.
  new="[Unit]
Description=SpotNest agent overlay: bridge and vxlan0 from $SPOTNEST_OVERLAY_SETTINGS
After=network-pre.target
Before=libvirtd.service virtqemud.service spotnest-imds-watcher.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$SPOTNEST_OVERLAY_UP

[Install]
WantedBy=multi-user.target"
  if [ "$(cat "$unit_file" 2>/dev/null)" != "$new" ]; then
    printf '%s\n' "$new" > "$unit_file.new"
    chmod 644 "$unit_file.new"
    mv -f "$unit_file.new" "$unit_file"
    systemctl daemon-reload
  fi
}

# overlay_boot_enable: the boot unit enabled (and started, so systemd shows it active), unless it is already
overlay_boot_enable() {
  systemctl is-enabled --quiet "$SPOTNEST_OVERLAY_UNIT" || systemctl enable --now "$SPOTNEST_OVERLAY_UNIT"
}
