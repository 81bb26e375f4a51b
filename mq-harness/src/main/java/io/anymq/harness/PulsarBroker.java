package io.anymq.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Pulsar 4.0.7 standalone in its own JVM: RocksDB metadata store (no ZooKeeper), a bookie without
 * a fixed port, functions and transactions off. Restart after a graceful stop is clean; after
 * {@code kill -9} the bookie may loop while it re-registers (a known problem of this mode, see
 * shared/brokers.md), so fault tests should stop Pulsar gracefully.
 */
final class PulsarBroker extends JvmBroker {
    private final int webPort;
    private String classpath;

    PulsarBroker(BrokerOptions options) {
        super(BrokerKind.PULSAR, options);
        this.webPort = FreePorts.next();
        if (options.user() != null || options.tls()) {
            throw new BrokerException("pulsar: users and TLS are not offered by this harness yet");
        }
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("pulsar");
        write(dataDir.resolve("standalone.conf"), String.join("\n",
                "bindAddress=" + HOST, "advertisedAddress=" + HOST, "brokerServicePort=" + port, "webServicePort=" + webPort,
                "clusterName=standalone", "managedLedgerDefaultEnsembleSize=1", "managedLedgerDefaultWriteQuorum=1",
                "managedLedgerDefaultAckQuorum=1", "functionsWorkerEnabled=false", "transactionCoordinatorEnabled=false",
                "systemTopicEnabled=true", "topicLevelPoliciesEnabled=true", "allowAutoTopicCreation=true",
                "allowAutoTopicCreationType=non-partitioned", "brokerDeleteInactiveTopicsEnabled=false",
                "dbStorage_writeCacheMaxSizeMb=32", "dbStorage_readAheadCacheMaxSizeMb=32", "dbStorage_rocksDB_blockCacheSize=16777216",
                "journalMaxSizeMB=256", "delayedDeliveryEnabled=true", "acknowledgmentAtBatchIndexLevelEnabled=true", ""));
        nativeProperties.put("serviceUrl", "pulsar://" + HOST + ":" + port);
        nativeProperties.put("adminUrl", "http://" + HOST + ":" + webPort);
    }

    @Override
    protected void launch() {
        ManagedProcess p = spawnJava("pulsar", classpath, List.of("-Xmx768m", "-XX:MaxDirectMemorySize=512m",
                        "-Dpulsar.log.level=info", "-Dorg.apache.logging.log4j.level=INFO", "-Djute.maxbuffer=10485760"),
                "org.apache.pulsar.PulsarStandaloneStarter", List.of("--config", dataDir.resolve("standalone.conf").toString(),
                        "--no-functions-worker", "--no-stream-storage", "--metadata-dir", dataDir.resolve("meta").toString(),
                        "--bookkeeper-dir", dataDir.resolve("bk").toString(), "--bookkeeper-port", "0"), Map.of());
        Readiness.await("pulsar on port " + port, Duration.ofSeconds(180),
                () -> Probes.httpOk("http://" + HOST + ":" + webPort + "/admin/v2/brokers/health"), p);
    }

    @Override
    public String url() {
        return "pulsar://" + HOST + ":" + port;
    }
}
