package io.anymq.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without processes: a fixed data directory gives back its ports; BrokerHome's state files. The real runs are BrokerHomeRestartDrill. */
class BrokerHomeTest {

    @Test
    void aFixedDataDirectoryGivesBackEveryPortItSaved(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ports.properties"), "port=40001\nport.controller=40002\n");
        KafkaBroker kafka = (KafkaBroker) Brokers.local(BrokerKind.KAFKA, BrokerOptions.defaults().withDataDir(dir));
        assertThat(kafka.port()).isEqualTo(40001);
        assertThat(kafka.url()).isEqualTo("kafka://127.0.0.1:40001");
        assertThat(kafka.port("controller")).isEqualTo(40002);
        assertThat(kafka.dataDir()).isEqualTo(dir.toAbsolutePath());
        assertThatThrownBy(() -> Brokers.local(BrokerKind.KAFKA, BrokerOptions.defaults().withDataDir(dir).withPort(40005)))
                .isInstanceOf(BrokerException.class).hasMessageContaining("port 40001");
    }

    @Test
    void withoutAFixedDirectoryEachBrokerGetsItsOwnPortAndDirectory(@TempDir Path base) {
        LocalBroker a = Brokers.local(BrokerKind.NATS, BrokerOptions.defaults().withBaseDir(base));
        LocalBroker b = Brokers.local(BrokerKind.NATS, BrokerOptions.defaults().withBaseDir(base));
        assertThat(a.port()).isNotEqualTo(b.port());
        assertThat(a.dataDir()).isEqualTo(base.resolve("nats-" + a.port()).toAbsolutePath());
    }

    @Test
    void stateFilesOfAnOlderMqBrokerAreNamedNotManaged(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("redis.properties"), "kind=redis\nurl=redis\\://127.0.0.1\\:1\npid=123\npids=123\n");
        BrokerHome h = new BrokerHome(home);
        assertThat(h.list()).isEmpty();
        assertThatThrownBy(() -> h.entry(BrokerKind.REDIS)).isInstanceOf(BrokerException.class).hasMessageContaining("older mq broker");
        assertThatThrownBy(() -> h.restart(BrokerKind.NATS)).isInstanceOf(BrokerException.class).hasMessageContaining("start it first");
        assertThatThrownBy(() -> h.kill(BrokerKind.NATS)).isInstanceOf(BrokerException.class);
    }

    @Test
    void aRecordedProcessIsOnlyItselfWhileItsStartTimeMatches() {
        ProcessHandle me = ProcessHandle.current();
        BrokerHome.Proc self = BrokerHome.Proc.of(me);
        assertThat(self.alive()).isTrue();
        assertThat(BrokerHome.Proc.parse(self.toString())).isEqualTo(self);
        assertThat(new BrokerHome.Proc(me.pid(), self.startMillis() - 60_000).alive()).as("a reused pid").isFalse();
    }
}
