#!/usr/bin/env bash
# The bench rows that need a quiet machine (issues #23 and #25), in one command, with the figures
# summarised at the end: mem: against the queue hand-off; NATS core (also with send-generated-ids=false) and Redis Streams / Sorted Set
# against their native clients; and the observability matrix (nothing / metrics / tracing / both, and
# tracing sampled at 0.1 and 0.01, with and without a traceparent on unsampled sends) on Redis Streams and Kafka.
# About 30 minutes on 2 cores.
#
#   scripts/quiet-bench.sh [OUT_DIR]        (default target/quiet-bench)
#
# Needs mq-cli/target/mq.jar (./mvnw -B -pl mq-cli -am package -DskipTests). Starts its own brokers
# (mq broker, under OUT_DIR/brokers) and stops them at the end. Run it with nothing else on the machine:
# the script prints the load average before every bench, and each row's JSON keeps the client's CPU per
# message, which a loaded machine changes much less than a rate.
set -euo pipefail
source "$(dirname "$0")/bench-setup.sh"
bench_setup "${1:-target/quiet-bench}"
ROUNDS=${ROUNDS:-4}
COMMON=(--rounds "$ROUNDS" --warmup 2s --duration 5s --size 100)
LOG="$OUT/quiet-bench.log"
: > "$LOG"

broker() { # prints the URL of a broker it started (called in $(...): a subshell, so cleanup names them all)
  "${MQ[@]}" broker start "$1" | tail -1
}
cleanup() {
  for b in nats redis kafka; do "${MQ[@]}" broker stop "$b" --delete >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

bench() { # NAME URL ARGS...
  local name=$1 url=$2
  shift 2
  echo "== $name ($(cut -d' ' -f1-3 /proc/loadavg) load)" | tee -a "$LOG"
  "${MQ[@]}" bench "$url" "${COMMON[@]}" "$@" --out "$OUT/$name" 2>&1 | grep -vE "warm-up|measuring" | grep -E "^run |#[0-9]+ |^ratio " | tee -a "$LOG"
}

observability() { # NAME URL: nothing, metrics, tracing, both, both with tracing sampled at 0.1 and 0.01
  bench "obs-$1-none" "$2" --native
  bench "obs-$1-metrics" "$2" --native --metrics
  bench "obs-$1-tracing" "$2" --native --tracing
  bench "obs-$1-both" "$2" --native --metrics --tracing
  for ratio in 0.1 0.01; do
    bench "obs-$1-both-$ratio" "$2" --native --metrics --tracing --tracing-ratio "$ratio"
    # the opt-in of mq-opentelemetry: an unsampled send writes no traceparent (no header on the wire)
    bench "obs-$1-both-$ratio-nounsampled" "$2" --native --metrics --tracing --tracing-ratio "$ratio" --tracing-no-unsampled-context
  done
}

bench mem mem: --native
NATS=$(broker nats)
bench nats-core "$NATS" --native
bench nats-core-meta "$NATS" --native --native-metadata
# core NATS without the generated id on the wire (mq-nats README), against jnats that sends none either
bench nats-core-no-generated-ids "$NATS?send-generated-ids=false" --native
REDIS=$(broker redis)
bench redis-stream "$REDIS" --native
bench redis-zset "$REDIS?mode=zset" --native
# Redis Streams' semantics without anymq (#25): plain lettuce against lettuce running the SDK's commands and settle script
echo "== redis-stream-cost (scripts/RedisStreamCost.java, load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$LOG"
java -cp "$OUT/mq.jar" scripts/RedisStreamCost.java "${REDIS%%\?*}" 300000 4 2>&1 | grep '^round' | tee -a "$LOG"
observability redis "$REDIS"
"${MQ[@]}" broker stop redis --delete >/dev/null 2>&1 || true
"${MQ[@]}" broker stop nats --delete >/dev/null 2>&1 || true
KAFKA=$(broker kafka)
observability kafka "$KAFKA"

# one line per bench: the ratios of its newest JSON
python3 - "$OUT" <<'EOF' | tee -a "$LOG"
import glob, json, os, sys
out = sys.argv[1]
print("\n| bench | throughput SDK/native | client CPU per message SDK/native | SDK CPU us/msg | native CPU us/msg |")
print("|---|---|---|---|---|")
for d in sorted(glob.glob(os.path.join(out, "*"))):
    files = sorted(glob.glob(os.path.join(d, "*.json")))
    if not files:
        continue
    j = json.load(open(files[-1]))
    r = j.get("ratios", {})
    sdk = [x["cpuMicrosPerMessage"] for x in j["runs"] if x["label"].startswith("anymq") and "cpuMicrosPerMessage" in x]
    nat = [x["cpuMicrosPerMessage"] for x in j["runs"] if not x["label"].startswith("anymq") and "cpuMicrosPerMessage" in x]
    mean = lambda v: sum(v) / len(v) if v else float("nan")
    print(f"| {os.path.basename(d)} | {r.get('throughput', float('nan')):.3f} | {r.get('cpuPerMessage', float('nan')):.3f} | {mean(sdk):.2f} | {mean(nat):.2f} |")
EOF
