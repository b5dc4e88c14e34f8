# Shared by the SpotNest agent VM's boot scripts (POSIX sh, sourced). Stdout is the serial console.
# The agent secret is never printed, never put on a command line, never written outside /run/sn-agent.
SN_STATE=/run/sn-agent
SN_HOME=/var/lib/jenkins-agent

# sn_arg KEY: the value of KEY=value on the kernel command line (last one wins), empty when absent.
sn_arg() {
  v=
  for w in $(cat /proc/cmdline); do
    case "$w" in "$1="*) v=${w#"$1="} ;; esac
  done
  printf '%s' "$v"
}

# sn_matches VALUE ERE: whole-value match.
sn_matches() { printf '%s' "$1" | grep -Eqx "$2"; }

# sn_check_setting FILE LINE KEY VALUE: validates one agent.env setting; prints the error and returns 1 if bad.
sn_check_setting() {
  case "$3" in
    SN_CONTROLLER_URL) re='https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?'
                       why='expected http(s)://host[:port][/path]' ;;
    SN_AGENT_NAME)     re='[A-Za-z0-9._-]{1,64}'; why='1..64 letters, digits, . _ -' ;;
    SN_WORKDIR)        re='/[A-Za-z0-9._/-]*'; why='an absolute path of letters, digits, . _ - /' ;;
    SN_JAVA_OPTS)      re='[A-Za-z0-9=:.,_/+ -]*'; why='only letters, digits, spaces and = : . , _ / + -' ;;
    *) echo "SN-AGENT-CONFIG-ERROR file=$1 line=$2 field=$3: unknown setting"; return 1 ;;
  esac
  sn_matches "$4" "$re" && return 0
  echo "SN-AGENT-CONFIG-ERROR file=$1 line=$2 field=$3: $why"
  return 1
}

# sn_read_agent_env FILE: validates FILE (KEY=VALUE lines, # comments) and prints it normalized as
# shell assignments with single-quoted values (safe to source: values were validated above).
sn_read_agent_env() {
  n=0; url=; name=; workdir=$SN_HOME/work; opts=
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    case "$line" in ''|'#'*) continue ;; esac
    case "$line" in *=*) ;; *) echo "SN-AGENT-CONFIG-ERROR file=agent.env line=$n: expected KEY=VALUE" >&2; return 1 ;; esac
    key=${line%%=*}; val=${line#*=}
    sn_check_setting agent.env "$n" "$key" "$val" >&2 || return 1
    case "$key" in
      SN_CONTROLLER_URL) url=${val%/} ;;
      SN_AGENT_NAME) name=$val ;;
      SN_WORKDIR) workdir=$val ;;
      SN_JAVA_OPTS) opts=$val ;;
    esac
  done < "$1"
  [ -n "$url" ] || { echo "SN-AGENT-CONFIG-ERROR file=agent.env field=SN_CONTROLLER_URL: required" >&2; return 1; }
  [ -n "$name" ] || { echo "SN-AGENT-CONFIG-ERROR file=agent.env field=SN_AGENT_NAME: required" >&2; return 1; }
  printf "SN_CONTROLLER_URL='%s'\nSN_AGENT_NAME='%s'\nSN_WORKDIR='%s'\nSN_JAVA_OPTS='%s'\n" "$url" "$name" "$workdir" "$opts"
}

# sn_check_secret FILE: one line of 1..256 letters/digits (Jenkins agent secrets are 64 hex digits).
sn_check_secret() {
  [ -s "$1" ] || { echo "SN-AGENT-CONFIG-ERROR file=agent-secret: missing or empty"; return 1; }
  [ "$(wc -l < "$1")" -le 1 ] && sn_matches "$(cat "$1")" '[A-Za-z0-9]{1,256}' && return 0
  echo "SN-AGENT-CONFIG-ERROR file=agent-secret line=1: expected one line of 1..256 letters and digits"
  return 1
}
