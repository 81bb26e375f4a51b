package io.anymq.cli;

import io.anymq.bench.Bench;
import io.anymq.bench.Workload;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.Brokers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mq bench URL}: runs a workload through anymq and, with {@code --native}, through the
 * backend's plain client, alternating (ABBA...: who goes first changes each round), and prints throughput, latency percentiles,
 * losses and the SDK/native ratios; writes JSON and an HTML chart under {@code target/bench/}. The measuring is
 * mq-bench's ({@link Bench}); this class is only its command line. Exit code 1 when a confirmed message was lost.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a backend through anymq, and side by side with its native client (--native).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL", description = "the backend, e.g. mem: or kafka://127.0.0.1:9092")
    String url;

    @Option(names = "--broker", paramLabel = "NAME", description = "start a local broker (redis, nats, kafka, ...) with the harness for the run, and stop it after")
    String broker;

    @Option(names = "--native", description = "also run the backend's native client, alternating with anymq")
    boolean withNative;

    @Option(names = "--rounds", description = "runs of each side (default: ${DEFAULT-VALUE})", defaultValue = "2")
    int rounds;

    @Option(names = "--native-metadata", description = "the native baseline also carries what anymq's mapping puts on the wire "
            + "for a message sent without id or timestamp (NATS core: a 26-character id as the reply subject; JetStream: an "
            + "anymq-timestamp header; RabbitMQ: message-id and timestamp properties; Pulsar: an anymq-id property and the event time; RocketMQ: an "
            + "anymq-timestamp property; others: nothing to add), to tell the cost "
            + "of that content from the cost of the SDK's code")
    boolean nativeMetadata;

    @Option(names = "--warmup-rounds", description = "unreported runs of each side before the measured rounds, so that "
            + "neither side pays the JIT compilation of the code both share (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int warmupRounds;

    @Option(names = "--workload", paramLabel = "FILE", description = "a workload file (YAML, OMB's names: topics, partitionsPerTopic, "
            + "messageSize, producersPerTopic, subscriptionsPerTopic, consumerPerSubscription, producerRate, consumerHandlerDelay, "
            + "consumerConcurrency, warmup, duration, ...; see mq-bench/workloads/); the options below override it")
    Path workloadFile;

    @Option(names = "--size", description = "message size, e.g. 1024 or 1KiB")
    String size;

    @Option(names = "--rate", description = "messages per second over all producers; 0 = as fast as possible")
    Integer rate;

    @Option(names = "--producers", description = "producers per topic")
    Integer producers;

    @Option(names = "--consumers", description = "consumers per subscription")
    Integer consumers;

    @Option(names = "--subscriptions", description = "subscriptions (groups) per topic, each receiving every message")
    Integer subscriptions;

    @Option(names = "--topics")
    Integer topics;

    @Option(names = "--partitions", description = "partitions per topic where the backend has them (Kafka, Pulsar)")
    Integer partitions;

    @Option(names = "--handler-delay", paramLabel = "DURATION", description = "time the consumer's handler takes per message, e.g. 1ms")
    String handlerDelay;

    @Option(names = "--concurrency", description = "deliveries a consumer handles at once")
    Integer concurrency;

    @Option(names = "--keys", description = "distinct keys; 0 = none")
    Integer keys;

    @Option(names = "--warmup", description = "e.g. 2s")
    String warmup;

    @Option(names = "--duration", description = "measured time, e.g. 10s")
    String duration;

    @Option(names = "--max-messages", description = "bound on messages per producer in a run")
    Long maxMessages;

    @Option(names = "--metrics", description = "install mq-micrometer's interceptor in the anymq side (a simple registry), to measure its cost")
    boolean metrics;

    @Option(names = "--tracing", description = "install mq-opentelemetry's interceptor in the anymq side (an SDK that samples every "
            + "message; spans are batched and dropped), to measure its cost")
    boolean tracing;

    @Option(names = "--tracing-ratio", paramLabel = "R", description = "with --tracing: the share of traces sampled, as "
            + "OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=R (default: 1, every message)")
    Double tracingRatio;

    @Option(names = "--tracing-no-unsampled-context", description = "with --tracing: a send whose trace the sampler dropped "
            + "writes no traceparent (OpenTelemetryInterceptor.builder(otel).propagateUnsampled(false)); default: it writes one")
    boolean noUnsampledContext;

    @Option(names = "--transactions", split = ",", paramLabel = "N[,N...]", description = "measure transactions instead of a stream: "
            + "one thread commits transactions of N sends back to back (with --native: against the native client's own "
            + "transaction; Kafka), e.g. --transactions 1,10,100")
    int[] transactionSizes;

    @Option(names = "--out", description = "directory for JSON and the chart (default: ${DEFAULT-VALUE})", defaultValue = "target/bench")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((url == null) == (broker == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either a URL or --broker NAME");
        }
        if (broker == null) {
            return run(url);
        }
        try (Broker b = Brokers.provide(BrokerKind.of(broker))) {
            System.err.println("bench: " + b.kind().id() + " at " + b.clientUrl() + " (" + b.source() + ")");
            return run(b.clientUrl());
        }
    }

    private Integer run(String target) throws Exception {
        if (transactionSizes != null) {
            return runTransactions(target);
        }
        Workload w = (workloadFile != null ? Workload.load(workloadFile) : Workload.defaults()).with(overrides());
        Bench bench = new Bench(target, w).rounds(rounds).warmupRounds(warmupRounds).out(out)
                .printTo(new PrintStream(System.out, true), System.err, System.console() != null);
        if (withNative) {
            bench.withNative(nativeMetadata);
        }
        if (tracingRatio != null && (!tracing || !(tracingRatio >= 0 && tracingRatio <= 1))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tracing-ratio takes a number from 0 to 1, with --tracing");
        }
        if (noUnsampledContext && !tracing) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tracing-no-unsampled-context goes with --tracing");
        }
        try (BenchInterceptors observers = new BenchInterceptors(metrics, tracing, tracingRatio == null ? 1 : tracingRatio,
                !noUnsampledContext)) {
            bench.interceptors(observers.list());
            int code = bench.run().lost() > 0 ? Main.FAILED : 0;
            observers.summarize(spec.commandLine().getErr());
            return code;
        }
    }

    /** {@code --transactions}: the transaction bench, with the stream options that apply to it (size, warm-up, duration, rounds). */
    private Integer runTransactions(String target) throws Exception {
        for (int n : transactionSizes) {
            if (n < 1 || n > 100_000) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--transactions: each size must be 1 to 100000: " + n);
            }
        }
        Workload w = Workload.defaults().with(overrides());
        io.anymq.bench.TransactionBench tb = new io.anymq.bench.TransactionBench(target).sizes(transactionSizes).rounds(rounds)
                .warmup(w.warmup()).duration(w.duration()).payloadBytes(w.messageSize()).printTo(new PrintStream(System.out, true));
        if (withNative) {
            tb.withNative();
        }
        tb.run();
        return 0;
    }

    private Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "message-size", size);
        put(m, "rate", rate);
        put(m, "producers", producers);
        put(m, "consumers", consumers);
        put(m, "subscriptions", subscriptions);
        put(m, "topics", topics);
        put(m, "handler-delay", handlerDelay);
        put(m, "concurrency", concurrency);
        put(m, "partitions", partitions);
        put(m, "keys", keys);
        put(m, "warmup", warmup);
        put(m, "duration", duration);
        put(m, "max-messages", maxMessages);
        return m;
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
