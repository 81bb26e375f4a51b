package io.anymq.redis;

import io.anymq.Capability;
import io.anymq.EnvelopeFormatException;
import io.anymq.Message;
import io.anymq.ProviderInfo;
import io.anymq.spi.EnvelopeCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of the list and zset modes: values, keys, scripts and capability sets. */
class QueueModesTest {

    @Test
    void anEnvelopeValueRoundTrips() {
        Message m = Message.builder().payload(new byte[]{0, 1, (byte) 0xAE}).key("k-ü").id("id-1").timestamp(Instant.ofEpochMilli(42))
                .deliverAt(Instant.ofEpochMilli(99)).header("trace", "grüß").build();
        byte[] value = QueueValues.encode(m);
        assertThat(EnvelopeCodec.looksLikeEnvelope(value)).isTrue();
        assertThat(QueueValues.decode(value)).isEqualTo(m);
    }

    @Test
    void aForeignValueIsThePayloadAndItsSha1TheId() {
        byte[] value = "{\"job\":7}".getBytes(StandardCharsets.UTF_8);
        Message m = QueueValues.decode(value);
        assertThat(m.payloadAsString()).isEqualTo("{\"job\":7}");
        assertThat(m.id()).isEqualTo(QueueValues.sha1(value)).hasSize(40);
        assertThat(m.key()).isNull();
        assertThat(m.headers()).isEmpty();
        assertThat(QueueValues.sha1("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    @Test
    void anEnvelopeWithoutIdGetsItsSha1() {
        byte[] value = EnvelopeCodec.encode(Message.of("no id"));
        assertThat(QueueValues.decode(value).id()).isEqualTo(QueueValues.sha1(value));
    }

    @Test
    void aBrokenEnvelopeIsAFormatError() {
        byte[] value = QueueValues.encode(Message.builder().payload("x").id("i").build());
        value[value.length - 1] ^= 1;
        assertThatThrownBy(() -> QueueValues.decode(value)).isInstanceOf(EnvelopeFormatException.class);
    }

    @Test
    void keysOfATopicShareItsHashTag() {
        assertThat(RedisKeys.prefix(RedisMode.LIST, "orders")).isEqualTo("anymq:{orders}:list:");
        assertThat(new String(RedisKeys.groups(RedisMode.ZSET, "orders"), StandardCharsets.UTF_8)).isEqualTo("anymq:{orders}:zset:groups");
        assertThat(new String(RedisKeys.sequence(RedisMode.ZSET, "orders"), StandardCharsets.UTF_8)).isEqualTo("anymq:{orders}:zset:seq");
        assertThat(new String(RedisKeys.group(RedisMode.LIST, "orders", "billing", "ready"), StandardCharsets.UTF_8))
                .isEqualTo("anymq:{orders}:list:billing:ready");
        assertThatThrownBy(() -> RedisKeys.prefix(RedisMode.STREAM, "orders")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scriptsLoadWithTheCommonHelpersAndAStableSha() {
        for (RedisScript s : new RedisScript[]{RedisScript.LIST_SEND, RedisScript.LIST_TAKE, RedisScript.LIST_SETTLE, RedisScript.LIST_COMMIT,
                RedisScript.ZSET_SEND, RedisScript.ZSET_TAKE, RedisScript.ZSET_SETTLE, RedisScript.ZSET_COMMIT, RedisScript.STREAM_SETTLE,
                RedisScript.STREAM_COMMIT}) {
            String body = new String(s.body(), StandardCharsets.UTF_8);
            assertThat(body).contains("local function nowMs()").contains("local function countKey(v)");
            assertThat(s.sha()).hasSize(40).isEqualTo(QueueValues.sha1(s.body()));
        }
        assertThat(RedisScript.LIST_TAKE.sha()).isEqualTo(RedisScript.load("list-take").sha());
        // the send, settle and commit scripts of a mode share its library's steps
        for (RedisScript s : new RedisScript[]{RedisScript.LIST_SEND, RedisScript.LIST_SETTLE, RedisScript.LIST_COMMIT}) {
            assertThat(new String(s.body(), StandardCharsets.UTF_8)).contains("local function listSettleOne(");
        }
        for (RedisScript s : new RedisScript[]{RedisScript.ZSET_SEND, RedisScript.ZSET_SETTLE, RedisScript.ZSET_COMMIT}) {
            assertThat(new String(s.body(), StandardCharsets.UTF_8)).contains("local function zsetSettleOne(");
        }
    }

    @Test
    void clusterUrlsAreRecognisedByTheirScheme() {
        assertThat(new RedisProvider().schemes()).contains("redis", "rediss", "redis-cluster", "rediss-cluster");
        assertThat(RedisConnections.isCluster(io.anymq.MqUrl.parse("redis-cluster://a:1,b:2"))).isTrue();
        assertThat(RedisConnections.isCluster(io.anymq.MqUrl.parse("rediss-cluster://a:1"))).isTrue();
        assertThat(RedisConnections.isCluster(io.anymq.MqUrl.parse("redis://a:1"))).isFalse();
        assertThat(io.anymq.MqUrl.parse("redis-cluster://a:1,b:2").hosts()).hasSize(2);
    }

    @Test
    void onlyFailuresThatPassAreTriedAgain() {
        io.lettuce.core.RedisException loading = new io.lettuce.core.RedisLoadingException("LOADING Redis is loading the dataset in memory");
        io.lettuce.core.RedisException clusterDown = new io.lettuce.core.RedisException("CLUSTERDOWN The cluster is down");
        io.lettuce.core.RedisException lost = new io.lettuce.core.RedisException("Connection closed");
        io.lettuce.core.RedisException script = new io.lettuce.core.RedisException("ERR Error running script");
        assertThat(RedisScript.passing(loading, false)).isTrue();
        assertThat(RedisScript.passing(clusterDown, false)).isTrue();
        assertThat(RedisScript.passing(new java.util.concurrent.CompletionException(loading), false)).isTrue();
        assertThat(RedisScript.passing(lost, false)).as("a send may have run: not again").isFalse();
        assertThat(RedisScript.passing(lost, true)).as("a settlement may run twice").isTrue();
        assertThat(RedisScript.passing(script, true)).isFalse();
    }

    @Test
    void theServerVersionIsReadFromInfo() {
        assertThat(RedisConnections.serverVersion("# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n")).isEqualTo("7.0.15");
        assertThat(RedisConnections.serverVersion("# Server\r\n")).isNull();
        assertThat(RedisConnections.atLeast("7.0.15", 6, 2)).isTrue();
        assertThat(RedisConnections.atLeast("6.2.0", 6, 2)).isTrue();
        assertThat(RedisConnections.atLeast("6.0.16", 6, 2)).isFalse();
        assertThat(RedisConnections.atLeast("5.0.7", 6, 2)).isFalse();
        assertThat(RedisConnections.atLeast("unstable", 6, 2)).isTrue();
    }

    @Test
    void eachModeDeclaresItsOwnCapabilities() {
        Map<String, ProviderInfo.Mode> modes = new RedisProvider().modes().stream()
                .collect(Collectors.toMap(ProviderInfo.Mode::name, m -> m));
        assertThat(modes).containsOnlyKeys("stream", "list", "zset");
        assertThat(modes.get("list").capabilities().declared()).containsExactlyInAnyOrder(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE,
                Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT,
                Capability.DELIVERY_COUNT, Capability.DEAD_LETTER, Capability.BATCH_SEND, Capability.TOPIC_DELETION,
                Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK);
        assertThat(modes.get("zset").capabilities().declared()).containsExactlyInAnyOrder(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE,
                Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT,
                Capability.DELIVERY_COUNT, Capability.DEAD_LETTER, Capability.BATCH_SEND, Capability.DELAYED_DELIVERY, Capability.TOPIC_DELETION,
                Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK);
        for (String m : new String[]{"list", "zset"}) {
            assertThat(modes.get(m).capabilities().declared()).doesNotContain(Capability.KEY_ORDERING, Capability.REPLAY_FROM_EARLIEST,
                    Capability.START_AT_TIME, Capability.NATIVE_HEADERS);
        }
        assertThat(RedisProvider.capabilities(RedisMode.LIST, false, false)).doesNotContain(Capability.PERSISTENCE);
        assertThat(modes.get("stream").capabilities().declared()).contains(Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME,
                        Capability.NATIVE_HEADERS)
                .doesNotContain(Capability.DELAYED_DELIVERY);
        // a transaction is one script: on a standalone server only (a Cluster's keys of one transaction lie in several slots)
        for (RedisMode mode : RedisMode.values()) {
            assertThat(RedisProvider.capabilities(mode, true, false)).contains(Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK);
            assertThat(RedisProvider.capabilities(mode, true, true)).doesNotContain(Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK);
        }
    }

    @Test
    void aStreamGroupAtATimeIsCreatedAfterTheLastIdOfTheMillisecondBefore() {
        assertThat(StreamConsumerDriver.groupStart(io.anymq.StartPosition.EARLIEST)).isEqualTo("0");
        assertThat(StreamConsumerDriver.groupStart(io.anymq.StartPosition.LATEST)).isEqualTo("$");
        assertThat(StreamConsumerDriver.groupStart(io.anymq.StartPosition.at(java.time.Instant.ofEpochMilli(1_700_000_000_123L).plusNanos(400_000))))
                .isEqualTo("1700000000122-18446744073709551615");
        assertThat(StreamConsumerDriver.groupStart(io.anymq.StartPosition.at(java.time.Instant.EPOCH))).isEqualTo("0");
    }
}
