package io.anymq.bench;

import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.protocol.hornetq.client.HornetQClientProtocolManagerFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The HornetQ baseline: HornetQ 2.4.7's own client cannot share this class path (it brings
 * {@code javax.jms} and Netty 4.0), so the plain client is the one anymq's {@code hornetq://} dialect
 * runs on, Artemis' core client speaking the HornetQ protocol ({@code HornetQClientProtocolManagerFactory}),
 * used directly through its core API with the same promises and the same objects: durable messages
 * sent blocking (HornetQ confirms asynchronous sends without reporting failures, so anymq sends
 * blocking too) on a session per sending thread to the address {@code jms.topic.T}; a group is the
 * durable core queue {@code T:G} on it with anymq's filter; a receiving thread acknowledges each
 * message on its own (sent without waiting) and commits the acks, blocking, every 256 messages or when
 * no more is waiting ({@link CommitLoop}), as anymq's driver commits its acks in batches.
 */
final class HornetQNativeTarget implements BenchTarget {
    private final boolean metadata;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final String user;
    private final String password;

    HornetQNativeTarget(String url, boolean metadata) throws Exception {
        this.metadata = metadata;
        MessagingConfig config = MessagingConfig.of(url);
        MqUrl.HostPort hp = config.url().firstHost("127.0.0.1", 5445);
        this.user = config.url().user();
        this.password = config.url().password();
        locator = ActiveMQClient.createServerLocatorWithoutHA(new TransportConfiguration(NettyConnectorFactory.class.getName(),
                Map.of("host", hp.host(), "port", hp.portOr(5445))));
        locator.setProtocolManagerFactory(new HornetQClientProtocolManagerFactory());
        locator.setBlockOnDurableSend(true);
        locator.setBlockOnAcknowledge(false); // individual acks are sent without waiting; the commit is waited for
        try {
            factory = locator.createSessionFactory();
        } catch (Exception e) {
            locator.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "artemis-core-client-hornetq" + (metadata ? "+meta" : "");
    }

    private static String address(String topic) {
        return "jms.topic.native-" + topic;
    }

    @Override
    public void prepare(List<String> topics) {
        // addresses need no creation; each group's queue is made by its first consumer
    }

    @Override
    public Sender sender(String topic) throws Exception {
        ClientSession s = factory.createSession(user, password, false, true, true, false, 0);
        ClientProducer p = s.createProducer(address(topic));
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                try {
                    ClientMessage m = s.createMessage(true);
                    m.getBodyBuffer().writeBytes(payload);
                    if (key != null) {
                        m.putStringProperty("anymq_key", key);
                    }
                    if (metadata) {
                        m.putStringProperty("anymq_id", Payloads.id26());
                        m.putLongProperty("anymq_timestamp", System.currentTimeMillis());
                    }
                    p.send(m);
                } catch (Exception e) {
                    confirm.done(e);
                    return;
                }
                confirm.done(null);
            }

            @Override
            public void close() throws Exception {
                s.close();
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        // as Artemis' JMS client makes a session in individual-acknowledge mode: acks are not auto-committed
        ClientSession s = factory.createSession(user, password, false, true, false, false, 0);
        String queue = "native-" + topic + ":" + group;
        try {
            s.createQueue(QueueConfiguration.of(queue).setAddress(address(topic)).setRoutingType(RoutingType.MULTICAST).setDurable(true)
                    .setFilterString("anymq_group IS NULL OR anymq_group = '" + group + "'"));
        } catch (ActiveMQException e) {
            if (e.getType() != ActiveMQExceptionType.QUEUE_EXISTS) {
                throw e;
            }
        }
        ClientConsumer c = s.createConsumer(SimpleString.of(queue));
        s.start();
        return new CommitLoop("hornetq-native-consumer-" + group, new CommitLoop.Client() {
            @Override
            public boolean receiveOne(long millis) throws Exception {
                ClientMessage m = millis > 0 ? c.receive(millis) : c.receiveImmediate();
                if (m == null) {
                    return false;
                }
                byte[] body = new byte[m.getBodySize()];
                m.getBodyBuffer().readBytes(body);
                sink.received(ByteBuffer.wrap(body), m.getDeliveryCount() > 1);
                m.individualAcknowledge();
                return true;
            }

            @Override
            public void commit() throws Exception {
                s.commit(true);
            }

            @Override
            public void close() throws Exception {
                c.close();
                s.close();
            }
        });
    }

    @Override
    public void close() throws Exception {
        factory.close();
        locator.close();
    }
}
