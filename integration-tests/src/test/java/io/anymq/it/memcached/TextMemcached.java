package io.anymq.it.memcached;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain memcached text-protocol client over a socket, binary-safe, with no library: the "native
 * client" of the interop tests (what any program in any language can do with the documented keys).
 */
final class TextMemcached implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TextMemcached(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** {@code get}: the value, or null. */
    byte[] get(String key) throws IOException {
        command("get " + key);
        String header = line();
        if (header.equals("END")) {
            return null;
        }
        String[] p = header.split(" "); // VALUE <key> <flags> <bytes>
        byte[] value = in.readNBytes(Integer.parseInt(p[3]));
        line(); // the value's CRLF
        String end = line();
        if (!end.equals("END")) {
            throw new IOException("expected END, got " + end);
        }
        return value;
    }

    /** {@code incr}: the new value, or -1 for NOT_FOUND. */
    long incr(String key, long delta) throws IOException {
        command("incr " + key + " " + delta);
        String reply = line();
        return reply.equals("NOT_FOUND") ? -1 : Long.parseLong(reply);
    }

    /** {@code add}: true when STORED. */
    boolean add(String key, byte[] value) throws IOException {
        return store("add", key, value);
    }

    /** {@code set}: true when STORED. */
    boolean set(String key, byte[] value) throws IOException {
        return store("set", key, value);
    }

    /** The next number of a topic's log, as the README says a sender takes it. */
    long nextNumber(String tailKey) throws IOException {
        long n = incr(tailKey, 1);
        while (n < 0) {
            if (add(tailKey, "1".getBytes(StandardCharsets.US_ASCII))) {
                return 1;
            }
            n = incr(tailKey, 1);
        }
        return n;
    }

    private boolean store(String verb, String key, byte[] value) throws IOException {
        out.write((verb + " " + key + " 0 0 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(value);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = line();
        if (reply.equals("STORED")) {
            return true;
        }
        if (reply.equals("NOT_STORED")) {
            return false;
        }
        throw new IOException(verb + " " + key + ": " + reply);
    }

    private void command(String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
