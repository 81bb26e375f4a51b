package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pulsar 4.0.7 standalone in its own JVM: RocksDB metadata store (no ZooKeeper, nothing listens
 * beyond loopback), a bookie without a fixed port, functions and transactions off. Survives
 * {@code kill -9}: before every start on existing data, {@code PulsarMetadataCleaner} removes the
 * ephemeral nodes the previous (dead) instance left in the metadata store, which otherwise can make
 * the bookie's registration loop at high CPU (see the launcher's comment and this module's README).
 */
final class PulsarBroker extends JvmBroker {
    private final int webPort;
    private String classpath;
    private Path cleaner;

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
        cleaner = launcherSource("PulsarMetadataCleaner.java");
        write(dataDir.resolve("standalone.conf"), String.join("\n",
                "bindAddress=" + HOST, "advertisedAddress=" + HOST, "brokerServicePort=" + port, "webServicePort=" + webPort,
                "clusterName=standalone", "managedLedgerDefaultEnsembleSize=1", "managedLedgerDefaultWriteQuorum=1",
                "managedLedgerDefaultAckQuorum=1", "functionsWorkerEnabled=false", "transactionCoordinatorEnabled=false",
                "systemTopicEnabled=true", "topicLevelPoliciesEnabled=true", "allowAutoTopicCreation=true",
                "allowAutoTopicCreationType=non-partitioned", "brokerDeleteInactiveTopicsEnabled=false",
                "dbStorage_writeCacheMaxSizeMb=32", "dbStorage_readAheadCacheMaxSizeMb=32", "dbStorage_rocksDB_blockCacheSize=16777216",
                "journalMaxSizeMB=256", "delayedDeliveryEnabled=true", "acknowledgmentAtBatchIndexLevelEnabled=true",
                // without it the broker may deliver a delayed message up to delayedDeliveryTickTimeMillis (1 s) early
                "delayedDeliveryDeliverAtTimeStrict=true", ""));
        nativeProperties.put("serviceUrl", "pulsar://" + HOST + ":" + port);
        nativeProperties.put("adminUrl", "http://" + HOST + ":" + webPort);
    }

    @Override
    protected void launch() {
        if (Files.isDirectory(dataDir.resolve("meta"))) {
            removeStaleEphemeralNodes();
        }
        ManagedProcess p = spawnJava("pulsar", classpath, List.of("-Xmx768m", "-XX:MaxDirectMemorySize=512m",
                        "-Dpulsar.log.level=info", "-Dorg.apache.logging.log4j.level=INFO", "-Djute.maxbuffer=10485760"),
                "org.apache.pulsar.PulsarStandaloneStarter", List.of("--config", dataDir.resolve("standalone.conf").toString(),
                        "--no-functions-worker", "--no-stream-storage", "--metadata-dir", dataDir.resolve("meta").toString(),
                        "--bookkeeper-dir", dataDir.resolve("bk").toString(), "--bookkeeper-port", "0"), Map.of());
        Readiness.await("pulsar on port " + port, Duration.ofSeconds(180),
                () -> Probes.httpOk("http://" + HOST + ":" + webPort + "/admin/v2/brokers/health"), p);
    }

    /** Runs PulsarMetadataCleaner on the metadata store while no broker holds it (see its comment). */
    private void removeStaleEphemeralNodes() {
        Path log = dataDir.resolve("logs").resolve("pulsar-metadata-clean.log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(java(), "-Xmx128m", "-cp", classpath, cleaner.toString(), dataDir.resolve("meta").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new BrokerException("pulsar: cleaning the metadata store failed, see " + log);
            }
        } catch (IOException e) {
            throw new BrokerException("pulsar: could not clean the metadata store: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while cleaning the pulsar metadata store", e);
        }
    }

    @Override
    public String url() {
        return "pulsar://" + HOST + ":" + port;
    }
}
