#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (Debian brokers, Maven
# artifacts), then runs every unit test, the conformance suite on every backend, and the
# integration tests against real brokers. A broker that cannot be provided fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x scripts/install-brokers.sh ]; then
  scripts/install-brokers.sh
fi

exec mvn -B -ntp -Dmq.it.require=all verify "$@"
