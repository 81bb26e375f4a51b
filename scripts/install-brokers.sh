#!/usr/bin/env bash
# Installs the Debian brokers the integration tests start as local processes (Redis, Memcached,
# NATS with JetStream, RabbitMQ; saslpasswd2 and the SASL PLAIN plugin for memcached -S) when they are missing. Idempotent. As root it runs apt-get itself
# (services are kept from starting during the install); otherwise it prints what to run and fails.
# NATS: JetStream on nats-server before 2.10.14 miscounts redeliveries of pull consumers (nats-io/nats-server#5305;
# scripts/NatsRedeliveryCount.java shows it), and Debian 12 has 2.9.10. So the nats-server of Debian 13 (trixie) is
# fetched with apt from a private source list (signatures checked against debian-archive-keyring; the system's apt
# sources are not touched) and unpacked under /opt/anymq/nats-server, where the harness looks first.
# The JVM brokers (Kafka, ActiveMQ, Artemis, RocketMQ, Pulsar) come from Maven Central when a test
# first starts them (module mq-harness); nothing to install for them here.
set -euo pipefail

declare -A binary_of=(
  [redis-server]=/usr/bin/redis-server
  [memcached]=/usr/bin/memcached
  [rabbitmq-server]=/usr/lib/rabbitmq/bin/rabbitmq-server
  [openssl]=/usr/bin/openssl
  [sasl2-bin]=/usr/sbin/saslpasswd2
  [libsasl2-modules]=/usr/share/doc/libsasl2-modules/copyright
)
NATS_HOME=/opt/anymq/nats-server
NATS_BINARY=$NATS_HOME/usr/sbin/nats-server
NATS_MINIMUM=2.10.14

nats_server_ok() {
  [ -x "$NATS_BINARY" ] || return 1
  local v
  v=$("$NATS_BINARY" --version 2>/dev/null | sed -n 's/^nats-server: v//p')
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$NATS_MINIMUM"
}

# nats-server from Debian 13 (trixie) into $NATS_HOME, with apt's own signature checks
install_nats_server() {
  local work opts version
  work=$(mktemp -d)
  chmod 0755 "$work" # apt fetches as its own user _apt, into the current directory for download
  if id _apt >/dev/null 2>&1; then chown _apt "$work"; fi
  mkdir -p "$work/lists/partial" "$work/cache"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$work/sources.list"
  opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/lists"
        -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
  apt-get "${opts[@]}" update -q
  version=$(apt-cache "${opts[@]}" show nats-server | sed -n 's/^Version: //p' | sort -V | tail -n 1)
  dpkg --compare-versions "${version%%-*}" ge "$NATS_MINIMUM" \
    || { echo "install-brokers: trixie has nats-server $version, older than $NATS_MINIMUM" >&2; rm -rf "$work"; return 1; }
  (cd "$work" && apt-get "${opts[@]}" download "nats-server=$version")
  rm -rf "$NATS_HOME.new" && mkdir -p "$NATS_HOME.new"
  dpkg-deb -x "$work"/nats-server_*.deb "$NATS_HOME.new"
  rm -rf "$NATS_HOME" && mv "$NATS_HOME.new" "$NATS_HOME"
  rm -rf "$work"
  echo "install-brokers: $("$NATS_BINARY" --version) (Debian trixie's $version) in $NATS_HOME"
}

missing=()
for pkg in "${!binary_of[@]}"; do
  [ -e "${binary_of[$pkg]}" ] || missing+=("$pkg")
done
nats_missing=0
nats_server_ok || nats_missing=1
if [ ${#missing[@]} -eq 0 ] && [ "$nats_missing" = 0 ]; then
  echo "install-brokers: redis-server, memcached, rabbitmq-server, openssl, the SASL tools for memcached -S and nats-server >= $NATS_MINIMUM ($NATS_BINARY) are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  [ ${#missing[@]} -eq 0 ] || {
    echo "install-brokers: missing ${missing[*]}; run as root:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
  }
  [ "$nats_missing" = 0 ] || echo "install-brokers: no nats-server >= $NATS_MINIMUM at $NATS_BINARY; run this script as root to fetch Debian trixie's" >&2
  exit 1
fi
if [ ${#missing[@]} -eq 0 ]; then
  install_nats_server
  echo "install-brokers: done"
  exit 0
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
for proc in redis-server memcached beam.smp epmd; do
  pkill -x "$proc" 2>/dev/null || true
done
for pkg in "${!binary_of[@]}"; do
  [ -e "${binary_of[$pkg]}" ] || { echo "install-brokers: ${binary_of[$pkg]} is still missing after the install" >&2; exit 1; }
done
[ "$nats_missing" = 0 ] || install_nats_server
echo "install-brokers: done"
