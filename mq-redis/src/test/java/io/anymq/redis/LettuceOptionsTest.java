package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LettuceOptionsTest {

    @Test
    void knownOptionsReachTheBuilders() {
        Map<String, String> natives = Map.of("auto-reconnect", "false", "request-queue-size", "1000", "protocol-version", "resp2",
                "disconnected-behavior", "reject-commands", "socket.keep-alive", "true", "socket.tcp-no-delay", "false");
        LettuceOptions.check(natives);
        ClientOptions.Builder client = ClientOptions.builder();
        SocketOptions.Builder socket = SocketOptions.builder();
        LettuceOptions.apply(natives, client, socket);
        ClientOptions built = client.build();
        assertThat(built.isAutoReconnect()).isFalse();
        assertThat(built.getRequestQueueSize()).isEqualTo(1000);
        assertThat(built.getConfiguredProtocolVersion()).isEqualTo(ProtocolVersion.RESP2);
        assertThat(built.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        SocketOptions s = socket.build();
        assertThat(s.isKeepAlive()).isTrue();
        assertThat(s.isTcpNoDelay()).isFalse();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> LettuceOptions.check(Map.of("auto-reconect", "true"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("redis.auto-reconect").hasMessageContaining("redis.auto-reconnect");
    }

    @Test
    void aBadValueNamesTheOption() {
        assertThatThrownBy(() -> LettuceOptions.check(Map.of("auto-reconnect", "yes"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("redis.auto-reconnect");
        assertThatThrownBy(() -> LettuceOptions.check(Map.of("protocol-version", "RESP9"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> LettuceOptions.check(Map.of("request-queue-size", "many"))).isInstanceOf(ConfigurationException.class);
    }
}
