package io.anymq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mq broker start/list/logs/kill/restart/stop with a real Redis (installed by scripts/install-brokers.sh):
 * the port and the data are kept across kill, stop and restart until stop --delete, and the pid that
 * list shows is the one that serves.
 */
class BrokerCommandTest {

    @Test
    void startListLogsKillRestartStopDelete(@TempDir Path home) throws Exception {
        System.setProperty("mq.broker.home", home.toString());
        try {
            MainTest.Run started = MainTest.run("broker", "start", "redis");
            assertThat(started.exit()).as(started.err()).isZero();
            String url = lastLine(started.out());
            assertThat(url).startsWith("redis://127.0.0.1:");
            long pid = servingPid(home);
            // Debian's /usr/bin/redis-server is a link to redis-check-rdb (one binary): the process that serves, not a wrapper
            assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("")).containsAnyOf("redis-server", "redis-check-rdb");

            MainTest.Run again = MainTest.run("broker", "start", "redis");
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("already runs at " + url);

            MainTest.Run list = MainTest.run("broker", "list");
            assertThat(list.out()).contains("redis").contains("running").contains(url).contains(" " + pid + " ").contains(home.toString());
            assertThat(MainTest.run("broker", "logs", "redis", "--lines", "5").out()).contains("Ready to accept connections");

            MainTest.Run sent = MainTest.run("send", url, "orders", "kept across kill -9");
            assertThat(sent.exit()).as(sent.err()).isZero();

            MainTest.Run killed = MainTest.run("broker", "kill", "redis");
            assertThat(killed.exit()).as(killed.err()).isZero();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("killed").isFalse();
            assertThat(MainTest.run("broker", "list").out()).contains("dead");

            MainTest.Run restarted = MainTest.run("broker", "restart", "redis");
            assertThat(restarted.exit()).as(restarted.err()).isZero();
            assertThat(lastLine(restarted.out())).as("same port").isEqualTo(url);
            MainTest.Run got = MainTest.run("receive", url, "orders", "--group", "g", "--from", "earliest", "--timeout", "2s");
            assertThat(got.out()).as(got.err()).contains("kept across kill -9");

            MainTest.Run stopped = MainTest.run("broker", "stop", "redis");
            assertThat(stopped.exit()).as(stopped.err()).isZero();
            assertThat(stopped.out()).contains("data kept");
            assertThat(MainTest.run("broker", "list").out()).contains("stopped").contains(url);
            MainTest.Run otherPort = MainTest.run("broker", "start", "redis", "--port", "1");
            assertThat(otherPort.exit()).isEqualTo(2);
            assertThat(otherPort.err()).contains("keeps its data");
            MainTest.Run startedAgain = MainTest.run("broker", "start", "redis");
            assertThat(startedAgain.exit()).as(startedAgain.err()).isZero();
            assertThat(lastLine(startedAgain.out())).as("start after stop: same port").isEqualTo(url);

            long lastPid = servingPid(home);
            MainTest.Run deleted = MainTest.run("broker", "stop", "--delete", "redis");
            assertThat(deleted.exit()).as(deleted.err()).isZero();
            assertThat(ProcessHandle.of(lastPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(home.resolve("redis")).doesNotExist();
            assertThat(MainTest.run("broker", "list").out()).contains("no brokers started");
            assertThat(MainTest.run("broker", "restart", "redis").err()).contains("no broker named redis");
            assertThat(MainTest.run("broker", "start", "nosuch").err()).contains("no broker named 'nosuch'");
        } finally {
            MainTest.run("broker", "stop", "--delete", "redis");
            System.clearProperty("mq.broker.home");
        }
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static long servingPid(Path home) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(home.resolve("redis.properties"))) {
            p.load(r);
        }
        return Long.parseLong(p.getProperty("serving").split("@")[0]);
    }
}
