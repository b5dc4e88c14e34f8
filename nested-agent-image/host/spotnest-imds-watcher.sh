#!/usr/bin/env bash
# spotnest-imds-watcher: runs on an L1 host. Polls the instance metadata service (IMDSv2: token PUT, then GETs with
# the token header) every few seconds for the spot interruption notice and the rebalance recommendation, and relays
# each new notice to the SpotNest controller (POST /v1/imds-notice, bearer token read from a root-only file).
# Each notice carries the host's signed instance identity document (IMDS instance-identity/rsa2048), so the
# controller accepts it only for this instance and only from this instance's private IP.
# A notice is relayed again on every poll until the controller answers 204 (durable) or 422 (dropped).
# Every poll it also asks the controller for this host's overlay flood list (GET /v1/overlay-peers, the same
# token and signed identity: the controller answers only for this instance) and runs spotnest-overlay-peers with it
# at the first poll after the watcher starts (after a reboot vxlan0 is new, its FDB empty, though the list is the
# one recorded before) and then whenever the list changed. A controller that serves no list (404) is left alone.
#   spotnest-imds-watcher          poll forever
#   spotnest-imds-watcher --once   one poll (so the flood list is applied); exit 1 if a notice could not be
#                                  relayed or the flood list could not be fetched or applied
# Settings (environment, or the file named by SPOTNEST_WATCHER_CONF, default /etc/spotnest/watcher.env):
#   SPOTNEST_RELAY_URL          controller base URL (required)
#   SPOTNEST_RELAY_TOKEN_FILE   file holding the relay token (default /etc/spotnest/relay-token)
#   SPOTNEST_IMDS_URL           metadata service (default http://169.254.169.254)
#   SPOTNEST_POLL_SECONDS       poll period (default 2)
#   SPOTNEST_STATE_DIR          what was relayed already (default /var/lib/spotnest/watcher)
#   SPOTNEST_OVERLAY_PEERS_COMMAND  applies the flood list (default /usr/local/sbin/spotnest-overlay-peers; when it
#                               is not there, e.g. a host without the overlay, the list is not asked for)
set -uo pipefail

conf=${SPOTNEST_WATCHER_CONF:-/etc/spotnest/watcher.env}
# shellcheck disable=SC1090
[ -r "$conf" ] && . "$conf"
relay=${SPOTNEST_RELAY_URL:?SPOTNEST_RELAY_URL is not set}
token_file=${SPOTNEST_RELAY_TOKEN_FILE:-/etc/spotnest/relay-token}
imds=${SPOTNEST_IMDS_URL:-http://169.254.169.254}
poll=${SPOTNEST_POLL_SECONDS:-2}
state=${SPOTNEST_STATE_DIR:-/var/lib/spotnest/watcher}
peers_cmd=${SPOTNEST_OVERLAY_PEERS_COMMAND:-/usr/local/sbin/spotnest-overlay-peers}
once=0
[ "${1:-}" = --once ] && once=1

log() { echo "spotnest-imds-watcher: $*" >&2; }

# JSON string escaping for the small documents IMDS returns (no jq needed on the host).
json_string() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

command -v curl >/dev/null 2>&1 || { log "curl is missing (Debian package curl)"; exit 2; }
case "$poll" in ''|*[!0-9]*) log "SPOTNEST_POLL_SECONDS must be a whole number of seconds, got '$poll'"; exit 2 ;; esac
[ -r "$token_file" ] || { log "relay token file $token_file is missing or unreadable"; exit 2; }
umask 077
mkdir -p "$state"
rm -f "$state/auth.header" # earlier versions kept a copy of the token there

imds_token=''
imds_token_at=0
peers_applied=0 # 1 once this process applied a list: until then the recorded list proves nothing about vxlan0
instance_id=''
identity=''

refresh_token() {
  local now
  now=$(date +%s)
  if [ -z "$imds_token" ] || [ $((now - imds_token_at)) -ge 240 ]; then
    imds_token=$(curl -sf -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$imds/latest/api/token") || {
      imds_token=''; log "could not get an IMDSv2 token"; return 1; }
    imds_token_at=$now
  fi
}

# imds_get PATH OUTFILE -> prints the HTTP status
imds_get() {
  curl -s -m 2 -o "$2" -w '%{http_code}' -H "X-aws-ec2-metadata-token: $imds_token" "$imds$1" || echo 000
}

# relay KIND PAYLOAD -> 0 when the controller has it (or dropped it), 1 to try again next poll
relay() {
  local kind=$1 payload=$2 digest body code
  digest=$(printf '%s\n%s\n%s' "$instance_id" "$kind" "$payload" | sha256sum | cut -d' ' -f1)
  if [ -f "$state/$kind.sent" ] && [ "$(cat "$state/$kind.sent")" = "$digest" ]; then
    return 0
  fi
  body="{\"instanceId\":$(json_string "$instance_id"),\"kind\":$(json_string "$kind"),\"payload\":$(json_string "$payload"),\"identity\":$(json_string "$identity")}"
  # The token reaches curl on stdin (printf is a builtin: no command line shows it, no file copies it); the body,
  # with the signed identity, through a file of this root-only state directory.
  printf '%s' "$body" > "$state/notice.json"
  code=$(auth_header | curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST -H @- \
         -H 'Content-Type: application/json' --data-binary @"$state/notice.json" "$relay/v1/imds-notice") || code=000
  case "$code" in
    204) log "relayed $kind"; echo "$digest" > "$state/$kind.sent"; return 0 ;;
    422) log "controller dropped $kind"; echo "$digest" > "$state/$kind.sent"; return 0 ;;
    403) log "controller refused this host's instance identity for $kind (HTTP 403); retrying next poll"; return 1 ;;
    *) log "relay of $kind failed (HTTP $code); retrying next poll"; return 1 ;;
  esac
}

# auth_header -> the relay's Authorization header line (printf is a builtin: the token is on no command line)
auth_header() {
  printf 'Authorization: Bearer %s\n' "$(tr -d '\n' < "$token_file")"
}

# overlay_peers -> 0 when the flood list is applied and current (or not served), 1 to try again next poll
overlay_peers() {
  local code
  local -a peers
  # The signed identity travels in a header read from this root-only directory, never on a command line.
  printf 'X-SpotNest-Identity: %s\n' "${identity//[$'\r\n']/}" > "$state/identity.header"
  code=$(auth_header | curl -s -m 5 -o "$state/overlay-peers.new" -w '%{http_code}' -H @- \
         -H @"$state/identity.header" "$relay/v1/overlay-peers") || code=000
  case "$code" in
    200) ;;
    404) rm -f "$state/overlay-peers.new"; return 0 ;;
    *) log "could not fetch the overlay peer list (HTTP $code); retrying next poll"
       rm -f "$state/overlay-peers.new"; return 1 ;;
  esac
  if [ $peers_applied = 1 ] && cmp -s "$state/overlay-peers.new" "$state/overlay-peers"; then
    rm -f "$state/overlay-peers.new"; return 0
  fi
  mapfile -t peers < "$state/overlay-peers.new"
  if "$peers_cmd" "${peers[@]}"; then
    mv -f "$state/overlay-peers.new" "$state/overlay-peers"
    peers_applied=1
    log "overlay peers: ${peers[*]:-none}"
    return 0
  fi
  rm -f "$state/overlay-peers.new"
  log "spotnest-overlay-peers failed; retrying next poll"
  return 1
}

poll_once() {
  local ok=0 out code path kind
  refresh_token || return 1
  out=$(mktemp "$state/doc.XXXXXX")
  if [ -z "$instance_id" ]; then
    code=$(imds_get /latest/meta-data/instance-id "$out")
    if [ "$code" != 200 ]; then
      [ "$code" = 401 ] && imds_token=''
      log "could not read instance-id (HTTP $code)"; rm -f "$out"; return 1
    fi
    instance_id=$(cat "$out")
  fi
  if [ -z "$identity" ]; then
    code=$(imds_get /latest/dynamic/instance-identity/rsa2048 "$out")
    if [ "$code" != 200 ]; then
      [ "$code" = 401 ] && imds_token=''
      log "could not read the signed instance identity (HTTP $code)"; rm -f "$out"; return 1
    fi
    identity=$(cat "$out")
  fi
  for path in spot/instance-action events/recommendations/rebalance; do
    case "$path" in spot/*) kind=spot-instance-action ;; *) kind=rebalance-recommendation ;; esac
    code=$(imds_get "/latest/meta-data/$path" "$out")
    case "$code" in
      200) relay "$kind" "$(cat "$out")" || ok=1 ;;
      404) ;;
      401) imds_token=''; ok=1 ;;
      *) log "reading $path failed (HTTP $code)"; ok=1 ;;
    esac
  done
  rm -f "$out"
  if [ -x "$peers_cmd" ]; then
    overlay_peers || ok=1
  fi
  return $ok
}

if [ $once = 1 ]; then
  poll_once
  exit $?
fi
while true; do
  poll_once || true
  sleep "$poll"
done
