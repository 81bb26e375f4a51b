package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

class MemcachedSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.MEMCACHED;
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        try (Socket s = new Socket(broker.host(), broker.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("set " + key + " 0 0 " + value.length() + "\r\n" + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (!"STORED".equals(reply)) {
                throw new AssertionError("memcached answered " + reply);
            }
        }
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        try (Socket s = new Socket(broker.host(), broker.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String header = in.readLine();
            if ("END".equals(header)) {
                return Optional.empty();
            }
            String value = in.readLine();
            in.readLine(); // END
            return Optional.of(value);
        }
    }
}
