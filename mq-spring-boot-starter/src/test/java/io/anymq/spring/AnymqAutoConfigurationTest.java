package io.anymq.spring;

import io.anymq.ClosedException;
import io.anymq.ConfigurationException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnymqAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AnymqAutoConfiguration.class));

    private static String memUrl() {
        return "mem:starter-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void clientFromAnymqUrlWorksAndClosesWithTheContext() {
        MessagingClient[] seen = new MessagingClient[1];
        runner.withPropertyValues("anymq.url=" + memUrl()).run(context -> {
            assertThat(context).hasSingleBean(MessagingClient.class).hasSingleBean(MessagingConfig.class);
            MessagingClient client = context.getBean(MessagingClient.class);
            assertThat(client.provider()).isEqualTo("mem");
            try (Consumer consumer = client.consumer(ConsumerOptions.builder("orders", "g").startPosition(StartPosition.EARLIEST).build());
                 Producer producer = client.producer("orders")) {
                producer.send(Message.builder().payload("hello").key("k").header("h", "v").build()).join();
                Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
                assertThat(d.message().payloadAsString()).isEqualTo("hello");
                assertThat(d.message().headers()).containsEntry("h", "v");
                d.ack().join();
            }
            seen[0] = client;
        });
        assertThatThrownBy(() -> seen[0].producer("orders")).as("the context's close closed the client")
                .isInstanceOf(ClosedException.class);
    }

    @Test
    void anymqPropertiesAreTheUrlsOptions() {
        runner.withPropertyValues("anymq.url=" + memUrl(), "anymq.max-payload=1000", "anymq.when-full=fail").run(context -> {
            MessagingClient client = context.getBean(MessagingClient.class);
            assertThat(client.capabilities().maxPayloadBytes()).isEqualTo(1000);
            assertThat(context.getBean(MessagingConfig.class).options())
                    .containsEntry("max-payload", "1000").containsEntry("when-full", "fail");
        });
        // the same option in the URL's query gives the same client; the property wins over the query
        runner.withPropertyValues("anymq.url=" + memUrl() + "?max-payload=2000", "anymq.max-payload=3000").run(context ->
                assertThat(context.getBean(MessagingClient.class).capabilities().maxPayloadBytes()).isEqualTo(3000));
    }

    @Test
    void anUnknownPropertyFailsLikeAnUnknownUrlOption() {
        String url = memUrl();
        ConfigurationException fromUrl = null;
        try (MessagingClient ignored = Messaging.connect(MessagingConfig.of(url + "?capacityy=5"))) {
            throw new AssertionError("an unknown URL option connected");
        } catch (ConfigurationException e) {
            fromUrl = e;
        }
        assertThat(fromUrl.getMessage()).contains("unknown option 'capacityy' (from the URL)").contains("did you mean 'capacity'?");
        String urlMessage = fromUrl.getMessage();
        runner.withPropertyValues("anymq.url=" + url, "anymq.capacityy=5").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            ConfigurationException e = rootCause(failure, ConfigurationException.class);
            assertThat(e.getMessage()).isEqualTo(urlMessage.replace("(from the URL)", "(from the options)"));
            FailureAnalysis analysis = new AnymqConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("unknown option 'capacityy'").contains("capacity, max-bytes, max-payload, when-full");
            assertThat(analysis.getAction()).contains("anymq.url");
        });
        // a bad value is refused too, with the option's name
        runner.withPropertyValues("anymq.url=" + memUrl(), "anymq.capacity=many").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure(), ConfigurationException.class).getMessage())
                    .contains("option 'capacity' has the value 'many'");
        });
    }

    @Test
    void anUnknownSchemeIsAConfigurationFailure() {
        runner.withPropertyValues("anymq.url=nosuch://h:1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure(), ConfigurationException.class).getMessage()).contains("nosuch");
        });
    }

    @Test
    void theUsersBeansWin() {
        String url = memUrl();
        runner.withPropertyValues("anymq.url=nosuch://ignored", "anymq.not-an-option=1")
                .withUserConfiguration(OwnClient.class)
                .withPropertyValues("own.url=" + url)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MessagingClient.class);
                    assertThat(context.getBean(MessagingClient.class)).isSameAs(context.getBean("ownClient"));
                });
        runner.withUserConfiguration(OwnConfig.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MessagingClient.class).capabilities().maxPayloadBytes()).isEqualTo(4321);
        });
    }

    @Test
    void managedSubscriptionStartsWithTheContextAndStopsBeforeTheClientCloses() throws Exception {
        Received holder = new Received();
        List<String> received = holder.items;
        ManagedSubscription[] subscription = new ManagedSubscription[1];
        runner.withPropertyValues("anymq.url=" + memUrl())
                .withUserConfiguration(Subscribing.class)
                .withBean(Received.class, () -> holder)
                .run(context -> {
                    subscription[0] = context.getBean("orders", ManagedSubscription.class);
                    assertThat(subscription[0].isRunning()).isTrue();
                    MessagingClient client = context.getBean(MessagingClient.class);
                    try (Producer producer = client.producer("orders")) {
                        producer.send("one").join();
                        producer.send("fails once").join();
                        producer.send("two").join();
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (received.size() < 4 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    // the handler's exception nacked the message: it came again
                    assertThat(received).containsExactlyInAnyOrder("one", "fails once#1", "fails once#2", "two");
                });
        assertThat(subscription[0].isRunning()).isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    static class Subscribing {
        @Bean
        ManagedSubscription orders(MessagingClient client, Received holder) {
            List<String> received = holder.items;
            return ManagedSubscription.of(client, ConsumerOptions.builder("orders", "collector").startPosition(StartPosition.EARLIEST).build(),
                            delivery -> {
                                String text = delivery.message().payloadAsString();
                                if (text.equals("fails once")) {
                                    received.add(text + "#" + delivery.deliveryCount());
                                    if (delivery.deliveryCount() == 1) {
                                        throw new IllegalStateException("first try fails");
                                    }
                                    return;
                                }
                                received.add(text);
                            })
                    .withSubscribeOptions(io.anymq.SubscribeOptions.builder().retryDelay(Duration.ofMillis(50)).build());
        }
    }

    static final class Received {
        final List<String> items = new CopyOnWriteArrayList<>();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean(destroyMethod = "close")
        MessagingClient ownClient(org.springframework.core.env.Environment env) {
            return Messaging.connect(MessagingConfig.of(env.getProperty("own.url")));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConfig {
        @Bean
        MessagingConfig ownConfig() {
            return MessagingConfig.of(memUrl() + "?max-payload=4321");
        }
    }

    private static <T extends Throwable> T rootCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }
}
