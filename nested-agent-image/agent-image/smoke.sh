#!/usr/bin/env bash
# Smoke test of the agent image (as root, after build-agent-image.sh; not in CI: a JVM under TCG is slow).
# Inside a network namespace created here (snimg-<pid>, 10.231.88.0/24, no route out): busybox httpd serves a
# stand-in agent.jar (test/StandinAgent.java) at /jnlpJars/agent.jar; the VM boots from an overlay of
# agent-root.qcow2 with a config disk from make-agent-config.sh, and must fetch and run the jar as user jenkins
# with -url, -name, -secret @file, -workDir and -webSocket. The secret must reach the agent (its SHA-256
# matches) and must not appear on the console. A second VM gets a config disk without a secret and must
# refuse to start the agent with a message naming the file. Everything created is removed on exit.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
IMG=${SPOTNEST_AGENT_IMAGE_OUT:-$HERE/../out/agent}
NS=snimg-$$
NET=10.231.88
W=$(mktemp -d "${TMPDIR:-/var/tmp}/snimg-agent.XXXXXX")
MEM_MIB=${SMOKE_MEM_MIB:-1024}

# shellcheck source=../lib/lab.sh
. "$HERE/../lib/lab.sh"
sn_lab_begin agent-smoke
for f in vmlinuz initramfs.cpio.gz agent-root.qcow2; do
  [ -s "$IMG/$f" ] || fail "missing $IMG/$f: run nested-agent-image/build-agent-image.sh first"
done

# stand-in agent.jar, served over HTTP inside the namespace
mkdir -p "$W/classes" "$W/www/jnlpJars"
javac --release 17 -d "$W/classes" "$HERE/test/StandinAgent.java"
jar --create --file "$W/www/jnlpJars/agent.jar" --main-class StandinAgent -C "$W/classes" .
sn_lab_netns "$NET" tap0 tap1
sn_lab_daemon httpd busybox httpd -f -p "$NET.1:8080" -h "$W/www"

SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$SECRET" > "$W/secret"
SECRET_SHA=$(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)
"$HERE/make-agent-config.sh" "$W/good.img" --url "http://$NET.1:8080/" --name smoke-agent --secret-file "$W/secret"
rm -f "$W/secret"
# make-agent-config.sh validates like the VM: a bad value is refused with a message naming line and field
if OUT=$(echo 0123abcd | "$HERE/make-agent-config.sh" "$W/bad.img" --url "ftp://$NET.1/" --name x --secret-file - 2>&1); then
  fail "make-agent-config.sh accepted --url ftp://"
fi
grep -q 'SN-AGENT-CONFIG-ERROR file=agent.env line=1 field=SN_CONTROLLER_URL' <<<"$OUT" || fail "unexpected refusal: $OUT"
if OUT=$(echo 'not a secret!' | "$HERE/make-agent-config.sh" "$W/bad.img" --url "http://$NET.1/" --name x --secret-file - 2>&1); then
  fail "make-agent-config.sh accepted a malformed secret"
fi
grep -q 'SN-AGENT-CONFIG-ERROR file=agent-secret line=1' <<<"$OUT" || fail "unexpected refusal: $OUT"
grep -q 'not a secret' <<<"$OUT" && fail "make-agent-config.sh printed the secret"
log "make-agent-config.sh refuses bad input: $(head -1 <<<"$OUT")"
# a config disk without agent-secret (written directly: make-agent-config.sh refuses to)
printf 'SN_CONTROLLER_URL=http://%s.1:8080\nSN_AGENT_NAME=smoke-agent-2\n' "$NET" > "$W/agent.env"
tar --format=ustar -C "$W" -cf "$W/nosecret.img" agent.env && truncate -s 1M "$W/nosecret.img"

boot() {   # NAME TAP IP CONFIG_IMG
  qemu-img create -q -f qcow2 -F qcow2 -b "$IMG/agent-root.qcow2" "$W/$1-root.qcow2"
  ip netns exec "$NS" qemu-system-x86_64 -name "snimg-$1" -machine pc,accel=tcg -cpu qemu64 -m "$MEM_MIB" -smp 1 \
    -nodefaults -display none -no-reboot \
    -kernel "$IMG/vmlinuz" -initrd "$IMG/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1 sn.ip=$3/24 sn.vm=$1" \
    -netdev "tap,id=n0,ifname=$2,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,romfile=" \
    -drive "file=$W/$1-root.qcow2,format=qcow2,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    -drive "file=$4,format=raw,if=none,id=d1,readonly=on" -device virtio-blk-pci,drive=d1 \
    -serial "file:$W/$1-serial.log" -daemonize -pidfile "$W/$1.pid"
}

T0=$(sn_now_ms)
boot agent1 tap0 "$NET.2" "$W/good.img"
sn_wait_vm agent1 '^AGENT-VM-BOOTED ' 120 || fail "no AGENT-VM-BOOTED within 120 s"
log "AGENT-VM-BOOTED after $(( $(sn_now_ms) - T0 )) ms wall: $(grep -a '^AGENT-VM-BOOTED' "$W/agent1-serial.log")"
sn_wait_vm agent1 '^AGENT-CONFIGURED ' 30 || fail "configuration not accepted"
sn_wait_vm agent1 '^AGENT-FETCHED ' 60 || fail "agent.jar not fetched"
log "$(grep -a '^AGENT-FETCHED' "$W/agent1-serial.log")"
sn_wait_vm agent1 '^STANDIN-AGENT ' 300 || fail "the agent did not start within 300 s"
AGENT_MS=$(( $(sn_now_ms) - T0 ))
LINE=$(grep -a '^STANDIN-AGENT ' "$W/agent1-serial.log" | head -1)
log "agent running after $AGENT_MS ms wall: $LINE"
[ "$(sn_field name <<<"$LINE")" = smoke-agent ] || fail "agent got -name $(sn_field name <<<"$LINE")"
[ "$(sn_field url <<<"$LINE")" = "http://$NET.1:8080" ] || fail "agent got -url $(sn_field url <<<"$LINE")"
[ "$(sn_field webSocket <<<"$LINE")" = true ] || fail "agent was not started with -webSocket"
[ "$(sn_field user <<<"$LINE")" = jenkins ] || fail "agent runs as $(sn_field user <<<"$LINE"), expected jenkins"
[ "$(sn_field workDir <<<"$LINE")" = /var/lib/jenkins-agent/work ] || fail "agent got -workDir $(sn_field workDir <<<"$LINE")"
[ "$(sn_field secret_sha256 <<<"$LINE")" = "$SECRET_SHA" ] || fail "the secret the agent read differs from the one on the config disk"
grep -aq "$SECRET" "$W/agent1-serial.log" && fail "the secret appears on the console"
grep -aq 'AGENT-EXITED' "$W/agent1-serial.log" && fail "the agent exited"
log "secret delivered by file (SHA-256 matches), not on the console; QEMU RSS $(sn_rss_mib agent1) MiB"

boot agent2 tap1 "$NET.3" "$W/nosecret.img"
sn_wait_vm agent2 '^SN-AGENT-NOT-STARTED' 120 || fail "a config disk without agent-secret was not refused"
log "refused: $(grep -a 'SN-AGENT-CONFIG-ERROR' "$W/agent2-serial.log" | head -1)"
grep -aq '^AGENT-START' "$W/agent2-serial.log" && fail "the agent started without a secret"
log "OK"
