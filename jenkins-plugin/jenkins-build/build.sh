#!/usr/bin/env bash
# Builds the plugin with the Jenkins plugin parent POM and runs its JenkinsRule tests.
# Needs Maven >= 3.9.6 (older ones fail with "Unknown packaging: hpi") and the Jenkins Maven repository.
set -euo pipefail
cd "$(dirname "$0")"
MVN="${MVN:-mvn}"
version="$("$MVN" -B -v 2>/dev/null | sed -n -e 's/\x1b\[[0-9;]*m//g' -e 's/^Apache Maven \([0-9.]*\).*/\1/p' | head -1)"
if [ -z "$version" ] || [ "$(printf '%s\n3.9.6\n' "$version" | sort -V | head -1)" != "3.9.6" ]; then
  echo "jenkins build: needs Maven >= 3.9.6 (found '${version:-none}'); set MVN to a newer mvn" >&2
  exit 2
fi
exec "$MVN" -B -ntp verify "$@"
