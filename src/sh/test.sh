#!/usr/bin/env bash
# The whole test suite: installs the lab prerequisites, then runs every module's tests with Maven.
# Under CI=true a missing lab prerequisite fails the lab tests instead of skipping them.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
"$ROOT/src/sh/prereqs.sh" lab
cd "$ROOT"
status=0
mvn -B -ntp verify "$@" || status=$?
# Nothing a test started may outlive the suite.
java -cp "$ROOT/testbed/target/classes" io.spotnest.testbed.LabJanitor --report || status=1
exit $status
