package io.anymq.jms;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.spi.TrustStores;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * One TCP connect before the JMS client's first connect: ActiveMQ's failover transport keeps
 * retrying an address that does not answer (a black-holed host) whatever its start-up limit says,
 * so an unreachable broker would hang {@code connect}. This makes it a {@link ConnectionException}
 * within {@code connect-timeout}, for every dialect alike. With TLS it also does one TLS handshake
 * with the same trust store and host-name check as the client: a certificate the trust store does not
 * trust (or that does not name the host) is an {@link AuthenticationException} (not retryable: the
 * same trust store fails again) that says so, where the clients would report a lost connection
 * (Artemis: "cannot connect to server(s)") or retry.
 */
final class Reachability {
    private Reachability() {
    }

    static void check(JmsSettings s, String where) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), (int) s.connectTimeout().toMillis());
            if (s.tls()) {
                handshake(socket, s, where);
            }
        } catch (UnknownHostException e) {
            throw new ConnectionException("cannot connect to " + where + ": unknown host '" + s.host() + "'", e);
        } catch (IOException e) {
            throw new ConnectionException("cannot connect to " + where + " within " + s.connectTimeout() + ": " + JmsErrors.describe(e), e);
        }
    }

    private static void handshake(Socket socket, JmsSettings s, String where) throws IOException {
        socket.setSoTimeout((int) s.connectTimeout().toMillis());
        try (SSLSocket tls = (SSLSocket) TrustStores.sslContext(s.trustStore(), s.trustStorePassword()).getSocketFactory()
                .createSocket(socket, s.host(), s.port(), false)) {
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as the clients check it
            tls.setSSLParameters(p);
            tls.startHandshake();
        } catch (SSLException e) {
            throw new AuthenticationException("TLS handshake with " + where + " failed (" + JmsErrors.describe(e) + "): the port must speak TLS, "
                    + (s.trustStore() == null ? "the JVM's default trust store" : "the trust store " + s.trustStore())
                    + " must trust the broker's certificate, and the certificate must name the host '" + s.host() + "'", e);
        }
    }
}
