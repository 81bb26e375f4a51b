package io.anymq.redis;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.anymq.Redaction;
import io.anymq.spi.Uninterruptibly;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;

import java.io.File;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds the lettuce client from the configuration and connects, mapping failures onto typed errors. */
final class RedisConnections {
    private RedisConnections() {
    }

    /**
     * A connected client (a {@link RedisClient}, or a {@link RedisClusterClient} for {@code redis-cluster://})
     * and the connection for producers, settlements and management commands.
     */
    record Connected(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
                     RedisClusterAsyncCommands<byte[], byte[]> async, boolean persistent, java.util.concurrent.atomic.AtomicBoolean closed) {

        Connected(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
                  RedisClusterAsyncCommands<byte[], byte[]> async, boolean persistent) {
            this(client, connection, async, persistent, new java.util.concurrent.atomic.AtomicBoolean());
        }

        /** A Redis Cluster ({@code redis-cluster://}): one script touches the keys of one hash slot only. */
        boolean cluster() {
            return client instanceof RedisClusterClient;
        }

        /**
         * A new connection of its own, for a consumer that blocks. A failure is a {@link ConnectionException} (lettuce
         * fails a connect on an interrupted thread with its own "Unable to connect", which reached the application).
         */
        Blocking openBlocking() {
            try {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<byte[], byte[]> c = cluster.connect(ByteArrayCodec.INSTANCE);
                    return new Blocking(c, c.sync(), c.async());
                }
                StatefulRedisConnection<byte[], byte[]> c = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
                return new Blocking(c, c.sync(), c.async());
            } catch (io.lettuce.core.RedisException e) {
                throw new ConnectionException("cannot open the consumer's connection to Redis: " + describe(e), e);
            }
        }
    }

    /**
     * A consumer's own connection, its blocking commands ({@code sync}, for set-up) and its asynchronous ones, which a
     * poll waits for with {@link #await}: lettuce holds a command sent while its connection is down until it reconnects
     * or the command timeout (10 s by default) passes, and a poll must not block that long (the core's receive loop
     * waits one short slice per poll and then applies the consumer's connection-loss timeout).
     */
    record Blocking(StatefulConnection<byte[], byte[]> connection, RedisClusterCommands<byte[], byte[]> sync,
                    RedisClusterAsyncCommands<byte[], byte[]> async) implements AutoCloseable {
        /** How often a wait looks at the connection. */
        static final long CHECK_MS = 20;

        /** Whether the connection is up; when it is not, waits for it up to {@code maxWait} and says whether it came back. */
        boolean awaitOpen(Duration maxWait) throws InterruptedException {
            long end = System.nanoTime() + maxWait.toNanos();
            while (!connection.isOpen()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Thread.sleep(Math.max(1, Math.min(CHECK_MS, left / 1_000_000)));
            }
            return true;
        }

        /**
         * The result of a command sent on this connection: waits up to the command timeout while the connection is up; once
         * it is down, gives up the command at once and returns null (what a command that the server may still run takes, an
         * entry read into this member's pending list or in-flight set, comes back after its ack timeout).
         * An interrupt does not give the command up: the server runs it anyway, and what it takes (entries
         * moved into this member's pending list or in-flight set) would be answered to nobody and wait for its
         * ack timeout. The wait goes on (a poll's commands block for one poll slice at most) and the interrupt
         * flag is set again when the answer is in, for the caller's next wait to see.
         */
        <T> T await(CompletionStage<T> command) {
            CompletableFuture<T> f = command.toCompletableFuture();
            long timeout = connection.getTimeout().toNanos();
            long end = System.nanoTime() + timeout;
            while (true) {
                try {
                    return Uninterruptibly.get(f, CHECK_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (!connection.isOpen()) {
                        f.cancel(false);
                        return null;
                    }
                    if (System.nanoTime() - end >= 0) {
                        f.cancel(false);
                        throw new RedisCommandTimeoutException("Command timed out after " + (timeout / 1_000_000) + " ms");
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
                    throw cause instanceof RedisException r ? r : new RedisException(cause);
                }
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** Whether the URL names a Redis Cluster ({@code redis-cluster://}, {@code rediss-cluster://}). */
    static boolean isCluster(MqUrl url) {
        return url.scheme().endsWith("-cluster");
    }

    private static RedisURI uri(MqUrl url, MqUrl.HostPort hp, RedisSettings settings, boolean tls) {
        RedisURI.Builder b = RedisURI.builder().withHost(hp.host()).withPort(hp.portOr(6379))
                .withTimeout(settings.commandTimeout()).withSsl(tls).withVerifyPeer(settings.tlsVerify());
        if (url.password() != null) {
            if (url.user() != null) {
                b.withAuthentication(url.user(), url.password().toCharArray());
            } else {
                b.withPassword(url.password().toCharArray());
            }
        }
        if (!url.path().isEmpty()) {
            int db;
            try {
                db = Integer.parseInt(url.path());
            } catch (NumberFormatException e) {
                throw new io.anymq.ConfigurationException("the path of a Redis URL is the database number, not '" + url.path() + "'");
            }
            if (isCluster(url) && db != 0) {
                throw new io.anymq.ConfigurationException("a Redis Cluster has only database 0, not " + db);
            }
            b.withDatabase(db);
        }
        return b.build();
    }

    static Connected connect(MessagingConfig config, RedisSettings settings) {
        MqUrl url = config.url();
        MqUrl.HostPort hp = url.requireHosts(6379).get(0);
        boolean tls = url.scheme().startsWith("rediss");
        Map<String, String> natives = config.withPrefix(RedisSettings.NATIVE_PREFIX);
        LettuceOptions.check(natives);
        SocketOptions.Builder socketBuilder = SocketOptions.builder().connectTimeout(settings.connectTimeout());
        LettuceOptions.apply(natives, ClientOptions.builder(), socketBuilder);
        SocketOptions socket = socketBuilder.build();
        String truststorePassword = RedisSettings.TRUSTSTORE_PASSWORD.get(config);
        SslOptions ssl = java.util.Optional.ofNullable(RedisSettings.TRUSTSTORE.get(config)).map(path -> SslOptions.builder()
                .truststore(new File(path), truststorePassword == null ? "" : truststorePassword).build()).orElse(null);
        AbstractRedisClient client;
        if (isCluster(url)) {
            List<RedisURI> seeds = url.hosts().stream().map(h -> uri(url, h, settings, tls)).toList();
            RedisClusterClient cluster = RedisClusterClient.create(seeds.isEmpty() ? List.of(uri(url, hp, settings, tls)) : seeds);
            ClusterClientOptions.Builder options = ClusterClientOptions.builder().socketOptions(socket).autoReconnect(true)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30)).build());
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            LettuceOptions.apply(natives, options, SocketOptions.builder());
            cluster.setOptions(options.build());
            client = cluster;
        } else {
            RedisClient single = RedisClient.create(uri(url, hp, settings, tls));
            ClientOptions.Builder options = ClientOptions.builder().socketOptions(socket).autoReconnect(true);
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            LettuceOptions.apply(natives, options, SocketOptions.builder());
            single.setOptions(options.build());
            client = single;
        }
        String where = Redaction.url(url.toString());
        try {
            if (client instanceof RedisClusterClient cluster) {
                StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
                connection.sync().ping();
                requireVersion(connection.sync(), where);
                return new Connected(client, connection, connection.async(), persistent(connection));
            }
            StatefulRedisConnection<byte[], byte[]> connection = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
            connection.sync().ping();
            requireVersion(connection.sync(), where);
            return new Connected(client, connection, connection.async(), persistent(connection.sync()));
        } catch (io.anymq.ConfigurationException e) {
            shutdown(client);
            throw e;
        } catch (RuntimeException e) {
            shutdown(client);
            String text = describe(e);
            if (!text.contains("WRONGPASS") && url.password() != null && !tls) {
                text = text + authProbe(hp.host(), hp.portOr(6379), url.user(), url.password());
            }
            if (text.contains("WRONGPASS") || text.contains("NOAUTH") || text.contains("invalid password")
                    || text.contains("invalid username-password")) {
                throw new AuthenticationException("Redis at " + where + " refused the credentials: " + text, e);
            }
            throw new ConnectionException("cannot connect to Redis at " + where + ": " + text, e);
        }
    }

    /**
     * Every mode needs Redis 6.2 or later ({@code BLMOVE}, {@code XPENDING ... IDLE}): an older server is a
     * {@link io.anymq.ConfigurationException} now rather than an unknown command later. When {@code INFO} is
     * forbidden, the server is taken at its word.
     */
    private static void requireVersion(RedisClusterCommands<byte[], byte[]> c, String where) {
        String version;
        try {
            version = serverVersion(c.info("server"));
        } catch (RuntimeException cannotAsk) {
            return;
        }
        if (version != null && !atLeast(version, 6, 2)) {
            throw new io.anymq.ConfigurationException("Redis at " + where + " runs " + version + "; mq-redis needs 6.2 or later");
        }
    }

    /** {@code redis_version} from the text of {@code INFO server}, or null. */
    static String serverVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).strip();
            }
        }
        return null;
    }

    /** Whether a dotted version is at least major.minor. */
    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return true; // not a version we can read: do not refuse
        }
    }

    /** Whether acknowledged writes survive a crash: AOF on, with fsync on every write. */
    private static boolean persistent(RedisClusterCommands<byte[], byte[]> c) {
        try {
            List<?> aof = c.configGet("appendonly").entrySet().stream().map(java.util.Map.Entry::getValue).toList();
            List<?> fsync = c.configGet("appendfsync").entrySet().stream().map(java.util.Map.Entry::getValue).toList();
            return aof.contains("yes") && fsync.contains("always");
        } catch (RuntimeException cannotAsk) {
            return false; // CONFIG may be forbidden (managed Redis, ACLs): then PERSISTENCE is not declared
        }
    }

    /** A cluster persists when every master does. */
    private static boolean persistent(StatefulRedisClusterConnection<byte[], byte[]> c) {
        try {
            List<RedisClusterNode> masters = c.getPartitions().stream().filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM)).toList();
            return !masters.isEmpty() && masters.stream().allMatch(n -> persistent(c.getConnection(n.getNodeId()).sync()));
        } catch (RuntimeException cannotAsk) {
            return false;
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

    /**
     * Shuts a lettuce client down without waiting forever: lettuce's own {@code shutdown()} waits for its
     * resources' future without a bound, and a full test run once hung there for 15 minutes after its event
     * loops were gone. Waits at most 10 s (the event loops get 2 s to finish), then logs and returns.
     * A known lettuce bug (redis/lettuce#2278, open: {@code AbstractRedisClient.shutdown()} never returns
     * sometimes); OpenTelemetry's and Infinispan's tests bound it the same way.
     */
    static void shutdown(io.lettuce.core.AbstractRedisClient client) {
        try {
            client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            org.slf4j.LoggerFactory.getLogger(RedisConnections.class)
                    .warn("the Redis client's shutdown did not finish within 10 s; its threads may linger");
        } catch (java.util.concurrent.ExecutionException e) {
            org.slf4j.LoggerFactory.getLogger(RedisConnections.class).debug("the Redis client's shutdown failed", e.getCause());
        }
    }
}
