#!/usr/bin/env bash
# spotnest-overlay-peers PEER_IP...: makes the overlay's head-end replication list (the all-zero FDB entries of
# vxlan0) exactly the given VTEPs (the other hosts and the overlay gateway): adds the missing, removes the others.
# Idempotent; the controller runs it when hosts come and go. No argument: no peers.
set -euo pipefail
dev=${SPOTNEST_VXLAN_DEVICE:-vxlan0}
log() { echo "spotnest-overlay-peers: $*" >&2; }
for p in "$@"; do
  [[ $p =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || { log "peer must be an IPv4 address, got '$p'"; exit 2; }
done
current=$(bridge fdb show dev "$dev" | awk '$1 == "00:00:00:00:00:00" { for (i = 2; i < NF; i++) if ($i == "dst") print $(i + 1) }')
for p in "$@"; do
  grep -qxF "$p" <<<"$current" || bridge fdb append 00:00:00:00:00:00 dev "$dev" dst "$p"
done
for c in $current; do
  keep=0
  for p in "$@"; do [ "$p" = "$c" ] && keep=1; done
  [ $keep = 1 ] || bridge fdb del 00:00:00:00:00:00 dev "$dev" dst "$c"
done
log "$dev floods to: ${*:-nobody}"
