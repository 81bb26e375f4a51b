#!/usr/bin/env python3
"""Draws the SVG charts of docs/performance.md from the bench result files (docs/performance/*.json).

Usage: scripts/perf-charts.py            (writes docs/performance/charts/*.svg)

1. throughput-ratio.svg: anymq / native throughput at the maximum rate, one bar per backend, from the
   files named in MAX_RATE (mean of the measured rounds of each side).
2. shapes-<shape>.svg: the same ratio for each service shape of mq-bench/workloads/ (#25), one bar per
   backend, from the files in SHAPES (quiet machine, 2026-12-01).
3. latency-<name>.svg: end-to-end latency percentiles (p50 ... p99.9, max) of each round, anymq against
   the native client, for the fixed-rate files in LATENCY.
No dependency beyond Python 3's standard library; the SVG is written by hand.
"""
import json
import os
import statistics
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "docs", "performance")
OUT = os.path.join(DATA, "charts")

# backend label -> result file (the quiet-machine rows of docs/performance.md, 2026-11-30; mem:, Redis Streams and
# Sorted Set and NATS core from scripts/quiet-bench.sh of 23:05-23:33 UTC, after the #25 changes of that evening)
MAX_RATE = [
    ("mem: vs ArrayBlockingQueue", "quiet-20261130-late/mem"),
    ("Redis Streams", "quiet-20261130-late/redis-stream"),
    ("Redis List", "bench-redis-20261130-010620"),
    ("Redis Sorted Set", "quiet-20261130-late/redis-zset"),
    ("NATS core", "quiet-20261130-late/nats-core"),
    ("NATS JetStream", "bench-nats-20261130-011420"),
    ("Kafka ordered", "bench-kafka-20261130-011759"),
    ("RabbitMQ quorum", "bench-amqp-20261130-012120"),
    ("Pulsar shared", "bench-pulsar-20261130-045446"),
    ("Memcached", "bench-memcached-20261130-043251"),
]
LATENCY = [
    ("ActiveMQ Classic, 1,000/s", "activemq", "bench-activemq-20261130-043857"),
    ("Artemis, 1,000/s", "artemis", "bench-artemis-20261130-065925"),
    ("HornetQ, 100/s", "hornetq", "bench-hornetq-20261130-070534"),
    ("RocketMQ, 1,000/s", "rocketmq", "bench-rocketmq-20261130-044842"),
    ("Memcached, 3,000/s", "memcached", "bench-memcached-20261130-070158"),
]
# shape -> [(backend label, result file)] (docs/performance.md, "Service shapes on a quiet machine", 2026-12-01, from
# scripts/shapes-bench.sh; left out: rows whose consumers on both sides were still draining after 30 s (RocketMQ at the
# maximum rate, NATS JetStream at 64 KiB), HornetQ's handler shape (nothing measured on either side), mem:'s and Memcached's fan-out (no baseline), and Memcached's
# 64 KiB and handler shapes (both sides far below the workload's rate: see docs/performance.md))
SHAPES = {
    "4p4c-1kb": [("mem:", "quiet-shapes-20261201/mem/bench-mem-4p4c-1kb-20261201-104447"), ("Redis Streams", "quiet-shapes-20261201/redis/bench-redis-4p4c-1kb-20261201-104725"), ("NATS JetStream", "quiet-shapes-20261201/nats/bench-nats-4p4c-1kb-20261201-105109"), ("Kafka", "quiet-shapes-20261201/kafka/bench-kafka-4p4c-1kb-20261201-105714"), ("RabbitMQ quorum", "quiet-shapes-20261201/rabbitmq/bench-amqp-4p4c-1kb-20261201-110116"), ("Pulsar shared", "quiet-shapes-20261201/pulsar/bench-pulsar-4p4c-1kb-20261201-110457"), ("ActiveMQ Classic", "quiet-shapes-20261201/activemq/bench-activemq-4p4c-1kb-20261201-110938"), ("Artemis", "quiet-shapes-20261201/artemis/bench-artemis-4p4c-1kb-20261201-111340"), ("HornetQ", "quiet-shapes-20261201/hornetq/bench-hornetq-4p4c-1kb-20261201-111653"), ("Memcached", "quiet-shapes-20261201/memcached-buffers/bench-memcached-4p4c-1kb-20261201-173730")],
    "4p4c-64kb": [("mem: before (capacity 8192)", "quiet-shapes-20261201/mem/bench-mem-4p4c-64kb-20261201-104531"), ("mem: max-bytes 64 MiB", "quiet-shapes-20261201/mem-max-bytes/bench-mem-4p4c-64kb-20261201-113732"), ("Redis Streams", "quiet-shapes-20261201/redis/bench-redis-4p4c-64kb-20261201-104829"), ("Kafka", "quiet-shapes-20261201/kafka/bench-kafka-4p4c-64kb-20261201-105825"), ("RabbitMQ quorum", "quiet-shapes-20261201/rabbitmq/bench-amqp-4p4c-64kb-20261201-110201"), ("Pulsar shared", "quiet-shapes-20261201/pulsar/bench-pulsar-4p4c-64kb-20261201-110559"), ("ActiveMQ Classic", "quiet-shapes-20261201/activemq/bench-activemq-4p4c-64kb-20261201-111030"), ("Artemis", "quiet-shapes-20261201/artemis/bench-artemis-4p4c-64kb-20261201-111426"), ("HornetQ (server buffers left to the kernel)", "quiet-shapes-20261201/hornetq-buffers/bench-hornetq-4p4c-64kb-20261201-174133"), ("RocketMQ (window bounded in bytes)", "quiet-shapes-20261201/window-bytes/bench-rocketmq-4p4c-64kb-20261201-175504"), ("Memcached (socket buffers left to the kernel)", "quiet-shapes-20261201/memcached-buffers/bench-memcached-4p4c-64kb-20261201-173814")],
    "handler-1ms-c16": [("mem:", "quiet-shapes-20261201/mem/bench-mem-handler-1ms-c16-20261201-104615"), ("Redis Streams", "quiet-shapes-20261201/redis/bench-redis-handler-1ms-c16-20261201-104914"), ("NATS JetStream", "quiet-shapes-20261201/nats/bench-nats-handler-1ms-c16-20261201-105450"), ("Kafka", "quiet-shapes-20261201/kafka/bench-kafka-handler-1ms-c16-20261201-105914"), ("RabbitMQ quorum", "quiet-shapes-20261201/rabbitmq/bench-amqp-handler-1ms-c16-20261201-110245"), ("Pulsar shared", "quiet-shapes-20261201/pulsar/bench-pulsar-handler-1ms-c16-20261201-110700"), ("ActiveMQ Classic", "quiet-shapes-20261201/activemq/bench-activemq-handler-1ms-c16-20261201-111138"), ("Artemis", "quiet-shapes-20261201/artemis/bench-artemis-handler-1ms-c16-20261201-111511"), ("RocketMQ", "quiet-shapes-20261201/rocketmq/bench-rocketmq-handler-1ms-c16-20261201-112808")],
    "fanout-4": [("Redis Streams", "quiet-shapes-20261201/redis/bench-redis-fanout-4-20261201-105000"), ("NATS JetStream", "quiet-shapes-20261201/nats/bench-nats-fanout-4-20261201-105549"), ("Kafka", "quiet-shapes-20261201/kafka/bench-kafka-fanout-4-20261201-110019"), ("RabbitMQ quorum", "quiet-shapes-20261201/rabbitmq/bench-amqp-fanout-4-20261201-110331"), ("Pulsar shared", "quiet-shapes-20261201/pulsar/bench-pulsar-fanout-4-20261201-110816"), ("ActiveMQ Classic", "quiet-shapes-20261201/activemq/bench-activemq-fanout-4-20261201-111245"), ("Artemis", "quiet-shapes-20261201/artemis/bench-artemis-fanout-4-20261201-111557"), ("HornetQ", "quiet-shapes-20261201/hornetq/bench-hornetq-fanout-4-20261201-111909")],
}
ANYMQ = "#1f77b4"
NATIVE = "#d62728"


def load(name):
    with open(os.path.join(DATA, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ratios(files):
    rows = []
    for label, name in files:
        d = load(name)
        sdk = [r["consumeRate"] for r in d["runs"] if r["target"] == "anymq"]
        nat = [r["consumeRate"] for r in d["runs"] if r["target"] != "anymq"]
        if not sdk or not nat:
            continue
        rows.append((label, statistics.mean(sdk) / statistics.mean(nat)))
    return rows


def throughput_ratio():
    bars("anymq / native client: messages per second at the maximum rate (1.0 = as fast)", ratios(MAX_RATE),
         "throughput-ratio.svg")


def shapes():
    for shape, files in SHAPES.items():
        bars(f"{shape}: anymq / native client, messages per second (1.0 = as fast)", ratios(files), f"shapes-{shape}.svg")


def bars(title, rows, filename):
    w, left, top, bar, gap = 720, 190, 40, 22, 8
    h = top + len(rows) * (bar + gap) + 40
    scale = (w - left - 60) / 1.4
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
         f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">{esc(title)}</text>']
    for i, (label, ratio) in enumerate(rows):
        y = top + i * (bar + gap)
        color = ANYMQ if ratio >= 0.97 else "#ff7f0e"
        s.append(f'<text x="{left - 8}" y="{y + bar * 0.7}" text-anchor="end">{esc(label)}</text>')
        shown = min(ratio, 1.35)  # a ratio beyond the scale (noise, e.g. 2.98) is drawn to its edge, its value written
        s.append(f'<rect x="{left}" y="{y}" width="{shown * scale:.1f}" height="{bar}" fill="{color}"/>')
        s.append(f'<text x="{left + shown * scale + 6:.1f}" y="{y + bar * 0.7}">{ratio:.2f}{" (off scale)" if ratio > shown else ""}</text>')
    x1 = left + scale
    s.append(f'<line x1="{x1:.1f}" y1="{top - 6}" x2="{x1:.1f}" y2="{h - 30}" stroke="#444" stroke-dasharray="4,3"/>')
    s.append(f'<text x="{x1:.1f}" y="{h - 14}" text-anchor="middle">1.0</text>')
    s.append(f'<text x="{left}" y="{h - 14}" text-anchor="middle">0</text>')
    s.append('</svg>')
    write(filename, s)


def latency(title, key, name):
    d = load(name)
    pcts = ["p50", "p95", "p99", "p99.9", "max"]
    runs = [r for r in d["runs"] if "endToEndLatencyMicros" in r]
    peak = max(max(r["endToEndLatencyMicros"].get(p, 0) for p in pcts) for r in runs)
    w, h, left, right, top, bottom = 620, 320, 70, 150, 40, 40
    pw, ph = w - left - right, h - top - bottom
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
         f'<text x="{left + pw / 2}" y="20" text-anchor="middle" font-size="14">{esc(title)}: end-to-end latency per round (µs)</text>',
         f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#444"/>',
         f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#444"/>']
    for i, p in enumerate(pcts):
        x = left + i * pw / (len(pcts) - 1)
        s.append(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{p}</text>')
    for k in range(5):
        v = peak * k / 4
        y = top + ph - ph * k / 4
        s.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
    for r in runs:
        color = ANYMQ if r["target"] == "anymq" else NATIVE
        pts = " ".join(f'{left + i * pw / (len(pcts) - 1):.1f},{top + ph - ph * r["endToEndLatencyMicros"].get(p, 0) / peak:.1f}'
                       for i, p in enumerate(pcts))
        s.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.5"/>')
    natives = sorted({r["target"] for r in runs if r["target"] != "anymq"})
    s.append(f'<rect x="{left + pw + 14}" y="{top + 4}" width="12" height="12" fill="{ANYMQ}"/><text x="{left + pw + 30}" y="{top + 14}">anymq</text>')
    s.append(f'<rect x="{left + pw + 14}" y="{top + 24}" width="12" height="12" fill="{NATIVE}"/><text x="{left + pw + 30}" y="{top + 34}">{esc(", ".join(natives))[:22]}</text>')
    s.append('</svg>')
    write(f"latency-{key}.svg", s)


def write(name, lines):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.relpath(os.path.join(OUT, name), ROOT))


if __name__ == "__main__":
    throughput_ratio()
    shapes()
    for title, key, name in LATENCY:
        latency(title, key, name)
    sys.exit(0)
