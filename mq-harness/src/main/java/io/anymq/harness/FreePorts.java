package io.anymq.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports: bind port 0, read it, close. Never hands out the same port twice in a JVM. */
public final class FreePorts {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                int port = s.getLocalPort();
                if (GIVEN.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new BrokerException("no fresh free loopback port after 50 attempts");
    }
}
