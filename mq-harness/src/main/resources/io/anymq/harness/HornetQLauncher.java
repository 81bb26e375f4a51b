// Runs an embedded HornetQ 2.4.7 server (core + JMS manager, no JNDI) in its own JVM for mq-harness (Java source-file mode).
// Persistent NIO journal under DATA_DIR; one Netty acceptor on 127.0.0.1:PORT. Arguments: DATA_DIR PORT [USER PASSWORD].
// Prints ANYMQ-READY once started. With the system properties anymq.tls.port, anymq.tls.keystore (PKCS12, which the
// JDK's JKS key store type reads too) and anymq.tls.password, a second acceptor speaks TLS.
import org.hornetq.api.core.TransportConfiguration;
import org.hornetq.core.config.impl.ConfigurationImpl;
import org.hornetq.core.remoting.impl.netty.NettyAcceptorFactory;
import org.hornetq.core.security.Role;
import org.hornetq.core.server.HornetQServer;
import org.hornetq.core.server.HornetQServers;
import org.hornetq.core.server.JournalType;
import org.hornetq.jms.server.impl.JMSServerManagerImpl;
import org.hornetq.spi.core.security.HornetQSecurityManagerImpl;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

public class HornetQLauncher {
    public static void main(String[] args) throws Exception {
        String data = args[0];
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(data + "/journal");
        config.setBindingsDirectory(data + "/bindings");
        config.setPagingDirectory(data + "/paging");
        config.setLargeMessagesDirectory(data + "/large-messages");
        config.setJMXManagementEnabled(false);
        Map<String, Object> params = new HashMap<>();
        params.put("host", "127.0.0.1");
        params.put("port", Integer.parseInt(args[1]));
        // socket buffers left to the kernel: HornetQ 2.4 fixes them at 32 KiB, and a message over about 32 KiB then waits
        // some 40 ms per packet for the peer's delayed acknowledgement (mq-jms README, "HornetQ and large messages")
        params.put("tcp-send-buffer-size", -1);
        params.put("tcp-receive-buffer-size", -1);
        config.getAcceptorConfigurations().add(new TransportConfiguration(NettyAcceptorFactory.class.getName(), params));
        String tlsPort = System.getProperty("anymq.tls.port");
        if (tlsPort != null) {
            Map<String, Object> tls = new HashMap<>();
            tls.put("host", "127.0.0.1");
            tls.put("port", Integer.parseInt(tlsPort));
            tls.put("ssl-enabled", true);
            tls.put("tcp-send-buffer-size", -1);
            tls.put("tcp-receive-buffer-size", -1);
            tls.put("key-store-path", System.getProperty("anymq.tls.keystore"));
            tls.put("key-store-password", System.getProperty("anymq.tls.password"));
            config.getAcceptorConfigurations().add(new TransportConfiguration(NettyAcceptorFactory.class.getName(), tls, "tls"));
        }
        HornetQSecurityManagerImpl security = new HornetQSecurityManagerImpl();
        if (args.length >= 3) {
            config.setSecurityEnabled(true);
            security.addUser(args[2], args[3]);
            security.addRole(args[2], "users");
            // send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue, deleteNonDurableQueue, manage
            config.getSecurityRoles().put("#", Set.of(new Role("users", true, true, true, true, true, true, true)));
        } else {
            config.setSecurityEnabled(false);
        }
        HornetQServer server = HornetQServers.newHornetQServer(config, null, security);
        JMSServerManagerImpl jms = new JMSServerManagerImpl(server, (org.hornetq.spi.core.naming.BindingRegistry) null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jms.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        jms.start();
        System.out.println("ANYMQ-READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
