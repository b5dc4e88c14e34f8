# Shared by the smoke tests (sourced, bash): a throw-away network namespace with a bridge and taps,
# processes tracked by pid files in one work directory, and a cleanup that removes all of it.
# Callers set W (work directory) and NS (namespace name, prefix snimg), then call sn_lab_begin.

# sn_lab_begin TAG: traps that remove everything on any exit (and report an unexpected error), root check.
sn_lab_begin() {
  SN_TAG=$1
  trap sn_lab_cleanup EXIT
  trap 'exit 130' INT TERM
  trap 'fail "unexpected error at line $LINENO"' ERR
  [ "$(id -u)" = 0 ] || fail "run as root (network namespaces and taps)"
}

log() { echo "[$SN_TAG $(date +%T)] $*"; }

# fail MESSAGE: reports, shows the end of every guest console, exits 1 (the EXIT trap cleans up).
fail() {
  local f
  echo "[$SN_TAG] FAIL: $*" >&2
  for f in "$W"/*-serial.log; do [ -f "$f" ] && { echo "--- $f (tail)"; tail -25 "$f"; }; done >&2
  exit 1
}

# sn_kill_children PID: ends every descendant of PID (by PID, deepest first), not PID itself.
sn_kill_children() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do sn_kill_children "$c"; kill "$c" 2>/dev/null || true; done
}

# sn_lab_cleanup: stops every process named by $W/*.pid (and its children), deletes $NS and $W.
sn_lab_cleanup() {
  set +e
  local f p pids=()
  for f in "$W"/*.pid; do                     # read once: QEMU deletes its pid file when it exits
    p=$(cat "$f" 2>/dev/null) && [ -n "$p" ] && pids+=("$p")
  done
  for p in "${pids[@]}"; do sn_kill_children "$p"; kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$W"
}

# sn_lab_netns SUBNET TAP...: creates $NS with bridge br0 = SUBNET.1/24 and the taps enslaved to it.
# The namespace has no default route: nothing in it can reach beyond the bridge.
sn_lab_netns() {
  local net=$1 t
  shift
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" link add br0 type bridge
  # a fixed, locally administered MAC (as the testbed's hosts have, LabNames.hostBridgeMac): a bridge
  # left to choose takes the lowest MAC of its ports and changes it when a port joins or leaves
  ip -n "$NS" link set br0 address 02:53:4e:ff:00:01
  ip -n "$NS" addr add "$net.1/24" dev br0
  ip -n "$NS" link set br0 up
  for t in "$@"; do
    ip -n "$NS" tuntap add dev "$t" mode tap
    ip -n "$NS" link set "$t" master br0
    ip -n "$NS" link set "$t" up
  done
  [ -z "$(ip -n "$NS" route show default)" ] || fail "namespace $NS unexpectedly has a default route"
}

# sn_lab_daemon NAME CMD...: runs CMD inside $NS in the background, pid in $W/NAME.pid.
sn_lab_daemon() {
  local name=$1
  shift
  setsid ip netns exec "$NS" "$@" </dev/null >"$W/$name.out" 2>&1 &
  echo $! > "$W/$name.pid"
}

sn_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# sn_wait_vm NAME REGEX SECONDS: $W/NAME-serial.log shows REGEX in time; fails at once when the VM
# ($W/NAME.pid) has stopped.
sn_wait_vm() {
  local end=$(( $(sn_now_ms) + $3 * 1000 )) pid
  pid=$(cat "$W/$1.pid")
  while [ "$(sn_now_ms)" -lt "$end" ]; do
    grep -Eaq "$2" "$W/$1-serial.log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { grep -Eaq "$2" "$W/$1-serial.log" 2>/dev/null; return; }
    sleep 0.1
  done
  return 1
}

# sn_field KEY: the value of KEY=value in the lines on stdin.
sn_field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p"; }

# sn_rss_mib NAME: resident memory of the process in $W/NAME.pid.
sn_rss_mib() { echo $(( $(awk '/VmRSS/{print $2}' "/proc/$(cat "$W/$1.pid")/status") / 1024 )); }

# sn_wait_file FILE REGEX SECONDS: FILE shows a line matching REGEX in time.
sn_wait_file() {
  local end=$(( $(sn_now_ms) + $3 * 1000 ))
  while [ "$(sn_now_ms)" -lt "$end" ]; do grep -Eaq "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
