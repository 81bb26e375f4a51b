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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code mq send URL TOPIC [MESSAGE...]}: sends the arguments, or stdin one message per line. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send the MESSAGE arguments, or standard input one message per line, and report what the broker confirmed.")
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

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "a header of every message (repeatable)")
    List<String> headers = new ArrayList<>();

    /** Where stdin comes from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        Map<String, String> headerMap = parseHeaders(headers);
        PrintWriter out = spec.commandLine().getOut();
        boolean verbose = ((Main) spec.root().userObject()).verbose;
        int count = 0;
        try (MessagingClient client = Messaging.connect(url); Producer producer = client.producer(topic)) {
            List<CompletableFuture<Receipt>> pending = new ArrayList<>();
            if (messages.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    pending.add(producer.send(message(line, headerMap)));
                    count++;
                    if (pending.size() >= 1000) {
                        report(pending, out, verbose);
                    }
                }
            } else {
                for (String m : messages) {
                    pending.add(producer.send(message(m, headerMap)));
                    count++;
                }
            }
            report(pending, out, verbose);
        }
        out.printf("sent %d message(s) to '%s'; every send was confirmed%n", count, topic);
        return 0;
    }

    private Message message(String text, Map<String, String> headerMap) {
        return Message.builder().payload(text).key(key).headers(headerMap).build();
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
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }
}
