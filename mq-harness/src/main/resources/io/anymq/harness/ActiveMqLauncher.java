// Runs an embedded ActiveMQ Classic broker in its own JVM for mq-harness (Java source-file mode).
// Arguments: DATA_DIR PORT [USER PASSWORD]. Prints ANYMQ-READY once the transport connector accepts.
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;

import java.util.List;

public class ActiveMqLauncher {
    public static void main(String[] args) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("anymq");
        broker.setDataDirectory(args[0]);
        broker.setPersistent(true);
        broker.setUseJmx(false);
        broker.setSchedulerSupport(true); // AMQ_SCHEDULED_DELAY (delayed delivery), kept under DATA_DIR like KahaDB
        broker.setUseShutdownHook(false);
        broker.addConnector("tcp://127.0.0.1:" + args[1]);
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
