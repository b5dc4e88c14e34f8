#!/usr/bin/env bash
# Smoke test of the test guest under plain QEMU (TCG), as root. Everything runs inside a network namespace
# created here (snimg-<pid>, 10.231.88.0/24, no route out): a bridge, a tap per guest, the listener
# (busybox nc) and a DHCP server (busybox udhcpd). Everything created is removed on exit, even on failure.
#
#   nested-agent-image/test-guest/smoke.sh        builds the guest if needed, then:
#     A: sn.ip static, no memory load: GUEST-BOOTED <= 60 s, HELLO + STEPs over TCP, ws_bad=0, the listener
#        drops the connection -> CONNECTION-LOST + a new HELLO with the same boot_id and the step counter
#        going on; after QEMU stops, the overlay checked offline with ws-disk (base intact, every record there).
#     B: sn.ip=dhcp + sn.gw, sn.dirty=32: keeps stepping (>= 7 steps in 10 s), ws_bad=0, dirty rate measured.
#     C: a malformed sn.* value: SN-CONFIG-ERROR naming the field, then the guest powers off (QEMU exits).
#     D: sn.dirty=16, live-migrated by plain QEMU to a second QEMU (shared overlay, same bridge): no reboot
#        (no GUEST-BOOTED on the destination), one HELLO, steps 1..n over the same TCP connection without a
#        gap, ws_bad=0 after the move.
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

# boot NAME TAP MAC APPEND [QEMU ARGS...]: disk $W/${DISK:-NAME}.qcow2, created when missing
boot() {
  local name=$1 tap=$2 mac=$3 append=$4 disk=$W/${DISK:-$1}.qcow2
  shift 4
  [ -f "$disk" ] || qemu-img create -q -f qcow2 -F qcow2 -b "$IMG/workspace-base.qcow2" "$disk"
  ip netns exec "$NS" qemu-system-x86_64 -name "snimg-$name" -machine pc,accel=tcg -cpu qemu64 -m 256 -smp 1 \
    -nodefaults -display none -no-reboot \
    -kernel "$IMG/vmlinuz" -initrd "$IMG/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1 $append" \
    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=" \
    -drive "file=$disk,format=qcow2,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    -serial "file:$W/$name-serial.log" -daemonize -pidfile "$W/$name.pid" "$@"
}

# hmp PORT COMMAND: one QEMU human monitor command over TCP inside the namespace; prints the reply
hmp() {
  ip netns exec "$NS" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "%s\n" "$2" >&3 && timeout 1 cat <&3; true' \
    _ "$1" "$2" | tr -d '\r' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
}

steps_of() { grep -a "^STEP .* boot_id=$1 " "$W/tcp.log" || true; }

# stop_and_verify VM DISK BOOT_ID: stops QEMU (SIGTERM: clean exit; the guest fdatasync'ed every record),
# then checks the overlay offline with ws-disk against the last ws_written received over TCP
stop_and_verify() {
  local pid written out rc=0
  pid=$(cat "$W/$1.pid")
  written=$(steps_of "$3" | tail -1 | sn_field ws_written)
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { echo "QEMU did not stop on SIGTERM"; return 1; }
  qemu-img convert -f qcow2 -O raw "$W/$2.qcow2" "$W/$2.raw"
  out=$("$IMG/ws-disk" verify "$W/$2.raw" --written "$written") || rc=$?
  echo "(--written $written) $out"
  rm -f "$W/$2.raw"
  return $rc
}

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

VERIFY=$(stop_and_verify a a "$BID") || fail "A: offline check of the overlay: $VERIFY"
log "A: offline overlay check: $VERIFY"

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

# --- D: live migration (plain QEMU, shared overlay, same bridge) under sn.dirty=16: same boot, same connection
for _ in $(seq 50); do kill -0 "$QEMU_B" 2>/dev/null || break; sleep 0.1; done
boot d tap0 52:54:00:88:00:05 "sn.ip=$NET.5/24 sn.ctrl=$NET.1:$PORT sn.vm=smoke-d sn.dirty=16" \
  -monitor tcp:127.0.0.1:4450,server=on,wait=off
sn_wait_vm d '^STEP 3 ' "$BOOT_TIMEOUT_S" || fail "D: source did not reach STEP 3"
BID_D=$(grep -a '^GUEST-BOOTED ' "$W/d-serial.log" | sn_field boot_id)
DISK=d boot d2 tap1 52:54:00:88:00:05 "sn.ip=$NET.5/24 sn.ctrl=$NET.1:$PORT sn.vm=smoke-d sn.dirty=16" \
  -incoming tcp:127.0.0.1:4444
QEMU_D=$(cat "$W/d.pid")
hmp 4450 "migrate_set_parameter downtime-limit 300" >/dev/null
hmp 4450 "migrate -d tcp:127.0.0.1:4444" >/dev/null
sn_wait_vm d2 '^STEP ' 60 || fail "D: the destination shows no step 60 s after the migration started"
INFO=$(hmp 4450 "info migrate")
grep -q 'Migration status: completed' <<<"$INFO" || fail "D: migration not completed: $(grep -a 'status' <<<"$INFO")"
kill "$QEMU_D"                                          # the source is paused after the migration
N_SRC=$(grep -a '^STEP ' "$W/d-serial.log" | tail -1 | awk '{print $2}')
sn_wait_vm d2 "^STEP $(( N_SRC + 3 )) " 20 || fail "D: the destination did not step on"
grep -aq '^GUEST-BOOTED' "$W/d2-serial.log" && fail "D: the guest rebooted on the destination"
grep -aq '^CONNECTION-LOST' "$W/d-serial.log" "$W/d2-serial.log" && fail "D: the connection broke"
[ "$(grep -ac "^HELLO vm=smoke-d boot_id=$BID_D\$" "$W/tcp.log")" = 1 ] || fail "D: the guest connected more than once"
STEPS_D=$(steps_of "$BID_D" | awk '{print $2}')
[ "$(head -1 <<<"$STEPS_D")" = 1 ] && [ "$(tail -1 <<<"$STEPS_D")" -eq "$(wc -l <<<"$STEPS_D")" ] ||
  fail "D: the steps over TCP are not 1..n without gaps"
[ "$(tail -1 <<<"$STEPS_D")" -ge $(( N_SRC + 3 )) ] || fail "D: fewer than 3 steps over TCP after the migration"
steps_of "$BID_D" | grep -qv ' ws_bad=0$' && fail "D: a step reported ws_bad != 0"
VERIFY=$(stop_and_verify d2 d "$BID_D") || fail "D: offline check of the overlay after the migration: $VERIFY"
log "D: offline overlay check after the migration: $VERIFY"
log "D: migrated at STEP $N_SRC ($(grep -aE '^(total time|downtime):' <<<"$INFO" | tr '\n' ' ')); destination: $(steps_of "$BID_D" | tail -1)"

[ "$(sha256sum "$IMG/workspace-base.qcow2" | cut -d' ' -f1)" = "$BASE_SHA" ] || fail "the base image changed"
log "OK: boot A ${BOOT_A_MS} ms, boot B ${BOOT_B_MS} ms (wall, QEMU start -> GUEST-BOOTED)"
