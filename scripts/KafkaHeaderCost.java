// What a W3C traceparent header costs kafka-clients alone (no anymq, no OpenTelemetry): 100-byte records produced
// (acks=all, idempotent) and consumed (group protocol "consumer", commitAsync per poll) with no header and with a
// 55-character traceparent header that the consumer reads as text, and with no header but a payload longer by the
// header's bytes (what the bytes cost, apart from the header's handling); process CPU per message, ABC/CBA rounds.
// Run (single-file source, the client jar of mq-cli's shaded jar):
//   java -cp mq-cli/target/mq.jar scripts/KafkaHeaderCost.java 127.0.0.1:9092 500000

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

public class KafkaHeaderCost {
    public static void main(String[] a) throws Exception {
        String servers = a[0];
        int n = Integer.parseInt(a[1]);
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 6;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers, "acks", "all",
                "enable.idempotence", true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int round = 0; round < rounds; round++) {
                for (String mode : round % 2 == 0 ? new String[]{"none", "traceparent", "bytes"} : new String[]{"bytes", "traceparent", "none"}) {
                    boolean header = mode.equals("traceparent");
                    String topic = "hdr-" + mode + "-" + round + "-" + System.nanoTime();
                    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                            Map.<String, Object>of("bootstrap.servers", servers))) { // the broker creates no topic on its own
                        admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
                    }
                    long[] got = {0};
                    long[] chars = {0};
                    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", servers,
                            "group.id", topic, "enable.auto.commit", false, "auto.offset.reset", "earliest", "group.protocol", "consumer",
                            "max.poll.records", 1000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                        consumer.subscribe(List.of(topic));
                        Thread t = new Thread(() -> {
                            long idle = System.nanoTime();
                            while (got[0] < n && System.nanoTime() - idle < 30_000_000_000L) {
                                ConsumerRecords<byte[], byte[]> rs = consumer.poll(Duration.ofMillis(100));
                                for (ConsumerRecord<byte[], byte[]> r : rs) {
                                    got[0]++;
                                    for (Header h : r.headers()) { // what a consumer that reads its headers does
                                        chars[0] += h.key().length() + new String(h.value(), StandardCharsets.UTF_8).length();
                                    }
                                }
                                if (!rs.isEmpty()) {
                                    consumer.commitAsync();
                                    idle = System.nanoTime();
                                }
                            }
                        });
                        // "bytes": no header, the payload longer by what the header adds on the wire (11 + 55 bytes + 2 varints)
                        byte[] body = new byte[mode.equals("bytes") ? 168 : 100];
                        byte[][] values = new byte[1024][]; // formatted before the clock starts: the header's cost, not a tracer's
                        for (int k = 0; k < values.length; k++) {
                            values[k] = String.format("00-%032x-%016x-01", k + 1, k + 1).getBytes(StandardCharsets.UTF_8);
                        }
                        Semaphore window = new Semaphore(1000);
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        t.start();
                        for (int i = 0; i < n; i++) {
                            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, body);
                            if (header) { // 00-<trace id>-<span id>-01
                                r.headers().add("traceparent", values[i & 1023]);
                            }
                            window.acquire();
                            producer.send(r, (m, e) -> window.release());
                        }
                        t.join();
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        long cpuNs = os.getProcessCpuTime() - c0;
                        System.out.printf("round %d %-11s %,d of %,d in %d ms = %,d msg/s, cpu %.0f ns/msg%n", round,
                                mode, got[0], n, ms, got[0] * 1000 / Math.max(1, ms), cpuNs / (double) n);
                    }
                }
            }
        }
    }
}
