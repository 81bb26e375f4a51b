package io.anymq.pulsar;

import com.sun.net.httpserver.HttpServer;
import io.anymq.AuthenticationException;
import io.anymq.MessagingConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code StartPosition.at} asks the admin API before subscribing: whether the subscription exists. */
class PulsarTopicsTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private PulsarTopics topics(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                exchange.getResponseBody().write(b);
            }
            exchange.close();
        });
        server.start();
        String admin = "http://127.0.0.1:" + server.getAddress().getPort();
        return new PulsarTopics(PulsarSettings.from(MessagingConfig.of("pulsar://127.0.0.1:6650?tenant=t&namespace=n&token=secret.jwt&admin-url=" + admin)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aListedSubscriptionExists() throws Exception {
        PulsarTopics topics = topics(200, "[\"persistent-other\",\"billing\"]");
        assertThat(topics.hasSubscription("orders", "billing")).isTrue();
        assertThat(topics.hasSubscription("orders", "bill")).isFalse();
        assertThat(asked).first().isEqualTo("GET /admin/v2/persistent/t/n/orders/subscriptions Bearer secret.jwt");
    }

    @Test
    void aTopicThatDoesNotExistHasNone() throws Exception {
        assertThat(topics(404, "{\"reason\":\"Topic not found\"}").hasSubscription("orders", "billing")).isFalse();
    }

    @Test
    void aRefusalSaysWhoRefusedWhat() throws Exception {
        PulsarTopics topics = topics(403, "{\"reason\":\"not authorized\"}");
        assertThatThrownBy(() -> topics.hasSubscription("orders", "billing")).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("list the subscriptions of 'orders'").hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("secret.jwt");
    }

    @Test
    void theBacklogIsTheSubscriptionsOwn() throws Exception {
        String stats = "{\"msgRateIn\":0.0,\"subscriptions\":{\"other\":{\"msgBacklog\":7,\"consumers\":[{\"consumerName\":\"g\"}]},"
                + "\"g\" : {\"msgRateOut\":0.0,\"msgBacklog\" : 5,\"unackedMessages\":0,\"consumers\":[]}},\"replication\":{}}";
        PulsarTopics topics = topics(200, stats);
        assertThat(topics.backlog("orders", "g")).hasValue(5);
        assertThat(topics.backlog("orders", "other")).hasValue(7);
        assertThat(topics.backlog("orders", "none")).isEmpty();
        assertThat(asked).first().isEqualTo("GET /admin/v2/persistent/t/n/orders/stats Bearer secret.jwt");
    }

    @Test
    void noTopicNoBacklog() throws Exception {
        assertThat(topics(404, "{\"reason\":\"Topic not found\"}").backlog("orders", "g")).isEmpty();
    }
}
