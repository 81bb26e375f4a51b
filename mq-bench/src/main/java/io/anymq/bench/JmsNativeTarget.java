package io.anymq.bench;

import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The plain JMS client of the broker doing what the SDK does, as a good JMS user would, with the
 * same promises: persistent {@code BytesMessage}s on a session per sending thread, sent
 * asynchronously so that sends pipeline while a confirmation still means the broker stored the
 * message (ActiveMQ Classic: activemq-client's {@code AsyncCallback} send, answered once KahaDB holds
 * the message; Artemis: a JMS 2.0 {@code CompletionListener} with a confirmation window, answered once
 * the journal holds it), the same client settings as anymq's driver (ActiveMQ: the failover transport,
 * synchronous acks; Artemis: blocking acks), the same topic and group objects as anymq's mapping
 * (ActiveMQ Classic: virtual topic {@code VirtualTopic.T} and queue {@code Consumer.G.VirtualTopic.T};
 * Artemis: topic {@code T} and the shared durable subscription {@code T:G}), and a consumer with the
 * same ack promise as anymq's: ActiveMQ Classic, individual-acknowledge mode, each message acked on
 * its own, synchronously, after handing it on; Artemis, a transacted session on a receiving thread,
 * committed every 256 messages or when no more is waiting ({@link CommitLoop}), as anymq's driver
 * commits its acks in batches. With {@code metadata} each
 * message also carries the id and timestamp properties anymq writes ({@code anymq_id}, 26
 * characters, and {@code anymq_timestamp}).
 */
final class JmsNativeTarget implements BenchTarget {
    /** anymq's driver's confirmation window on Artemis (bytes). */
    private static final int CONFIRMATION_WINDOW = 1024 * 1024;

    private final boolean activemq;
    private final boolean metadata;
    private final Connection connection;

    JmsNativeTarget(String url, boolean metadata) throws Exception {
        this.metadata = metadata;
        MessagingConfig config = MessagingConfig.of(url);
        MqUrl.HostPort hp = config.url().firstHost("127.0.0.1", 61616);
        String user = config.url().user();
        String password = config.url().password();
        this.activemq = config.scheme().equals("activemq");
        ConnectionFactory cf;
        if (activemq) {
            org.apache.activemq.ActiveMQConnectionFactory f = new org.apache.activemq.ActiveMQConnectionFactory(
                    "failover:(tcp://" + hp.host() + ":" + hp.portOr(61616) + ")?startupMaxReconnectAttempts=0&maxReconnectDelay=1000");
            f.setSendAcksAsync(false);
            f.setAlwaysSyncSend(true);
            f.setWatchTopicAdvisories(false);
            f.setCheckForDuplicates(false);
            cf = f;
        } else {
            org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory f = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                    "tcp://" + hp.host() + ":" + hp.portOr(61616));
            f.setBlockOnDurableSend(true);
            f.setBlockOnAcknowledge(true);
            f.setConfirmationWindowSize(CONFIRMATION_WINDOW);
            cf = f;
        }
        this.connection = user == null ? cf.createConnection() : cf.createConnection(user, password);
        connection.start();
    }

    @Override
    public String name() {
        return (activemq ? "activemq-client" : "artemis-jakarta-client") + (metadata ? "+meta" : "");
    }

    private static String topicName(String topic) {
        return "native-" + topic;
    }

    private Destination topic(Session s, String topic) throws Exception {
        return activemq ? s.createTopic("VirtualTopic." + topicName(topic)) : s.createTopic(topicName(topic));
    }

    @Override
    public void prepare(List<String> topics) {
        // both brokers create addresses and queues on first use
    }

    @Override
    public Sender sender(String topic) throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE); // one session per sending thread
        MessageProducer p = s.createProducer(topic(s, topic));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) throws Exception {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(payload);
                if (key != null) {
                    m.setStringProperty("anymq_key", key);
                }
                if (metadata) {
                    m.setStringProperty("anymq_id", Payloads.id26());
                    m.setLongProperty("anymq_timestamp", System.currentTimeMillis());
                }
                try {
                    if (activemq) {
                        ((org.apache.activemq.ActiveMQMessageProducer) p).send(m, new org.apache.activemq.AsyncCallback() {
                            @Override
                            public void onSuccess() {
                                confirm.done(null);
                            }

                            @Override
                            public void onException(JMSException e) {
                                confirm.done(e);
                            }
                        });
                    } else {
                        p.send(m, new CompletionListener() {
                            @Override
                            public void onCompletion(jakarta.jms.Message message) {
                                confirm.done(null);
                            }

                            @Override
                            public void onException(jakarta.jms.Message message, Exception e) {
                                confirm.done(e);
                            }
                        });
                    }
                } catch (Exception e) {
                    confirm.done(e);
                }
            }

            @Override
            public void close() throws Exception {
                s.close();
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        if (activemq) {
            Session s = connection.createSession(false, org.apache.activemq.ActiveMQSession.INDIVIDUAL_ACKNOWLEDGE);
            MessageConsumer c = s.createConsumer(s.createQueue("Consumer." + group + ".VirtualTopic." + topicName(topic)));
            c.setMessageListener(m -> {
                try {
                    sink.received(ByteBuffer.wrap(body((BytesMessage) m)), m.getJMSRedelivered());
                    m.acknowledge();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return () -> {
                c.close();
                s.close();
            };
        }
        // Artemis: a transacted session, committed every CommitLoop.BATCH messages or when idle
        Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer c = s.createSharedDurableConsumer(s.createTopic(topicName(topic)), topicName(topic) + ":" + group);
        return new CommitLoop("artemis-native-consumer-" + group, new CommitLoop.Client() {
            @Override
            public boolean receiveOne(long millis) throws Exception {
                jakarta.jms.Message m = millis > 0 ? c.receive(millis) : c.receiveNoWait();
                if (m == null) {
                    return false;
                }
                sink.received(ByteBuffer.wrap(body((BytesMessage) m)), m.getJMSRedelivered());
                return true;
            }

            @Override
            public void commit() throws Exception {
                s.commit();
            }

            @Override
            public void close() throws Exception {
                c.close();
                s.close();
            }
        });
    }

    private static byte[] body(BytesMessage b) throws JMSException {
        byte[] body = new byte[(int) b.getBodyLength()];
        b.readBytes(body);
        return body;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
