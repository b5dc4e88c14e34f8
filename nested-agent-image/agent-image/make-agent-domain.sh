#!/usr/bin/env bash
# Writes the libvirt domain XML of one SpotNest agent VM from agent-domain.xml.in: two disks, the VM's qcow2
# overlay on agent-root.qcow2 (vda) and its config disk from make-agent-config.sh (vdb, read-only, shareable).
#
#   make-agent-domain.sh OUT.xml --name NAME --image DIR --overlay FILE --config FILE --serial FILE
#       [--ip a.b.c.d/prefix|dhcp] [--gw a.b.c.d] [--mem MIB] [--vcpus N] [--bridge BR] [--mac MAC] [--type qemu|kvm]
#
# Paths must be absolute (libvirt resolves them on the host that runs the VM). Bad input: one line naming the
# option, exit 2. Define it with `virsh define OUT.xml`; the overlay and the config disk must exist first.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
bad() { echo "make-agent-domain: $1" >&2; exit 2; }
[ $# -ge 1 ] || bad "usage: make-agent-domain.sh OUT.xml --name NAME --image DIR --overlay FILE --config FILE --serial FILE [...]"
OUT=$1; shift
NAME=; IMAGE=; OVERLAY=; CONFIG=; SERIAL=; IP=dhcp; GW=; MEM=1024; VCPUS=1; BRIDGE=br0; MAC=; TYPE=qemu
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || bad "option $1 needs a value"
  case "$1" in
    --name) NAME=$2 ;; --image) IMAGE=$2 ;; --overlay) OVERLAY=$2 ;; --config) CONFIG=$2 ;; --serial) SERIAL=$2 ;;
    --ip) IP=$2 ;; --gw) GW=$2 ;; --mem) MEM=$2 ;; --vcpus) VCPUS=$2 ;; --bridge) BRIDGE=$2 ;; --mac) MAC=$2 ;;
    --type) TYPE=$2 ;;
    *) bad "unknown option $1" ;;
  esac
  shift 2
done
ok() { printf '%s' "$1" | grep -Eqx "$2"; }
ok "$NAME" '[A-Za-z0-9-]{1,63}' || bad "--name: 1..63 letters, digits, - (it is also the guest's hostname)"
for opt in image overlay config serial; do
  val=${opt^^}; val=${!val}
  ok "$val" '/[A-Za-z0-9._/+-]*' || bad "--$opt: an absolute path of letters, digits, . _ / + -"
done
ok "$IP" 'dhcp|([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}' || bad "--ip: expected a.b.c.d/prefix or dhcp"
[ -z "$GW" ] || ok "$GW" '([0-9]{1,3}\.){3}[0-9]{1,3}' || bad "--gw: expected a.b.c.d"
ok "$MEM" '[0-9]{3,6}' && [ "$MEM" -ge 512 ] || bad "--mem: MiB, at least 512 (the JVM and the agent)"
ok "$VCPUS" '[1-9][0-9]?' || bad "--vcpus: 1..99"
ok "$BRIDGE" '[A-Za-z0-9_.-]{1,15}' || bad "--bridge: a bridge name (1..15 letters, digits, _ . -)"
[ -z "$MAC" ] || ok "$MAC" '([0-9a-f]{2}:){5}[0-9a-f]{2}' || bad "--mac: expected xx:xx:xx:xx:xx:xx, lower case"
ok "$TYPE" 'qemu|kvm' || bad "--type: qemu (TCG) or kvm"
MAC_ELEMENT=
[ -z "$MAC" ] || MAC_ELEMENT="<mac address='$MAC'/>"
GW_ARG=
[ -z "$GW" ] || GW_ARG=" sn.gw=$GW"
# every value was checked above: none holds a sed delimiter (|), an & or an XML special character
sed -e "s|@VIRT_TYPE@|$TYPE|g" -e "s|@NAME@|$NAME|g" -e "s|@MEM_MIB@|$MEM|g" -e "s|@VCPUS@|$VCPUS|g" \
    -e "s|@IMAGE@|$IMAGE|g" -e "s|@OVERLAY@|$OVERLAY|g" -e "s|@CONFIG@|$CONFIG|g" -e "s|@SERIAL@|$SERIAL|g" \
    -e "s|@IP@|$IP|g" -e "s|@GW_ARG@|$GW_ARG|g" -e "s|@BRIDGE@|$BRIDGE|g" -e "s|@MAC_ELEMENT@|$MAC_ELEMENT|g" \
    "$HERE/agent-domain.xml.in" > "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
