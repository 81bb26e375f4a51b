// The plain HornetQ 2.4.7 JMS client (javax.jms), run in its own JVM by HornetQMigrationIT (Java source-file mode).
//   send HOST PORT TOPIC HEX_PAYLOAD KEY        sends one persistent BytesMessage to the JMS topic (address jms.topic.TOPIC)
//   receive HOST PORT TOPIC SUBSCRIPTION        joins the shared durable subscription, prints "SUBSCRIBED", then the first message
//                                               as "GOT payload=<hex> key=<anymq_key> trace=<trace> contentType=<content$002Dtype> id=<anymq_id>"
import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.DeliveryMode;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.Topic;
import org.hornetq.api.core.TransportConfiguration;
import org.hornetq.api.jms.HornetQJMSClient;
import org.hornetq.api.jms.JMSFactoryType;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

public class HornetQLegacyClient {
    public static void main(String[] args) throws Exception {
        Map<String, Object> params = new HashMap<>();
        params.put("host", args[1]);
        params.put("port", Integer.parseInt(args[2]));
        ConnectionFactory cf = HornetQJMSClient.createConnectionFactoryWithoutHA(JMSFactoryType.CF,
                new TransportConfiguration("org.hornetq.core.remoting.impl.netty.NettyConnectorFactory", params));
        Connection c = cf.createConnection();
        try {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = HornetQJMSClient.createTopic(args[3]);
            if (args[0].equals("send")) {
                MessageProducer p = s.createProducer(topic);
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(HexFormat.of().parseHex(args[4]));
                m.setStringProperty("anymq_key", args[5]);
                m.setStringProperty("trace", "legacy");
                m.setStringProperty("content$002Dtype", "application/x-legacy");
                p.send(m);
                System.out.println("SENT");
            } else {
                c.start();
                MessageConsumer consumer = s.createSharedDurableConsumer(topic, args[4]);
                System.out.println("SUBSCRIBED");
                System.out.flush();
                Message m = consumer.receive(30_000);
                if (m == null) {
                    System.out.println("NOTHING");
                    return;
                }
                BytesMessage b = (BytesMessage) m;
                byte[] body = new byte[(int) b.getBodyLength()];
                b.readBytes(body);
                System.out.println("GOT payload=" + HexFormat.of().formatHex(body) + " key=" + m.getStringProperty("anymq_key")
                        + " trace=" + m.getStringProperty("trace") + " contentType=" + m.getStringProperty("content$002Dtype")
                        + " id=" + m.getStringProperty("anymq_id"));
                m.acknowledge();
            }
        } finally {
            c.close();
        }
        System.out.flush();
    }
}
