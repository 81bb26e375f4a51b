#!/usr/bin/env bash
# Installs the Debian brokers the integration tests start as local processes (Redis, Memcached,
# NATS with JetStream, RabbitMQ; saslpasswd2 and the SASL PLAIN plugin for memcached -S) when they are missing. Idempotent. As root it runs apt-get itself
# (services are kept from starting during the install); otherwise it prints what to run and fails.
# The JVM brokers (Kafka, ActiveMQ, Artemis, RocketMQ, Pulsar) come from Maven Central when a test
# first starts them (module mq-harness); nothing to install for them here.
set -euo pipefail

declare -A binary_of=(
  [redis-server]=/usr/bin/redis-server
  [memcached]=/usr/bin/memcached
  [nats-server]=/usr/sbin/nats-server
  [rabbitmq-server]=/usr/lib/rabbitmq/bin/rabbitmq-server
  [openssl]=/usr/bin/openssl
  [sasl2-bin]=/usr/sbin/saslpasswd2
  [libsasl2-modules]=/usr/share/doc/libsasl2-modules/copyright
)
missing=()
for pkg in "${!binary_of[@]}"; do
  [ -e "${binary_of[$pkg]}" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-brokers: redis-server, memcached, nats-server, rabbitmq-server, openssl and the SASL tools for memcached -S are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-brokers: missing ${missing[*]}; run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "install-brokers: installing ${missing[*]}"
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # keep the packages' services from starting: the tests start private brokers of their own
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  made_policy=1
fi
cleanup() { [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d; true; }
trap cleanup EXIT
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
# a package's postinst may still have started a daemon: the tests need none of them
for proc in redis-server memcached nats-server beam.smp epmd; do
  pkill -x "$proc" 2>/dev/null || true
done
for pkg in "${!binary_of[@]}"; do
  [ -e "${binary_of[$pkg]}" ] || { echo "install-brokers: ${binary_of[$pkg]} is still missing after the install" >&2; exit 1; }
done
echo "install-brokers: done"
