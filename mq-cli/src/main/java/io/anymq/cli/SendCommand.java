package io.anymq.cli;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mq send URL TOPIC [MESSAGE...]}: sends the arguments, or stdin one message per line
 * ({@code --input lines}, optionally {@code KEY<delim>PAYLOAD} with {@code -K}), one JSON object per
 * line ({@code --input jsonl}), or stdin whole as one message ({@code --raw}). Payload bytes are
 * never changed: lines are split on {@code \n} only (a {@code \r} is a byte of the payload), bytes
 * that are not UTF-8 are sent as they are, an empty line is a message with an empty payload (a
 * blank line of jsonl is skipped), and a last line without {@code \n} is a message too. Sending
 * stops at the first failure; the command then says how many were confirmed and exits 1.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send the MESSAGE arguments, or standard input one message per line, and report what the broker confirmed.",
                "Standard input is split on \\n only and its bytes are sent unchanged (a \\r stays in the payload, "
                        + "bytes that are not UTF-8 too); an empty line sends a message with an empty payload (no key); "
                        + "--raw sends all of standard input as one message; --input jsonl reads one JSON object per line "
                        + "(the shape mq receive --format json prints; a blank line is skipped).",
                "Sending stops at the first failure: the command then says how many messages were confirmed and exits 1."})
final class SendCommand implements Callable<Integer> {
    enum Input { lines, jsonl, raw }

    enum Format { text, json }

    /** Unconfirmed sends the command waits for before it reads on (the producer has its own window too). */
    private static final int REPORT_EVERY = 1000;

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

    @Option(names = {"-K", "--key-delimiter"}, paramLabel = "DELIM",
            description = "each line (or MESSAGE) is KEY DELIM PAYLOAD, as kcat's -K: the text before the first DELIM is the key. "
                    + "A line without DELIM, or starting with it, has no key (anymq has no empty keys)")
    String keyDelimiter;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "a header of every message (repeatable; each name at most once)")
    List<String> headers = new ArrayList<>();

    @Option(names = "--input", description = "how standard input is read: ${COMPLETION-CANDIDATES} (default: lines). "
            + "jsonl: one JSON object per line with payload, payloadEncoding (utf-8 or base64), key, keyEncoding, headers, "
            + "headerEncodings, id, timestamp, deliverAt")
    Input input;

    @Option(names = "--raw", description = "the same as --input raw: all of standard input, byte for byte, as one message")
    boolean raw;

    @Option(names = "--format", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json: one JSON line per "
            + "message on stdout (index, line, id, position, timestamp, or error and errorType)")
    Format format = Format.text;

    /** Where stdin comes from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        Input in = checkUsage();
        Map<String, String> headerMap = parseHeaders(headers);
        byte[] delimiter = keyDelimiter == null ? null : keyDelimiter.getBytes(StandardCharsets.UTF_8);
        boolean verbose = ((Main) spec.root().userObject()).verbose;
        SendReport report = new SendReport(topic, format == Format.json, verbose, spec.commandLine().getOut(), spec.commandLine().getErr());
        try (MessagingClient client = Messaging.connect(url); Producer producer = client.producer(topic)) {
            if (in == Input.raw) {
                byte[] all = stdin.readAllBytes();
                report.send(producer, 0, () -> builder(headerMap).payload(all).key(key).build());
            } else if (!messages.isEmpty()) {
                for (String m : messages) {
                    report.send(producer, 0, () -> argument(m, headerMap));
                    if (report.failed()) {
                        break;
                    }
                }
            } else {
                InputStream stream = new BufferedInputStream(stdin);
                byte[] line;
                int number = 0;
                while (!report.failed() && (line = readLine(stream)) != null) {
                    number++;
                    byte[] bytes = line;
                    if (in == Input.jsonl) {
                        if (isBlank(bytes)) {
                            continue;
                        }
                        report.send(producer, number, () -> JsonLines.message(utf8Line(bytes)));
                    } else {
                        report.send(producer, number, () -> line(bytes, delimiter, headerMap));
                    }
                    report.confirmIfMany(REPORT_EVERY);
                }
            }
            report.confirmAll();
        }
        report.finish();
        return 0;
    }

    /** The input mode, after refusing options that do not go together. */
    private Input checkUsage() {
        if (raw && input != null && input != Input.raw) {
            throw new Main.UsageError("--raw is --input raw; give one of --raw and --input " + input);
        }
        Input in = raw ? Input.raw : input == null ? Input.lines : input;
        if (in != Input.lines && !messages.isEmpty()) {
            throw new Main.UsageError((raw ? "--raw" : "--input " + in) + " reads standard input; give no MESSAGE arguments with it");
        }
        if (in == Input.jsonl && (key != null || keyDelimiter != null || !headers.isEmpty())) {
            throw new Main.UsageError("--input jsonl: each JSON line has its own key and headers; give no -k, -K or -H with it");
        }
        if (keyDelimiter != null) {
            if (keyDelimiter.isEmpty() || keyDelimiter.contains("\n")) {
                throw new Main.UsageError("-K needs a delimiter that is not empty and has no newline");
            }
            if (key != null) {
                throw new Main.UsageError("give either -k (one key for every message) or -K (a key on each line), not both");
            }
            if (in == Input.raw) {
                throw new Main.UsageError("-K splits lines into key and payload; --raw sends standard input as one message");
            }
        }
        return in;
    }

    private static Message.Builder builder(Map<String, String> headerMap) {
        return Message.builder().headers(headerMap);
    }

    private Message argument(String m, Map<String, String> headerMap) {
        int at = keyDelimiter == null ? -1 : m.indexOf(keyDelimiter);
        if (at < 0) {
            return builder(headerMap).payload(m).key(key).build();
        }
        return builder(headerMap).payload(m.substring(at + keyDelimiter.length())).key(at == 0 ? null : m.substring(0, at)).build();
    }

    private Message line(byte[] line, byte[] delimiter, Map<String, String> headerMap) {
        int at = delimiter == null ? -1 : indexOf(line, delimiter);
        if (at < 0) {
            return builder(headerMap).payload(line).key(key).build();
        }
        return builder(headerMap).payload(Arrays.copyOfRange(line, at + delimiter.length, line.length))
                .keyBytes(at == 0 ? null : Arrays.copyOfRange(line, 0, at)).build();
    }

    static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String utf8Line(byte[] line) {
        String text = ReceiveCommand.utf8(line);
        if (text == null) {
            throw new Json.InvalidJsonException("the line is not UTF-8 (JSON text is); give bytes in base64 with \"payloadEncoding\":\"base64\"");
        }
        return text;
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
