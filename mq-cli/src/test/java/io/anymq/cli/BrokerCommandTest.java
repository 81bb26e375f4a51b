package io.anymq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** mq broker start/list/logs/stop with a real Redis (installed by scripts/install-brokers.sh). */
class BrokerCommandTest {

    @Test
    void startListLogsStop(@TempDir Path home) {
        System.setProperty("mq.broker.home", home.toString());
        try {
            MainTest.Run started = MainTest.run("broker", "start", "redis");
            assertThat(started.exit()).as(started.err()).isZero();
            String[] lines = started.out().strip().split("\n");
            String url = lines[lines.length - 1];
            assertThat(url).startsWith("redis://127.0.0.1:");

            MainTest.Run again = MainTest.run("broker", "start", "redis");
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("already runs at " + url);

            MainTest.Run list = MainTest.run("broker", "list");
            assertThat(list.out()).contains("redis").contains("running").contains(url).contains(home.toString());

            assertThat(MainTest.run("broker", "logs", "redis", "--lines", "5").out()).contains("Ready to accept connections");

            MainTest.Run stopped = MainTest.run("broker", "stop", "redis");
            assertThat(stopped.exit()).as(stopped.err()).isZero();
            assertThat(MainTest.run("broker", "list").out()).contains("no brokers started");
            assertThat(MainTest.run("broker", "start", "nosuch").err()).contains("no broker named 'nosuch'");
        } finally {
            MainTest.run("broker", "stop", "redis");
            System.clearProperty("mq.broker.home");
        }
    }
}
