#!/usr/bin/env bash
# The service shapes of issue #25 (mq-bench/workloads: 4p4c-1kb, 4p4c-64kb, handler-1ms-c16, fanout-4) on every
# backend that `mq broker` starts, each side by side with its native client, one broker at a time; a table per
# shape at the end. About an hour on 2 cores; run it with nothing else on the machine (the load average is
# printed before every bench).
#
#   scripts/shapes-bench.sh [OUT_DIR]                      (default target/shapes-bench)
#   BACKENDS="mem redis nats" scripts/shapes-bench.sh      (a subset; the default is all of them, in this order:
#                                                           mem redis nats kafka rabbitmq pulsar activemq artemis
#                                                           hornetq rocketmq memcached)
#   SHAPES="4p4c-1kb fanout-4" scripts/shapes-bench.sh     (a subset of the shapes)
#
# Needs mq-cli/target/mq.jar (./mvnw -B -pl mq-cli -am package -DskipTests). Starts its own brokers under
# OUT_DIR/brokers and deletes them after their shapes. NATS runs in JetStream mode (the shapes need acks);
# Redis runs its default mode (Streams). Memcached is started here rather than by `mq broker`: the harness' server
# has 64 MB and no eviction (-M), which a max-rate run fills within seconds (both sides keep every item: the
# baseline never deletes, the SDK's items expire after item-expiry); this one has MEMCACHED_MB (default 12288).
set -euo pipefail
source "$(dirname "$0")/bench-setup.sh"
bench_setup "${1:-target/shapes-bench}"
BACKENDS=${BACKENDS:-mem redis nats kafka rabbitmq pulsar activemq artemis hornetq rocketmq memcached}
SHAPES=${SHAPES:-4p4c-1kb 4p4c-64kb handler-1ms-c16 fanout-4}
LOG="$OUT/shapes-bench.log"
touch "$LOG"

STARTED=""
MEMCACHED_PID=""
cleanup() {
  for b in $STARTED; do "${MQ[@]}" broker stop "$b" --delete >/dev/null 2>&1 || true; done
  [ -z "$MEMCACHED_PID" ] || kill "$MEMCACHED_PID" 2>/dev/null || true
}
trap cleanup EXIT

url_of() { # BACKEND SHAPE: the URL a shape runs against
  local base=$1 shape=$2
  case "$base" in
    nats://*) echo "$base$( [[ "$base" == *\?* ]] && echo '&' || echo '?')jetstream=true" ;;
    *) echo "$base" ;;
  esac
}

for backend in $BACKENDS; do
  if [ "$backend" = mem ]; then
    base=mem:
  elif [ "$backend" = memcached ]; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "== starting memcached with ${MEMCACHED_MB:-12288} MB on port $port" | tee -a "$LOG"
    /usr/bin/memcached -l 127.0.0.1 -p "$port" -U 0 -m "${MEMCACHED_MB:-12288}" -M $( [ "$(id -u)" = 0 ] && echo "-u root") &
    MEMCACHED_PID=$!
    for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null \
      || { echo "shapes-bench: memcached did not accept connections on port $port within 5 s" | tee -a "$LOG" >&2; exit 1; }
    base="memcached://127.0.0.1:$port"
  else
    echo "== starting $backend" | tee -a "$LOG"
    base=$("${MQ[@]}" broker start "$backend" | tail -1)
    STARTED="$STARTED $backend"
  fi
  for shape in $SHAPES; do
    url=$(url_of "$base" "$shape")
    # the URL as printed: a password in it (RabbitMQ's user:password@) masked
    echo "== $backend $shape $(sed -E 's#://([^:/@]+):[^@/]*@#://\1:****@#' <<<"$url") ($(cut -d' ' -f1-3 /proc/loadavg) load, $(date -u +%H:%M:%S) UTC)" | tee -a "$LOG"
    "${MQ[@]}" bench "$url" --workload "mq-bench/workloads/$shape.yaml" --native --rounds 2 --warmup 2s --duration 5s \
        --out "$OUT/$backend" 2>&1 | grep -E "^(anymq|[A-Za-z].*) #[0-9]+ +[0-9,]+ |^ratio |^note:|^wrote|rror" | tee -a "$LOG" || true
  done
  if [ "$backend" = memcached ]; then
    kill "$MEMCACHED_PID" 2>/dev/null || true
    MEMCACHED_PID=""
  elif [ "$backend" != mem ]; then
    "${MQ[@]}" broker stop "$backend" --delete >/dev/null 2>&1 || true
  fi
done

# one table per shape: the newest JSON of each backend and shape
python3 - "$OUT" $SHAPES <<'EOF' | tee -a "$LOG"
import glob, json, os, sys
out, shapes = sys.argv[1], sys.argv[2:]
def k(v):
    return f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"
for shape in shapes:
    print(f"\n#### `{shape}`\n")
    print("| backend | anymq msg/s per round | native msg/s per round | throughput anymq/native | anymq e2e p99 per round, ms | native e2e p99 per round, ms | lost/redelivered (anymq; native) | file |")
    print("|---|---|---|---|---|---|---|---|")
    for d in sorted(glob.glob(os.path.join(out, "*"))):
        files = sorted(glob.glob(os.path.join(d, f"bench-*-{shape}-*.json")))
        if not files:
            continue
        j = json.load(open(files[-1]))
        sdk = [r for r in j["runs"] if r["label"].startswith("anymq")]
        nat = [r for r in j["runs"] if not r["label"].startswith("anymq")]
        def col(rs, f):
            return " / ".join(f(r) for r in rs) or "not run"
        rate = lambda r: k(r.get("consumeRate", r.get("publishRate", 0)))
        p99 = lambda r: f"{(r.get('endToEndLatencyMicros') or {}).get('p99', 0) / 1000:,.1f}"
        lost = lambda rs: "/".join(str(sum(r.get(x, 0) for r in rs)) for x in ("lost", "redelivered"))
        ratio = j.get("ratios", {}).get("throughput")
        print(f"| {os.path.basename(d)} | {col(sdk, rate)} | {col(nat, rate)} | {'**%.2f**' % ratio if ratio else '-'} | "
              f"{col(sdk, p99)} | {col(nat, p99)} | {lost(sdk)}; {lost(nat)} | `{os.path.basename(files[-1])[:-5]}` |")
EOF
