package io.anymq.redis;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.anymq.Redaction;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.io.File;
import java.util.List;

/** Builds the lettuce client from the configuration and connects, mapping failures onto typed errors. */
final class RedisConnections {
    private RedisConnections() {
    }

    /** A connected client and the connection for producers and management commands. */
    record Connected(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, boolean persistent) {
    }

    static Connected connect(MessagingConfig config, RedisSettings settings) {
        MqUrl url = config.url();
        MqUrl.HostPort hp = url.firstHost("127.0.0.1", 6379);
        RedisURI.Builder b = RedisURI.builder().withHost(hp.host()).withPort(hp.portOr(6379))
                .withTimeout(settings.commandTimeout()).withSsl(url.scheme().equals("rediss")).withVerifyPeer(settings.tlsVerify());
        if (url.password() != null) {
            if (url.user() != null) {
                b.withAuthentication(url.user(), url.password().toCharArray());
            } else {
                b.withPassword(url.password().toCharArray());
            }
        }
        if (!url.path().isEmpty()) {
            try {
                b.withDatabase(Integer.parseInt(url.path()));
            } catch (NumberFormatException e) {
                throw new io.anymq.ConfigurationException("the path of a Redis URL is the database number, not '" + url.path() + "'");
            }
        }
        RedisClient client = RedisClient.create(b.build());
        ClientOptions.Builder options = ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                .autoReconnect(true);
        config.get("tls.truststore").ifPresent(path -> options.sslOptions(SslOptions.builder()
                .truststore(new File(path), config.get("tls.truststore-password").orElse("")).build()));
        client.setOptions(options.build());
        String where = Redaction.url(url.toString());
        try {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            connection.sync().ping();
            return new Connected(client, connection, persistent(connection));
        } catch (RuntimeException e) {
            client.shutdown();
            String text = describe(e);
            if (!text.contains("WRONGPASS") && url.password() != null && !url.scheme().equals("rediss")) {
                text = text + authProbe(hp.host(), hp.portOr(6379), url.user(), url.password());
            }
            if (text.contains("WRONGPASS") || text.contains("NOAUTH") || text.contains("invalid password")
                    || text.contains("invalid username-password")) {
                throw new AuthenticationException("Redis at " + where + " refused the credentials: " + text, e);
            }
            throw new ConnectionException("cannot connect to Redis at " + where + ": " + text, e);
        }
    }

    /** Whether acknowledged writes survive a crash: AOF on, with fsync on every write. */
    private static boolean persistent(StatefulRedisConnection<byte[], byte[]> c) {
        try {
            List<?> aof = c.sync().configGet("appendonly").entrySet().stream().map(java.util.Map.Entry::getValue).toList();
            List<?> fsync = c.sync().configGet("appendfsync").entrySet().stream().map(java.util.Map.Entry::getValue).toList();
            return aof.contains("yes") && fsync.contains("always");
        } catch (RuntimeException cannotAsk) {
            return false; // CONFIG may be forbidden (managed Redis, ACLs): then PERSISTENCE is not declared
        }
    }

    /**
     * lettuce does not always say why a handshake failed; ask the server directly with AUTH over a
     * plain socket, so that refused credentials are reported as such. Empty when it cannot tell.
     */
    private static String authProbe(String host, int port, String user, String password) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 2000);
            s.setSoTimeout(2000);
            String[] parts = user == null ? new String[]{"AUTH", password} : new String[]{"AUTH", user, password};
            StringBuilder cmd = new StringBuilder("*").append(parts.length).append("\r\n");
            for (String p : parts) {
                cmd.append('$').append(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
            }
            s.getOutputStream().write(cmd.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] reply = new byte[128];
            int n = s.getInputStream().read(reply);
            String line = n <= 0 ? "" : new String(reply, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
            return line.startsWith("-") ? " (the server says: " + line.substring(1) + ")" : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        return b.toString();
    }
}
