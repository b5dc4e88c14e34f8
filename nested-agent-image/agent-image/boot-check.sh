#!/usr/bin/env bash
# Boot check of the agent image (part of `./spotnest image build`; no root needed): boots the image once under
# QEMU (TCG) until its agent is connected to a controller-side test server, and measures how long that took.
#
#   nested-agent-image/agent-image/boot-check.sh IMAGE_DIR
#
# The test server (test/TestController.java) listens on 127.0.0.1 only and serves a test agent.jar
# (test/TestAgent.java) at /jnlpJars/agent.jar and the WebSocket endpoint /wsagents/. The VM gets QEMU user
# networking with restrict=on: it reaches nothing but the guestfwd 10.0.2.100:8080, which QEMU connects to the
# test server on the host's loopback, one `busybox nc` per connection. Its config disk (make-agent-config.sh,
# read-only) holds a fresh random secret, given to the server on stdin. Checked: the boot service fetched the jar
# and ran it as user jenkins with -webSocket; the server accepted the WebSocket (Node-Name, Secret-Key,
# X-Remoting-Capability); the work directory and /tmp each have more than SPOTNEST_MIN_FREE_MIB (1024, the
# default threshold of Jenkins' disk-space and temp-space monitors) usable; the secret appears nowhere but the
# config disk (console, server log, QEMU's output, the root disk overlay after the VM stopped), and the server
# refuses a wrong secret with 403. The libvirt domain template is rendered for the same disks and checked as well.
#
# With --jenkins-port PORT --name NAME the controller is a real Jenkins the caller runs on 127.0.0.1:PORT (as
# `spotnest image build` does when SPOTNEST_JENKINS_WAR is set) with an inbound WebSocket agent NAME: the agent
# secret is the first line of stdin, no test server is started, and the caller writes the line `online` to stdin
# once Jenkins shows the node online (EOF before that fails the check). The secret checks are the same; the free
# space and the wrong-secret check are left to Jenkins (its monitors), so those fields are not printed.
#
# Progress goes to stderr. The last stdout line on success:
#   boot-check: boot_to_agent_s=<s> guest_up_booted_s=<s> guest_up_fetched_s=<s> workdir_free_mib=<n> tmp_free_mib=<n> qemu_rss_mib=<n>
# boot_to_agent_s is wall time from QEMU's start to the server accepting the agent; guest_up_* are the guest's
# uptime at AGENT-VM-BOOTED and AGENT-FETCHED.
# Exit 1 with a reason (and the console's tail) on failure. Everything started is stopped on exit.
# Env: SPOTNEST_BOOT_MEM_MIB (1024), SPOTNEST_BOOT_TIMEOUT_S (420), SPOTNEST_MIN_FREE_MIB (1024).
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
USAGE="usage: boot-check.sh IMAGE_DIR [--jenkins-port PORT --name NAME]"
IMG=${1:?$USAGE}
IMG=$(readlink -f "$IMG")
shift
JENKINS_PORT=; AGENT=bootcheck-agent
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "boot-check: option $1 needs a value; $USAGE" >&2; exit 2; }
  case "$1" in
    --jenkins-port) JENKINS_PORT=$2; [[ "$JENKINS_PORT" =~ ^[0-9]{1,5}$ ]] || { echo "boot-check: --jenkins-port: not a port: $2" >&2; exit 2; } ;;
    --name) AGENT=$2 ;;
    *) echo "boot-check: unknown option $1; $USAGE" >&2; exit 2 ;;
  esac
  shift 2
done
MEM_MIB=${SPOTNEST_BOOT_MEM_MIB:-1024}
TIMEOUT_S=${SPOTNEST_BOOT_TIMEOUT_S:-420}
MIN_FREE_MIB=${SPOTNEST_MIN_FREE_MIB:-1024}
GUEST_URL=http://10.0.2.100:8080
W=$(mktemp -d "${TMPDIR:-/var/tmp}/snimg-boot.XXXXXX")
QEMU_PID=; SERVER_PID=

say() { echo "boot-check: $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cleanup() {
  set +e
  for p in $QEMU_PID $SERVER_PID; do kill "$p" 2>/dev/null; done
  for p in $QEMU_PID $SERVER_PID; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
  say "FAIL: $*"
  [ -f "$W/serial.log" ] && { echo "--- guest console (tail)"; tail -30 "$W/serial.log" | tr -d '\r'; } >&2
  [ -f "$W/server.log" ] && { echo "--- test server (tail)"; tail -10 "$W/server.log"; } >&2
  exit 1
}
for f in vmlinuz initramfs.cpio.gz agent-root.qcow2; do
  [ -s "$IMG/$f" ] || fail "missing $IMG/$f (build the image first)"
done
for tool in qemu-system-x86_64 qemu-img javac jar java busybox; do
  command -v "$tool" >/dev/null || fail "missing tool '$tool'"
done

if [ -n "$JENKINS_PORT" ]; then
  IFS= read -r SECRET || fail "no agent secret on stdin"
  [[ "$SECRET" =~ ^[0-9a-f]{64}$ ]] || fail "the agent secret on stdin is not 64 hex digits"
  PORT=$JENKINS_PORT
  say "Jenkins on 127.0.0.1:$PORT (guest sees $GUEST_URL), agent $AGENT"
else
# the test agent.jar and the test server
mkdir -p "$W/classes" "$W/agent"
javac --release 17 -d "$W/classes" "$HERE/test/WsFrames.java" "$HERE/test/TestAgent.java" "$HERE/test/TestController.java"
jar --create --file "$W/agent.jar" --main-class TestAgent -C "$W/classes" . ||
  fail "cannot build the test agent.jar"
SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$SECRET" | java -cp "$W/classes" TestController --jar "$W/agent.jar" --name "$AGENT" \
  --port-file "$W/port" --lifetime-s $(( TIMEOUT_S + 120 )) > "$W/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do [ -s "$W/port" ] && break; kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
[ -s "$W/port" ] || fail "the test server did not start"
PORT=$(cat "$W/port")
say "test server on 127.0.0.1:$PORT (guest sees $GUEST_URL)"
fi

# the VM's disks: an overlay on the image, and the config disk (secret on stdin)
printf '%s\n' "$SECRET" | "$HERE/make-agent-config.sh" "$W/config.img" --url "$GUEST_URL" --name "$AGENT" --secret-file - ||
  fail "make-agent-config.sh refused the boot check's settings"
qemu-img create -q -f qcow2 -F qcow2 -b "$IMG/agent-root.qcow2" "$W/root.qcow2"
"$HERE/make-agent-domain.sh" "$W/domain.xml" --name bootcheck --image "$IMG" --overlay "$W/root.qcow2" \
  --config "$W/config.img" --serial "$W/serial.log" --ip 10.0.2.15/24 --gw 10.0.2.2 --mem "$MEM_MIB"
grep -q "<source file='$W/config.img'/>" "$W/domain.xml" && grep -q '<readonly/>' "$W/domain.xml" ||
  fail "the domain template lacks the read-only config disk"

say "booting under QEMU TCG (${MEM_MIB} MiB, 1 vCPU); up to ${TIMEOUT_S} s for the agent to connect"
T0=$(now_ms)
qemu-system-x86_64 -name snimg-bootcheck -machine pc,accel=tcg -cpu qemu64 -m "$MEM_MIB" -smp 1 \
  -nodefaults -display none -no-reboot -monitor none \
  -kernel "$IMG/vmlinuz" -initrd "$IMG/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet panic=-1 sn.ip=10.0.2.15/24 sn.gw=10.0.2.2 sn.vm=bootcheck" \
  -netdev "user,id=n0,restrict=on,net=10.0.2.0/24,guestfwd=tcp:10.0.2.100:8080-cmd:busybox nc 127.0.0.1 $PORT" \
  -device virtio-net-pci,netdev=n0,romfile= \
  -drive "file=$W/root.qcow2,format=qcow2,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
  -drive "file=$W/config.img,format=raw,if=none,id=d1,readonly=on" -device virtio-blk-pci,drive=d1 \
  -serial "file:$W/serial.log" </dev/null >"$W/qemu.out" 2>&1 &
QEMU_PID=$!

ms_of() { grep -a "^TEST-SERVER $1" "$W/server.log" | head -1 | sed -n 's/.* at_ms=\([0-9]*\).*/\1/p'; }
secs() { awk -v a="$1" -v b="$T0" 'BEGIN { printf "%.1f", (a - b) / 1000 }'; }
END=$(( T0 + TIMEOUT_S * 1000 ))
SEEN=
GUEST_ERRORS='SN-AGENT-NOT-STARTED|SN-INITRAMFS-ERROR|TEST-AGENT-ERROR|TEST-AGENT-REFUSED'
[ -z "$JENKINS_PORT" ] || GUEST_ERRORS="$GUEST_ERRORS|AGENT-EXITED"   # the real agent.jar gave up
connected() {
  if [ -z "$JENKINS_PORT" ]; then grep -aq '^TEST-SERVER AGENT-CONNECTED' "$W/server.log"; return; fi
  # the caller says `online` on stdin when Jenkins shows the node online
  local line rc=0
  IFS= read -r -t 0.2 line || rc=$?
  [ "$rc" -eq 0 ] && [ "$line" = online ] && { ONLINE_MS=$(now_ms); return 0; }
  [ "$rc" -eq 0 ] || [ "$rc" -gt 128 ] || fail "the caller stopped waiting (stdin closed) before Jenkins showed the agent online"
  return 1
}
while ! connected; do
  kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU ended before the agent connected: $(tail -3 "$W/qemu.out")"
  [ -n "$JENKINS_PORT" ] || kill -0 "$SERVER_PID" 2>/dev/null || fail "the test server ended"
  [ "$(now_ms)" -lt "$END" ] || fail "the agent did not connect within ${TIMEOUT_S} s"
  for m in AGENT-VM-BOOTED AGENT-CONFIGURED AGENT-DISK AGENT-FETCHED AGENT-START; do
    case " $SEEN " in *" $m "*) continue ;; esac
    if grep -aq "^$m " "$W/serial.log" 2>/dev/null; then
      SEEN="$SEEN $m"; say "[$(secs "$(now_ms)") s] $(grep -a "^$m " "$W/serial.log" | head -1 | tr -d '\r')"
    fi
  done
  grep -aqE "^($GUEST_ERRORS)" "$W/serial.log" 2>/dev/null &&
    fail "the guest reported an error"
  [ -n "$JENKINS_PORT" ] && continue   # read -t paced the loop
  grep -aq '^TEST-SERVER REJECTED' "$W/server.log" && fail "the test server refused the agent: $(grep -a REJECTED "$W/server.log" | head -1)"
  sleep 0.2
done
if [ -n "$JENKINS_PORT" ]; then
  say "[$(secs "$ONLINE_MS") s] Jenkins shows agent $AGENT online"
  RSS=$(( $(awk '/VmRSS/{print $2}' "/proc/$QEMU_PID/status") / 1024 ))
  for f in "$W/serial.log" "$W/qemu.out" "$W/domain.xml"; do
    grep -aqF "$SECRET" "$f" && fail "the agent secret appears in $(basename "$f")"
  done
  booted=$(grep -a '^AGENT-VM-BOOTED' "$W/serial.log" | head -1) || true
  VM_BOOTED_S=$(sed -n 's/.* up=\([0-9.]*\).*/\1/p' <<<"$booted")
  FETCH_S=$(grep -a '^AGENT-FETCHED' "$W/serial.log" | head -1 | sed -n 's/.* up=\([0-9.]*\).*/\1/p')
  kill "$QEMU_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.1; done
  grep -aqF "$SECRET" "$W/root.qcow2" && fail "the agent secret was written to the root disk"
  say "secret not on the console, in QEMU's output, nor on the root disk; QEMU RSS ${RSS} MiB"
  echo "boot-check: boot_to_agent_s=$(secs "$ONLINE_MS") guest_up_booted_s=${VM_BOOTED_S:-?} guest_up_fetched_s=${FETCH_S:-?}" \
    "controller=jenkins qemu_rss_mib=$RSS"
  exit 0
fi
CONNECTED_MS=$(ms_of AGENT-CONNECTED)
LINE=$(grep -a '^TEST-SERVER AGENT-CONNECTED' "$W/server.log" | head -1)
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$LINE"; }
say "[$(secs "$CONNECTED_MS") s] agent connected: ${LINE#TEST-SERVER AGENT-CONNECTED }"
# the console line comes a moment after the server's (TCG is slow): wait for it, bounded
for _ in $(seq 150); do grep -aq '^TEST-AGENT-CONNECTED' "$W/serial.log" && break; sleep 0.2; done
grep -aq '^TEST-AGENT-CONNECTED' "$W/serial.log" || fail "the agent did not report the connection on the console"
RSS=$(( $(awk '/VmRSS/{print $2}' "/proc/$QEMU_PID/status") / 1024 ))

[ "$(field name)" = "$AGENT" ] || fail "agent connected as '$(field name)'"
[ "$(field user)" = jenkins ] || fail "the agent runs as '$(field user)', expected jenkins"
grep -aq '^TEST-SERVER JAR-SERVED' "$W/server.log" || fail "agent.jar was not fetched from the controller"
WS_FREE=$(field workdir_free_mib); TMP_FREE=$(field tmp_free_mib)
[ "${WS_FREE:-0}" -gt "$MIN_FREE_MIB" ] ||
  fail "workdir_free_mib=$WS_FREE: not above ${MIN_FREE_MIB} MiB, Jenkins' disk-space monitor would take the agent offline"
[ "${TMP_FREE:-0}" -gt "$MIN_FREE_MIB" ] ||
  fail "tmp_free_mib=$TMP_FREE ($(field tmpdir)): not above ${MIN_FREE_MIB} MiB, Jenkins' temp-space monitor would take the agent offline"
for f in "$W/serial.log" "$W/server.log" "$W/qemu.out" "$W/domain.xml"; do
  grep -aqF "$SECRET" "$f" && fail "the agent secret appears in $(basename "$f")"
done
# the server is no pushover: the same agent with a wrong secret is refused (403), as Jenkins refuses it
echo wrong0secret > "$W/wrong-secret"
REFUSED=$(java -jar "$W/agent.jar" -url "http://127.0.0.1:$PORT/" -name "$AGENT" -secret "@$W/wrong-secret" \
  -workDir "$W/agent" -webSocket 2>&1 || true)
[[ "$REFUSED" == "TEST-AGENT-REFUSED status=HTTP/1.1 403"* ]] || fail "a wrong secret was not refused with 403: $REFUSED"
grep -aq '^TEST-SERVER REJECTED status=403 reason=incorrect-secret' "$W/server.log" || fail "the server did not log the refusal"
booted=$(grep -a '^AGENT-VM-BOOTED' "$W/serial.log" | head -1) || true
say "console: ${booted:-no AGENT-VM-BOOTED line}"
VM_BOOTED_S=$(sed -n 's/.* up=\([0-9.]*\).*/\1/p' <<<"$booted")
FETCH_S=$(grep -a '^AGENT-FETCHED' "$W/serial.log" | head -1 | sed -n 's/.* up=\([0-9.]*\).*/\1/p')
# stop the VM, then look for the secret in every cluster the guest wrote to its root disk overlay
kill "$QEMU_PID" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.1; done
grep -aqF "$SECRET" "$W/root.qcow2" && fail "the agent secret was written to the root disk"
say "secret not on the console, in any log, nor on the root disk; a wrong secret is refused; QEMU RSS ${RSS} MiB"
echo "boot-check: boot_to_agent_s=$(secs "$CONNECTED_MS") guest_up_booted_s=${VM_BOOTED_S:-?} guest_up_fetched_s=${FETCH_S:-?}" \
  "workdir_free_mib=$WS_FREE tmp_free_mib=$TMP_FREE qemu_rss_mib=$RSS"
