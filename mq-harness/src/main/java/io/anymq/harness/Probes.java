package io.anymq.harness;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Protocol round trips over plain sockets, used as readiness checks (no client library needed). */
public final class Probes {
    private static final int TIMEOUT_MS = 2000;

    private Probes() {
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        s.setSoTimeout(TIMEOUT_MS);
        return s;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Redis: {@code AUTH} when given, then {@code PING} answers {@code +PONG}. */
    public static boolean redisPing(String host, int port, String user, String password) throws IOException {
        try (Socket s = connect(host, port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (password != null) {
                String auth = user == null ? resp("AUTH", password) : resp("AUTH", user, password);
                out.write(auth.getBytes(StandardCharsets.UTF_8));
                if (!readLine(in).startsWith("+OK")) {
                    return false;
                }
            }
            out.write(resp("PING").getBytes(StandardCharsets.UTF_8));
            return readLine(in).equals("+PONG");
        }
    }

    static String resp(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        return b.toString();
    }

    /** Memcached: {@code version} answers {@code VERSION ...}. */
    public static boolean memcachedVersion(String host, int port) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            return readLine(s.getInputStream()).startsWith("VERSION ");
        }
    }

    /** HTTP GET answers 200. */
    public static boolean httpOk(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        try {
            return c.getResponseCode() == 200;
        } finally {
            c.disconnect();
        }
    }

    /** AMQP 0-9-1: the protocol header is answered by a Connection.Start method frame. */
    public static boolean amqpHandshake(String host, int port) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(new byte[]{'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            DataInputStream in = new DataInputStream(s.getInputStream());
            int frameType = in.readUnsignedByte();
            in.readUnsignedShort(); // channel
            in.readInt(); // size
            int classId = in.readUnsignedShort();
            int methodId = in.readUnsignedShort();
            return frameType == 1 && classId == 10 && methodId == 10;
        }
    }

    /** Kafka: a Metadata (v0) request lists at least one broker. */
    public static boolean kafkaMetadata(String host, int port) throws IOException {
        try (Socket s = connect(host, port)) {
            byte[] clientId = "mq-harness".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length + 4);
            out.writeShort(3);  // api key: Metadata
            out.writeShort(0);  // version 0
            out.writeInt(42);   // correlation id
            out.writeShort(clientId.length);
            out.write(clientId);
            out.writeInt(0);    // no topics: v0 reads as "all topics"
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readInt(); // size
            int correlation = in.readInt();
            int brokers = in.readInt();
            return correlation == 42 && brokers >= 1;
        }
    }

    /** A TCP service that greets first: its first bytes contain the marker (ActiveMQ's OpenWire sends "ActiveMQ"). */
    public static boolean greets(String host, int port, String marker) throws IOException {
        try (Socket s = connect(host, port)) {
            byte[] buf = new byte[256];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker);
        }
    }

    /** The port accepts a connection. */
    public static boolean accepts(String host, int port) throws IOException {
        try (Socket ignored = connect(host, port)) {
            return true;
        }
    }
}
