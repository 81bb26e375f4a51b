package io.anymq;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed connection URL. Two forms:
 * <ul>
 *   <li>hierarchical: {@code scheme://[user[:password]@]host[:port][,host[:port]...][/path][?query]},
 *       with several hosts for clusters ({@code kafka://a:9092,b:9092}) and IPv6 hosts in brackets;</li>
 *   <li>opaque: {@code scheme:[name][?query]}, as in {@code mem:} or {@code mem:orders?capacity=1000}.</li>
 * </ul>
 * User, password, path and query are percent-decoded. {@link #toString()} hides the password and
 * every query value whose name looks secret.
 */
public final class MqUrl {
    private final String scheme;
    private final String user;
    private final String password;
    private final List<HostPort> hosts;
    private final String path;
    private final Map<String, String> query;
    private final boolean hierarchical;

    /** A host and a port; the port is -1 when the URL gives none. */
    public record HostPort(String host, int port) {
        /**
         * The port, or a default.
         *
         * @param defaultPort the port to use when the URL gives none
         * @return the port
         */
        public int portOr(int defaultPort) {
            return port < 0 ? defaultPort : port;
        }

        @Override
        public String toString() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return port < 0 ? h : h + ":" + port;
        }
    }

    private MqUrl(String scheme, String user, String password, List<HostPort> hosts, String path,
                  Map<String, String> query, boolean hierarchical) {
        this.scheme = scheme;
        this.user = user;
        this.password = password;
        this.hosts = hosts;
        this.path = path;
        this.query = query;
        this.hierarchical = hierarchical;
    }

    /**
     * Parses a URL.
     *
     * @throws MalformedUrlException saying what is wrong, with secrets redacted
     */
    public static MqUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new MalformedUrlException("the connection URL is empty");
        }
        String s = url.strip();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new MalformedUrlException("URL '" + Redaction.url(s) + "' has no scheme (expected for example kafka://host:9092 or mem:)");
        }
        String scheme = s.substring(0, colon);
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new MalformedUrlException("URL '" + Redaction.url(s) + "' has an illegal scheme '" + scheme + "'");
        }
        scheme = scheme.toLowerCase(java.util.Locale.ROOT);
        String rest = s.substring(colon + 1);
        if (rest.indexOf('#') >= 0) {
            throw new MalformedUrlException("URL '" + Redaction.url(s) + "' has a fragment ('#...'); anymq URLs have none");
        }
        if (rest.chars().anyMatch(c -> c <= ' ')) {
            throw new MalformedUrlException("URL '" + Redaction.url(s) + "' contains whitespace or control characters");
        }
        String queryPart = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            queryPart = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Map<String, String> query = parseQuery(queryPart, s);

        if (!rest.startsWith("//")) {
            return new MqUrl(scheme, null, null, List.of(), decode(rest, s), query, false);
        }
        String afterSlashes = rest.substring(2);
        int slash = afterSlashes.indexOf('/');
        String authority = slash >= 0 ? afterSlashes.substring(0, slash) : afterSlashes;
        String path = slash >= 0 ? decode(afterSlashes.substring(slash + 1), s) : "";

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int uc = userInfo.indexOf(':');
            if (uc >= 0) {
                user = decode(userInfo.substring(0, uc), s);
                password = decode(userInfo.substring(uc + 1), s);
            } else {
                user = decode(userInfo, s);
            }
            if (user.isEmpty()) {
                user = null;
            }
        }
        List<HostPort> hosts = new ArrayList<>();
        if (!authority.isEmpty()) {
            for (String hp : authority.split(",", -1)) {
                hosts.add(parseHostPort(hp, s));
            }
        }
        return new MqUrl(scheme, user, password, Collections.unmodifiableList(hosts), path, query, true);
    }

    private static HostPort parseHostPort(String hp, String url) {
        if (hp.isEmpty()) {
            throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has an empty host in its host list");
        }
        String host;
        String portText = null;
        if (hp.startsWith("[")) {
            int end = hp.indexOf(']');
            if (end < 0) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has an unclosed IPv6 bracket in '" + hp + "'");
            }
            host = hp.substring(1, end);
            String after = hp.substring(end + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has junk after the IPv6 address in '" + hp + "'");
                }
                portText = after.substring(1);
            }
        } else {
            int c = hp.lastIndexOf(':');
            if (c >= 0) {
                host = hp.substring(0, c);
                portText = hp.substring(c + 1);
            } else {
                host = hp;
            }
            if (host.indexOf(':') >= 0) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has a host with ':' in '" + hp + "' (put IPv6 addresses in brackets)");
            }
            if (!host.matches("[A-Za-z0-9._~-]+")) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has an illegal host name '" + host + "'");
            }
        }
        if (host.isEmpty()) {
            throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has an empty host in '" + hp + "'");
        }
        int port = -1;
        if (portText != null) {
            if (!portText.matches("[0-9]{1,5}")) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has an illegal port '" + portText + "'");
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has port " + port + ", outside 1-65535");
            }
        }
        return new HostPort(host, port);
    }

    private static Map<String, String> parseQuery(String queryPart, String url) {
        if (queryPart == null || queryPart.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : queryPart.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq >= 0 ? pair.substring(0, eq) : pair, url);
            String v = eq >= 0 ? decode(pair.substring(eq + 1), url) : "true";
            if (k.isEmpty()) {
                throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has a query parameter with no name");
            }
            m.put(k, v);
        }
        return Collections.unmodifiableMap(m);
    }

    private static String decode(String s, String url) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedUrlException("URL '" + Redaction.url(url) + "' has a bad percent-encoding: " + e.getMessage());
        }
    }

    /**
     * The scheme, lower case; it selects the provider.
     *
     * @return the scheme, such as {@code kafka} or {@code mem}
     */
    public String scheme() {
        return scheme;
    }

    /** The user name, or null. */
    public String user() {
        return user;
    }

    /** The password, or null. Never printed by {@link #toString()}. */
    public String password() {
        return password;
    }

    /** The hosts, in URL order; empty for opaque URLs. */
    public List<HostPort> hosts() {
        return hosts;
    }

    /**
     * The hosts with the default port where a host has none; a URL that names no host is a
     * {@link ConfigurationException} that shows the form ({@code the kafka:// URL names no host: use kafka://HOST:9092}).
     * A backend that talks to a server never guesses one.
     */
    public List<HostPort> requireHosts(int defaultPort) {
        if (hosts.isEmpty()) {
            throw new ConfigurationException("the " + scheme + ":// URL names no host: use " + scheme + "://HOST:" + defaultPort);
        }
        return hosts.stream().map(h -> new HostPort(h.host(), h.portOr(defaultPort))).toList();
    }

    /** The first host, or the default when the URL has none. */
    public HostPort firstHost(String defaultHost, int defaultPort) {
        if (hosts.isEmpty()) {
            return new HostPort(defaultHost, defaultPort);
        }
        HostPort h = hosts.get(0);
        return new HostPort(h.host(), h.portOr(defaultPort));
    }

    /** The path after the authority without its leading '/', or the opaque part ({@code orders} in {@code mem:orders}); may be empty. */
    public String path() {
        return path;
    }

    /** The query parameters, decoded, in URL order. A parameter without '=' has the value {@code true}. */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Whether the URL has the {@code scheme://authority} form (else it is opaque, like {@code mem:orders}).
     *
     * @return true for {@code scheme://...}
     */
    public boolean isHierarchical() {
        return hierarchical;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqUrl u && scheme.equals(u.scheme) && Objects.equals(user, u.user)
                && Objects.equals(password, u.password) && hosts.equals(u.hosts) && path.equals(u.path)
                && query.equals(u.query) && hierarchical == u.hierarchical;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, user, hosts, path, query);
    }

    /** The URL with the password and secret-looking query values replaced by {@code ****}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(scheme).append(':');
        if (hierarchical) {
            b.append("//");
            if (user != null || password != null) {
                if (user != null) {
                    b.append(user);
                }
                if (password != null) {
                    b.append(':').append(Redaction.MASK);
                }
                b.append('@');
            }
            for (int i = 0; i < hosts.size(); i++) {
                b.append(i > 0 ? "," : "").append(hosts.get(i));
            }
            if (!path.isEmpty()) {
                b.append('/').append(path);
            }
        } else {
            b.append(path);
        }
        if (!query.isEmpty()) {
            b.append('?');
            boolean first = true;
            for (Map.Entry<String, String> e : query.entrySet()) {
                b.append(first ? "" : "&").append(e.getKey()).append('=').append(Redaction.value(e.getKey(), e.getValue()));
                first = false;
            }
        }
        return b.toString();
    }
}
