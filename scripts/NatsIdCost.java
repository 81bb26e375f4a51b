// What carrying a message id costs jnats on core NATS: 100-byte messages published and received with no id, with
// the id in a Nats-Msg-Id header, and with the id as the reply subject; process CPU per message, ABC/CBA rounds.
// Run (single-file source): java -cp ~/.m2/repository/io/nats/jnats/2.26.2/jnats-2.26.2.jar scripts/NatsIdCost.java nats://127.0.0.1:4222 1000000

import io.nats.client.*;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

public class NatsIdCost {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[1]);
        String[] modes = {"none", "header", "replyTo"};
        try (Connection pub = Nats.connect(a[0]); Connection sub = Nats.connect(a[0])) {
            for (int round = 0; round < 8; round++) {
                for (String mode : (round % 2 == 0) ? modes : new String[]{"replyTo", "header", "none"}) {
                    String subject = "exp." + mode + "." + round;
                    Subscription s = sub.subscribe(subject);
                    sub.flush(Duration.ofSeconds(5));
                    long[] got = {0};
                    long[] idChars = {0};
                    Thread t = new Thread(() -> {
                        try {
                            while (got[0] < n) {
                                Message m = s.nextMessage(Duration.ofSeconds(5));
                                if (m == null) break;
                                got[0]++;
                                if (mode.equals("header")) { Headers h = m.getHeaders(); idChars[0] += h.getFirst("Nats-Msg-Id").length(); }
                                else if (mode.equals("replyTo")) { idChars[0] += m.getReplyTo().length(); }
                            }
                        } catch (InterruptedException e) { }
                    });
                    t.start();
                    byte[] body = new byte[100]; String[] ids = new String[1024]; for (int k = 0; k < 1024; k++) ids[k] = "01JDZ" + String.format("%021d", k);
                    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        String id = ids[i & 1023];
                        switch (mode) {
                            case "none" -> pub.publish(subject, body);
                            case "header" -> { Headers h = new Headers(); h.put("Nats-Msg-Id", id); pub.publish(subject, h, body); }
                            default -> pub.publish(subject, "_ID." + id, body);
                        }
                    }
                    t.join();
                    long ms = (System.nanoTime() - t0) / 1_000_000; long cpuNs = os.getProcessCpuTime() - c0;
                    System.out.printf("round %d %-8s %,d of %,d in %d ms = %,d msg/s, cpu %.0f ns/msg%n", round, mode, got[0], n, ms, got[0] * 1000 / Math.max(1, ms), cpuNs / (double) n);
                    s.unsubscribe();
                }
            }
        }
    }
}
