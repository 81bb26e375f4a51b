package io.anymq.it.harness;

import io.anymq.harness.Broker;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal Redis (RESP2) client: one command, one simple/bulk reply. Enough for smoke checks. */
final class Resp {
    private Resp() {
    }

    static String call(Broker broker, String... args) throws IOException {
        try (Socket s = new Socket(broker.host(), broker.port())) {
            s.setSoTimeout(5000);
            StringBuilder b = new StringBuilder();
            String user = broker.nativeProperties().get("user");
            String password = broker.nativeProperties().get("password");
            if (password != null) {
                append(b, user == null ? new String[]{"AUTH", password} : new String[]{"AUTH", user, password});
            }
            append(b, args);
            s.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (password != null) {
                reply(in);
            }
            return reply(in);
        }
    }

    private static void append(StringBuilder b, String... args) {
        b.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
    }

    private static String reply(DataInputStream in) throws IOException {
        String line = line(in);
        switch (line.charAt(0)) {
            case '+':
                return line.substring(1);
            case '-':
                throw new IOException("redis error: " + line.substring(1));
            case ':':
                return line.substring(1);
            case '$':
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] data = new byte[n];
                in.readFully(data);
                line(in);
                return new String(data, StandardCharsets.UTF_8);
            default:
                throw new IOException("unexpected reply " + line);
        }
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
