// Runs an embedded ActiveMQ Artemis broker in its own JVM for mq-harness (Java source-file mode).
// One acceptor speaks CORE and HORNETQ (HornetQ 2.4 clients); a second one, on HQ_PORT, speaks HORNETQ with the
// JMS 1.x prefixes (jms.topic.T is the address T), as a migrated HornetQ installation would.
// Arguments: DATA_DIR PORT HQ_PORT [USER PASSWORD]. With the system properties anymq.tls.port, anymq.tls.keystore
// (PKCS12) and anymq.tls.password, a third acceptor speaks CORE and HORNETQ over TLS.
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManagerImpl;

import java.util.Set;

public class ArtemisLauncher {
    public static void main(String[] args) throws Exception {
        // Artemis' audit loggers write four lines per message at INFO (sent, consuming, ack added, acked): 160 MB
        // for 54,000 messages, and the broker's time goes to it. Errors and warnings stay on.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "warn");
        String data = args[0];
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("anymq");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        // block producers only when the disk is really full: the default 90% blocks every address of a
        // test broker on a shared machine whose root file system is 91% used by Artemis' measure
        config.setMaxDiskUsage(100);
        config.setJournalDirectory(data + "/journal");
        config.setBindingsDirectory(data + "/bindings");
        config.setPagingDirectory(data + "/paging");
        config.setLargeMessagesDirectory(data + "/large-messages");
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("main", "tcp://127.0.0.1:" + args[1] + "?protocols=CORE,HORNETQ");
        config.addAcceptorConfiguration("hornetq", "tcp://127.0.0.1:" + args[2]
                + "?protocols=HORNETQ&anycastPrefix=jms.queue.&multicastPrefix=jms.topic.");
        String tlsPort = System.getProperty("anymq.tls.port");
        if (tlsPort != null) {
            config.addAcceptorConfiguration("tls", "tcp://127.0.0.1:" + tlsPort + "?protocols=CORE,HORNETQ&sslEnabled=true&keyStoreType=PKCS12"
                    + "&keyStorePath=" + System.getProperty("anymq.tls.keystore") + "&keyStorePassword=" + System.getProperty("anymq.tls.password"));
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        ActiveMQSecurityManagerImpl security = new ActiveMQSecurityManagerImpl();
        if (args.length >= 5) {
            config.setSecurityEnabled(true);
            security.getConfiguration().addUser(args[3], args[4]);
            security.getConfiguration().addRole(args[3], "users");
            config.putSecurityRoles("#", Set.of(new Role("users", true, true, true, true, true, true, true, true, true, true)));
        } else {
            config.setSecurityEnabled(false);
        }
        server.setSecurityManager(security);
        server.setConfiguration(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        server.start();
        System.out.println("ANYMQ-READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
