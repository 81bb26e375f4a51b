package io.anymq.harness;

import io.anymq.MqUrl;
import io.anymq.Redaction;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A broker the user runs, given by URL; the harness neither starts nor stops it. */
final class ExternalBroker implements Broker {
    private final BrokerKind kind;
    private final String url;
    private final MqUrl parsed;

    ExternalBroker(BrokerKind kind, String url) {
        this.kind = kind;
        this.url = url;
        this.parsed = MqUrl.parse(url);
    }

    @Override
    public BrokerKind kind() {
        return kind;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String host() {
        return parsed.hosts().isEmpty() ? "127.0.0.1" : parsed.hosts().get(0).host();
    }

    @Override
    public int port() {
        return parsed.hosts().isEmpty() ? -1 : parsed.hosts().get(0).port();
    }

    @Override
    public Map<String, String> nativeProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", host());
        m.put("port", Integer.toString(port()));
        m.put("bootstrap.servers", host() + ":" + port());
        if (parsed.user() != null) {
            m.put("user", parsed.user());
        }
        if (parsed.password() != null) {
            m.put("password", parsed.password());
        }
        return m;
    }

    @Override
    public String source() {
        return "environment";
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    private UnsupportedOperationException notOurs(String what) {
        return new UnsupportedOperationException("cannot " + what + " " + kind.id() + " at " + Redaction.url(url)
                + ": the harness did not start it (it came from " + kind.envVar() + ")");
    }

    @Override
    public void stop() {
        throw notOurs("stop");
    }

    @Override
    public void kill() {
        throw notOurs("kill");
    }

    @Override
    public void restart() {
        throw notOurs("restart");
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public Path dataDir() {
        return null;
    }

    @Override
    public Path logFile() {
        return null;
    }

    @Override
    public String logTail(int lines) {
        return "(a broker given by URL: its log is not here)";
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return kind.id() + " at " + Redaction.url(url) + " (given by " + kind.envVar() + ")";
    }
}
