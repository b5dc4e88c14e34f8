#!/usr/bin/env bash
# Smoke test of the test guest under plain QEMU (TCG), as root. Everything runs inside a network namespace
# created here (snimg-<pid>, 10.231.88.0/24, no route out): a bridge, a tap per guest, the listener
# (busybox nc) and a DHCP server (busybox udhcpd). Everything created is removed on exit, even on failure.
#
#   nested-agent-image/test-guest/smoke.sh        builds the guest if needed, then runs two boots:
#     A: sn.ip static, no memory load: GUEST-BOOTED <= 60 s, HELLO + STEPs over TCP, ws_bad=0, the listener
#        drops the connection -> CONNECTION-LOST + a new HELLO with the same boot_id and the step counter
#        going on; after QEMU stops, the overlay checked offline with ws-disk (base intact, every record there).
#     B: sn.ip=dhcp + sn.gw, sn.dirty=32: keeps stepping (>= 7 steps in 10 s), ws_bad=0, dirty rate measured.
#     C: a malformed sn.* value: SN-CONFIG-ERROR naming the field, then the guest powers off (QEMU exits).
# Prints measured boot times and QEMU RSS; exits non-zero on the first failed check.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
IMG=${SPOTNEST_IMAGE_OUT:-$HERE/../out/test-guest}
NS=snimg-$$
NET=10.231.88
PORT=5555
W=$(mktemp -d "${TMPDIR:-/var/tmp}/snimg.XXXXXX")
BOOT_TIMEOUT_S=60

# shellcheck source=../lib/lab.sh
. "$HERE/../lib/lab.sh"
sn_lab_begin smoke
"$HERE/../build-test-guest.sh"
for f in vmlinuz initramfs.cpio.gz workspace-base.qcow2 ws-disk; do [ -s "$IMG/$f" ] || fail "missing $IMG/$f"; done
BASE_SHA=$(sha256sum "$IMG/workspace-base.qcow2" | cut -d' ' -f1)

# --- the namespace: bridge + listener + DHCP server; no default route, nothing in the root namespace
sn_lab_netns "$NET" tap0 tap1
sn_lab_daemon listener busybox nc -ll -p "$PORT" -e /bin/sh -c "cat >> '$W/tcp.log'"
cat > "$W/udhcpd.conf" <<EOF
start $NET.100
end $NET.110
interface br0
lease_file $W/udhcpd.leases
pidfile $W/udhcpd.pid.unused
option subnet 255.255.255.0
option router $NET.1
option lease 600
EOF
touch "$W/udhcpd.leases" "$W/tcp.log"
sn_lab_daemon udhcpd busybox udhcpd -f "$W/udhcpd.conf"

# boot NAME TAP MAC APPEND: one TCG guest with a qcow2 overlay on the base image
boot() {
  local name=$1 tap=$2 mac=$3 append=$4
  qemu-img create -q -f qcow2 -F qcow2 -b "$IMG/workspace-base.qcow2" "$W/$name.qcow2"
  ip netns exec "$NS" qemu-system-x86_64 -name "snimg-$name" -machine pc,accel=tcg -cpu qemu64 -m 256 -smp 1 \
    -nodefaults -display none -no-reboot \
    -kernel "$IMG/vmlinuz" -initrd "$IMG/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1 $append" \
    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=" \
    -drive "file=$W/$name.qcow2,format=qcow2,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    -serial "file:$W/$name-serial.log" -daemonize -pidfile "$W/$name.pid"
}

steps_of() { grep -a "^STEP .* boot_id=$1 " "$W/tcp.log" || true; }

# --- A: static address, no memory load, connection drop + reconnect, offline disk check
T0=$(sn_now_ms)
boot a tap0 52:54:00:88:00:02 "sn.ip=$NET.2/24 sn.ctrl=$NET.1:$PORT sn.vm=smoke-a sn.ws_mib=8"
sn_wait_vm a '^GUEST-BOOTED ' "$BOOT_TIMEOUT_S" || fail "A: no GUEST-BOOTED within ${BOOT_TIMEOUT_S}s"
BOOT_A_MS=$(( $(sn_now_ms) - T0 ))
BOOTED=$(grep -a '^GUEST-BOOTED ' "$W/a-serial.log")
BID=$(sn_field boot_id <<<"$BOOTED")
[ "$(sn_field ip <<<"$BOOTED")" = "$NET.2" ] || fail "A: GUEST-BOOTED reports ip=$(sn_field ip <<<"$BOOTED"), expected $NET.2"
log "A: GUEST-BOOTED after $BOOT_A_MS ms wall (guest up=$(sn_field up <<<"$BOOTED") s), boot_id=$BID"
sn_wait_file "$W/tcp.log" "^HELLO vm=smoke-a boot_id=$BID\$" 20 || fail "A: no HELLO over TCP"
sn_wait_file "$W/tcp.log" "^STEP 3 boot_id=$BID " 20 || fail "A: STEP 3 did not arrive over TCP"
log "A: ready: $(grep -a '^WS-READY' "$W/a-serial.log")"
steps_of "$BID" | grep -qv ' ws_bad=0$' && fail "A: a step reported ws_bad != 0: $(steps_of "$BID" | grep -v ' ws_bad=0$' | head -1)"
LAST=$(steps_of "$BID" | tail -1)
[ "$(sn_field ws_verified <<<"$LAST")" = "$(sn_field ws_written <<<"$LAST")" ] || fail "A: ws_verified != ws_written in: $LAST"
[ "$(sn_field ws_written <<<"$LAST")" -ge 2048 ] || fail "A: expected >= 2048 records (sn.ws_mib=8): $LAST"
log "A: over TCP: $LAST"
log "A: QEMU RSS $(sn_rss_mib a) MiB (idle guest)"

# drop the connection on the listener side: the guest must say so and come back with a new HELLO
N_BEFORE=$(steps_of "$BID" | tail -1 | awk '{print $2}')
sn_kill_children "$(cat "$W/listener.pid")"
sn_wait_vm a '^CONNECTION-LOST ' 10 || fail "A: no CONNECTION-LOST after the listener dropped the connection"
for _ in $(seq 100); do [ "$(grep -ac "^HELLO vm=smoke-a boot_id=$BID\$" "$W/tcp.log")" -ge 2 ] && break; sleep 0.1; done
[ "$(grep -ac "^HELLO vm=smoke-a boot_id=$BID\$" "$W/tcp.log")" -ge 2 ] || fail "A: no second HELLO after reconnect"
N_AFTER=$N_BEFORE
for _ in $(seq 50); do N_AFTER=$(steps_of "$BID" | tail -1 | awk '{print $2}'); [ "$N_AFTER" -gt "$N_BEFORE" ] && break; sleep 0.1; done
[ "$N_AFTER" -gt "$N_BEFORE" ] || fail "A: no step after the reconnect"
log "A: reconnected: STEP $N_BEFORE before the drop, STEP $N_AFTER after ($(grep -a '^CONNECTION-LOST' "$W/a-serial.log" | head -1))"

# stop QEMU (SIGTERM: clean exit, the guest fdatasync'ed every record) and check the overlay offline
WRITTEN=$(steps_of "$BID" | tail -1 | sn_field ws_written)
QEMU_A=$(cat "$W/a.pid")
kill "$QEMU_A"
for _ in $(seq 50); do kill -0 "$QEMU_A" 2>/dev/null || break; sleep 0.1; done
kill -0 "$QEMU_A" 2>/dev/null && fail "A: QEMU did not stop on SIGTERM"
qemu-img convert -f qcow2 -O raw "$W/a.qcow2" "$W/a.raw"
VERIFY=$("$IMG/ws-disk" verify "$W/a.raw" --written "$WRITTEN") || fail "A: offline check of the overlay: $VERIFY"
log "A: offline overlay check (--written $WRITTEN): $VERIFY"
rm -f "$W/a.raw"

# --- B: DHCP + gateway, 32 MiB/s of memory dirtied over the default 32 MiB working set
T0=$(sn_now_ms)
boot b tap1 52:54:00:88:00:03 "sn.ip=dhcp sn.gw=$NET.1 sn.ctrl=$NET.1:$PORT sn.vm=smoke-b sn.dirty=32"
sn_wait_vm b '^GUEST-BOOTED ' "$BOOT_TIMEOUT_S" || fail "B: no GUEST-BOOTED within ${BOOT_TIMEOUT_S}s"
BOOT_B_MS=$(( $(sn_now_ms) - T0 ))
BOOTED=$(grep -a '^GUEST-BOOTED ' "$W/b-serial.log")
BID_B=$(sn_field boot_id <<<"$BOOTED")
IP_B=$(sn_field ip <<<"$BOOTED")
case "$IP_B" in $NET.1[01][0-9]) ;; *) fail "B: DHCP address $IP_B is not from the pool $NET.100-110";; esac
log "B: GUEST-BOOTED after $BOOT_B_MS ms wall (guest up=$(sn_field up <<<"$BOOTED") s), ip=$IP_B by DHCP"
log "B: $(grep -a '^DHCP-LEASE' "$W/b-serial.log" || echo 'no DHCP-LEASE line')"
sn_wait_file "$W/tcp.log" "^HELLO vm=smoke-b boot_id=$BID_B\$" 20 || fail "B: no HELLO over TCP"
sn_wait_file "$W/tcp.log" "^STEP 1 boot_id=$BID_B " 20 || fail "B: STEP 1 did not arrive"
S0=$(steps_of "$BID_B" | tail -1 | awk '{print $2}')
sleep 10
S1=$(steps_of "$BID_B" | tail -1 | awk '{print $2}')
[ $(( S1 - S0 )) -ge 7 ] || fail "B: only $(( S1 - S0 )) steps in 10 s under sn.dirty=32"
steps_of "$BID_B" | grep -qv ' ws_bad=0$' && fail "B: a step reported ws_bad != 0"
grep -aq '^CONNECTION-LOST' "$W/b-serial.log" && fail "B: the connection broke"
DIRTY=$(grep -a '^DIRTY mib_s=' "$W/b-serial.log" | tail -1 | sn_field mib_s || true)
log "B: $(( S1 - S0 )) steps in 10 s under load; last: $(steps_of "$BID_B" | tail -1)"
log "B: measured dirty rate ${DIRTY:-?} MiB/s; QEMU RSS $(sn_rss_mib b) MiB; $(ps -o %cpu= -p "$(cat "$W/b.pid")" | tr -d ' ')% CPU avg"
QEMU_B=$(cat "$W/b.pid")
kill "$QEMU_B"

# --- C: a malformed setting stops the guest with a message naming the field, and the VM powers off
boot c tap0 52:54:00:88:00:04 "sn.ip=$NET.4/24 sn.ctrl=$NET.1:$PORT sn.dirty=lots"
QEMU_C=$(cat "$W/c.pid")
sn_wait_vm c '^SN-BUILD-EXITED rc=2' "$BOOT_TIMEOUT_S" || fail "C: no SN-BUILD-EXITED rc=2 for sn.dirty=lots"
grep -aq '^SN-CONFIG-ERROR field=sn.dirty value=lots: ' "$W/c-serial.log" || fail "C: no SN-CONFIG-ERROR naming sn.dirty"
for _ in $(seq 100); do kill -0 "$QEMU_C" 2>/dev/null || break; sleep 0.1; done
kill -0 "$QEMU_C" 2>/dev/null && fail "C: the guest did not power off after sn-build exited"
log "C: $(grep -a '^SN-CONFIG-ERROR' "$W/c-serial.log"); guest powered off"

[ "$(sha256sum "$IMG/workspace-base.qcow2" | cut -d' ' -f1)" = "$BASE_SHA" ] || fail "the base image changed"
log "OK: boot A ${BOOT_A_MS} ms, boot B ${BOOT_B_MS} ms (wall, QEMU start -> GUEST-BOOTED)"
