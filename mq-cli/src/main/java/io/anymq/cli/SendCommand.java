package io.anymq.cli;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code mq send URL TOPIC [MESSAGE...]}: sends the arguments, or stdin one message per line, or
 * stdin whole as one message ({@code --raw}). Payload bytes are never changed: lines are split on
 * {@code \n} only (a {@code \r} is a byte of the payload), bytes that are not UTF-8 are sent as they
 * are, an empty line is a message with an empty payload, and a last line without {@code \n} is a
 * message too.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send the MESSAGE arguments, or standard input one message per line, and report what the broker confirmed.",
                "Standard input is split on \\n only and its bytes are sent unchanged (a \\r stays in the payload, "
                        + "bytes that are not UTF-8 too); an empty line sends a message with an empty payload; "
                        + "--raw sends all of standard input as one message."})
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "the backend, e.g. mem:, kafka://127.0.0.1:9092")
    String url;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "2..*", paramLabel = "MESSAGE", description = "message payloads (UTF-8); none: read stdin")
    List<String> messages = new ArrayList<>();

    @Option(names = {"-k", "--key"}, description = "the key of every message")
    String key;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "a header of every message (repeatable; each name at most once)")
    List<String> headers = new ArrayList<>();

    @Option(names = "--raw", description = "send all of standard input, byte for byte, as one message (no MESSAGE arguments)")
    boolean raw;

    /** Where stdin comes from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        Map<String, String> headerMap = parseHeaders(headers);
        PrintWriter out = spec.commandLine().getOut();
        boolean verbose = ((Main) spec.root().userObject()).verbose;
        if (raw && !messages.isEmpty()) {
            throw new Main.UsageError("--raw reads standard input; give no MESSAGE arguments with it");
        }
        int count = 0;
        try (MessagingClient client = Messaging.connect(url); Producer producer = client.producer(topic)) {
            List<CompletableFuture<Receipt>> pending = new ArrayList<>();
            if (raw) {
                pending.add(producer.send(message(stdin.readAllBytes(), headerMap)));
                count++;
            } else if (messages.isEmpty()) {
                InputStream in = new BufferedInputStream(stdin);
                byte[] line;
                while ((line = readLine(in)) != null) {
                    pending.add(producer.send(message(line, headerMap)));
                    count++;
                    if (pending.size() >= 1000) {
                        report(pending, out, verbose);
                    }
                }
            } else {
                for (String m : messages) {
                    pending.add(producer.send(Message.builder().payload(m).key(key).headers(headerMap).build()));
                    count++;
                }
            }
            report(pending, out, verbose);
        }
        out.printf("sent %d message(s) to '%s'; every send was confirmed%n", count, topic);
        return 0;
    }

    private Message message(byte[] payload, Map<String, String> headerMap) {
        return Message.builder().payload(payload).key(key).headers(headerMap).build();
    }

    /** The next line's bytes without its {@code \n} (nothing else is removed), or null at the end. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toByteArray();
            }
            line.write(b);
        }
        return line.size() > 0 ? line.toByteArray() : null;
    }

    private static void report(List<CompletableFuture<Receipt>> pending, PrintWriter out, boolean verbose) {
        for (CompletableFuture<Receipt> f : pending) {
            Receipt r = f.join();
            if (verbose) {
                out.printf("confirmed id=%s position=%s%n", r.messageId(), r.position());
            }
        }
        pending.clear();
    }

    static Map<String, String> parseHeaders(List<String> specs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new Main.UsageError("header '" + s + "' must be NAME=VALUE");
            }
            String name = s.substring(0, eq);
            if (m.containsKey(name)) {
                throw new Main.UsageError("header '" + name + "' is given twice; a message has one value per header name");
            }
            m.put(name, s.substring(eq + 1));
        }
        return m;
    }
}
