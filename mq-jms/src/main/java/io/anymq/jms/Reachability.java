package io.anymq.jms;

import io.anymq.ConnectionException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * One TCP connect before the JMS client's first connect: ActiveMQ's failover transport keeps
 * retrying an address that does not answer (a black-holed host) whatever its start-up limit says,
 * so an unreachable broker would hang {@code connect}. This makes it a {@link ConnectionException}
 * within {@code connect-timeout}, for every dialect alike.
 */
final class Reachability {
    private Reachability() {
    }

    static void check(JmsSettings s, String where) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), (int) s.connectTimeout().toMillis());
        } catch (UnknownHostException e) {
            throw new ConnectionException("cannot connect to " + where + ": unknown host '" + s.host() + "'", e);
        } catch (IOException e) {
            throw new ConnectionException("cannot connect to " + where + " within " + s.connectTimeout() + ": " + JmsErrors.describe(e), e);
        }
    }
}
