#!/usr/bin/env bash
# The whole test suite: installs the lab prerequisites, then runs every module's tests with Maven.
# Under CI=true a missing lab prerequisite fails the lab tests instead of skipping them.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
"$ROOT/src/sh/prereqs.sh" lab
cd "$ROOT"
rm -rf "$ROOT/target/stall-reports"
status=0
# Bounded, whatever hangs: JUnit and surefire timeouts inside (see pom.xml), this one outside.
timeout --kill-after=60 "${SPOTNEST_TEST_TIMEOUT:-75m}" mvn -B -ntp verify "$@" || status=$?
if [ "$status" != 0 ]; then
  # surefire keeps test output in files: show what a failure or a stall left there
  for r in "$ROOT"/target/stall-reports/*.txt; do
    [ -f "$r" ] && { echo "=== $r"; head -c 60000 "$r"; }
  done
  grep -lE '<(failure|error)[ >]' "$ROOT"/*/target/surefire-reports/TEST-*.xml 2>/dev/null | while read -r x; do
    out="${x%.xml}"; out="${out/TEST-/}-output.txt"
    [ -f "$out" ] && { echo "=== last lines of $out"; tail -n 60 "$out"; }
  done
fi
# The one skip allowed (CI included): a real Jenkins is not on the registries, its war comes from the user.
if [ -z "${SPOTNEST_JENKINS_WAR:-}" ]; then
  echo "*** SKIPPED: RealJenkinsPluginTest, RealJenkinsCloudLabTest and RealJenkinsMigrationLabTest (no real Jenkins: SPOTNEST_JENKINS_WAR is not set) ***" >&2
fi
# Nothing a test started may outlive the suite.
java -cp "$ROOT/testbed/target/classes" io.spotnest.testbed.LabJanitor --report || status=1
exit $status
