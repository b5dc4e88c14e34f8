#!/usr/bin/env bash
# Writes the config disk of one SpotNest agent VM: a 1 MiB raw image holding a tar archive (ustar) with
#   agent.env     SN_CONTROLLER_URL=..., SN_AGENT_NAME=..., [SN_WORKDIR=...], [SN_JAVA_OPTS=...]
#   agent-secret  the Jenkins agent secret (one line)
# Attach it as the VM's second virtio disk (sn.config, default /dev/vdb). The secret is read from a file
# or stdin, never from the command line, and is never printed.
#
#   make-agent-config.sh OUT.img --url URL --name NAME [--workdir DIR] [--java-opts OPTS] --secret-file FILE|-
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
# shellcheck source=rootfs/usr/local/lib/sn-agent/common.sh
. "$HERE/rootfs/usr/local/lib/sn-agent/common.sh"      # the same validation the VM applies
die() { echo "make-agent-config: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: make-agent-config.sh OUT.img --url URL --name NAME [--workdir DIR] [--java-opts OPTS] --secret-file FILE|-"
OUT=$1; shift
URL=; NAME=; WORKDIR=; OPTS=; SECRET=
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "option $1 needs a value"
  case "$1" in
    --url) URL=$2 ;; --name) NAME=$2 ;; --workdir) WORKDIR=$2 ;; --java-opts) OPTS=$2 ;; --secret-file) SECRET=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[ -n "$SECRET" ] || die "--secret-file is required (a file, or - for stdin)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 0700 "$T"
{ echo "SN_CONTROLLER_URL=$URL"; echo "SN_AGENT_NAME=$NAME"
  [ -z "$WORKDIR" ] || echo "SN_WORKDIR=$WORKDIR"
  [ -z "$OPTS" ] || echo "SN_JAVA_OPTS=$OPTS"; } > "$T/agent.env"
sn_read_agent_env "$T/agent.env" >/dev/null || die "invalid settings (see above; line numbers refer to agent.env)"
if [ "$SECRET" = - ]; then cat > "$T/agent-secret"; else cat -- "$SECRET" > "$T/agent-secret" || die "cannot read --secret-file"; fi
sn_check_secret "$T/agent-secret" >&2 || die "invalid secret"
tar --format=ustar --owner=0 --group=0 --numeric-owner --mode=0600 --mtime=@0 -C "$T" -cf "$T/config.tar" agent.env agent-secret
truncate -s 1M "$T/config.tar"
install -m 0600 "$T/config.tar" "$OUT"
