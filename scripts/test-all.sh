#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (Debian brokers, Maven
# artifacts), then runs every unit test, the conformance suite on every backend, and the
# integration tests against real brokers. A broker that cannot be provided fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

# the Debian brokers (Redis, Memcached, NATS, RabbitMQ) and openssl; the JVM brokers (Kafka, ActiveMQ,
# Artemis, HornetQ, RocketMQ, Pulsar) come from Maven Central when the harness first starts each one
scripts/install-brokers.sh

# Through the Maven wrapper: the Maven version pinned in .mvn/wrapper/maven-wrapper.properties,
# downloaded once from Maven Central into ~/.m2/wrapper (wget, curl, or Java itself; unzip or tar).
# verify also builds the sources and Javadoc jars: Javadoc runs with doclint and fails on a broken
# reference (mq-api's PublicApiDocumentedTest fails on an undocumented public member of the API).
./mvnw -B -ntp -Dmq.it.require=all verify "$@"

# what a new user does: a project outside the tree imports the BOM, depends on mq-api and
# mq-inmemory and runs the README's usage against mem: (#20)
scripts/check-sample-project.sh
