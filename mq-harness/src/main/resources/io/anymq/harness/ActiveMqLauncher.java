// Runs an embedded ActiveMQ Classic broker in its own JVM for mq-harness (Java source-file mode).
// Arguments: DATA_DIR PORT [USER PASSWORD]. Prints ANYMQ-READY once the transport connector accepts.
// With -Danymq.scheduler=false, no schedulerSupport. With the system properties anymq.tls.port, anymq.tls.keystore (PKCS12) and anymq.tls.password, also an ssl:// connector.
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;

import javax.net.ssl.KeyManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.List;

public class ActiveMqLauncher {
    public static void main(String[] args) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("anymq");
        broker.setDataDirectory(args[0]);
        broker.setPersistent(true);
        broker.setUseJmx(false);
        // AMQ_SCHEDULED_DELAY (delayed delivery), kept under DATA_DIR like KahaDB; off with -Danymq.scheduler=false, as a
        // packaged broker's activemq.xml by default
        broker.setSchedulerSupport(!"false".equals(System.getProperty("anymq.scheduler")));
        broker.setUseShutdownHook(false);
        // as a packaged broker's activemq.xml: the memory limit a share of the heap, so that producer flow control starts
        // before the heap is full (BrokerService's default limit, 1 GB, lay above the heap: a few 16 MiB messages that
        // were nacked, kept for their scheduled resend, ran it out of heap and the broker shut itself down)
        broker.getSystemUsage().getMemoryUsage().setPercentOfJvmHeap(70);
        broker.addConnector("tcp://127.0.0.1:" + args[1]);
        String tlsPort = System.getProperty("anymq.tls.port");
        if (tlsPort != null) {
            char[] pw = System.getProperty("anymq.tls.password").toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(System.getProperty("anymq.tls.keystore"))) {
                ks.load(in, pw);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            broker.setSslContext(new SslContext(kmf.getKeyManagers(), null, null));
            broker.addConnector("ssl://127.0.0.1:" + tlsPort);
        }
        if (args.length >= 4) {
            SimpleAuthenticationPlugin auth = new SimpleAuthenticationPlugin(
                    List.of(new AuthenticationUser(args[2], args[3], "users")));
            broker.setPlugins(new BrokerPlugin[]{auth});
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
                broker.waitUntilStopped();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        broker.start();
        broker.waitUntilStarted();
        System.out.println("ANYMQ-READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
