#!/usr/bin/env bash
# Builds the CLI and its modules (tests skipped) when any source or POM is newer than the last build.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
STAMP="$ROOT/cli/target/.spotnest-built"
if [ -f "$STAMP" ] && [ -d "$ROOT/cli/target/lib" ] && \
   [ -z "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$STAMP" -print -quit)" ]; then
  exit 0
fi
echo "spotnest: building (mvn package, tests skipped)" >&2
(cd "$ROOT" && mvn -B -q -ntp -DskipTests package -pl cli -am) >&2
touch "$STAMP"
