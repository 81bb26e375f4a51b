package io.anymq.memcached;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Tries the credentials once on each server before the client is built: one binary-protocol
 * {@code SASL Auth} request with mechanism PLAIN on a socket of its own. xmemcached logs in
 * asynchronously and, when refused, only loses the connection; this gives the caller a typed,
 * non-retryable {@link AuthenticationException} at once instead of a timeout later. The password is
 * never part of a message.
 */
final class SaslLogin {
    private static final int SASL_AUTH = 0x21;
    private static final int STATUS_AUTH_ERROR = 0x20;

    private SaslLogin() {
    }

    static void check(InetSocketAddress server, String user, String password, int timeoutMs, String where) {
        byte[] mechanism = "PLAIN".getBytes(StandardCharsets.US_ASCII);
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        int valueLength = 1 + u.length + 1 + p.length;
        ByteBuffer request = ByteBuffer.allocate(24 + mechanism.length + valueLength);
        request.put((byte) 0x80).put((byte) SASL_AUTH).putShort((short) mechanism.length).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(mechanism.length + valueLength).putInt(0).putLong(0);
        request.put(mechanism).put((byte) 0).put(u).put((byte) 0).put(p);
        String at = server.getHostString() + ":" + server.getPort();
        try (Socket s = new Socket()) {
            s.connect(server, timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(request.array());
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = new byte[24];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header);
            if (h.get(0) != (byte) 0x81) {
                throw new ConnectionException("memcached at " + at + " (of " + where + ") did not answer a binary-protocol login", null);
            }
            int status = h.getShort(6) & 0xFFFF;
            if (status == STATUS_AUTH_ERROR) {
                throw new AuthenticationException("memcached at " + at + " (of " + where + ") refused the credentials of user '" + user
                        + "' (SASL PLAIN)", null);
            }
            if (status != 0) {
                throw new ConnectionException("memcached at " + at + " (of " + where + ") answered the SASL login with status 0x"
                        + Integer.toHexString(status) + " (0x81: the server runs without SASL, -S)", null);
            }
        } catch (IOException e) {
            throw new ConnectionException("cannot log in to memcached at " + at + " (of " + where + "): " + e.getMessage(), e);
        }
    }
}
