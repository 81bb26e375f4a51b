package io.anymq.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

    /**
     * A free port {@code p} whose {@code p - below} is free too, both given out: for a server that opens a
     * second listener at a fixed distance below the port it is told (RocketMQ's broker: {@code listenPort - 2}).
     */
    public static synchronized int nextWithFreeBelow(int below) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = next();
            int lower = port - below;
            if (lower > 1024 && !GIVEN.contains(lower) && bindable(lower)) {
                GIVEN.add(lower);
                return port;
            }
        }
        throw new BrokerException("no fresh free loopback port p with p - " + below + " free too after 50 attempts");
    }

    /** Whether this JVM gave the port out already. */
    static synchronized boolean isGiven(int port) {
        return GIVEN.contains(port);
    }

    /** Whether the port can be bound on every interface now (a server that listens on all of them needs that). */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
