package io.anymq.pulsar;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingInterruptedException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topics of one connection. With {@code partitions=0} (the default) nothing is done here: the broker
 * creates a non-partitioned topic on first use. With {@code partitions=N} a topic is created
 * partitioned before its first producer or consumer, through the admin REST API at
 * {@code admin-url} ({@code PUT /admin/v2/persistent/<tenant>/<namespace>/<topic>/partitions});
 * a topic that exists already is left as it is.
 */
final class PulsarTopics {
    private final PulsarSettings settings;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private volatile HttpClient http;

    PulsarTopics(PulsarSettings settings) {
        this.settings = settings;
    }

    /** The full name of the topic, made partitioned first where the settings ask for it. */
    String ensure(String topic) {
        String full = settings.topicName(topic);
        if (settings.partitions() > 0 && !ensured.contains(topic)) {
            createPartitioned(topic);
            ensured.add(topic);
        }
        return full;
    }

    private void createPartitioned(String topic) {
        HttpResponse<String> response = send(admin(topic, "/partitions").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Integer.toString(settings.partitions()))), "create partitioned topic '" + topic + "'");
        int status = response.statusCode();
        if (status / 100 == 2 || status == 409) {
            return; // created, or it exists
        }
        throw refused(response, "create partitioned topic '" + topic + "'");
    }

    /**
     * Whether the topic has the subscription already ({@code GET .../subscriptions}; a topic that does not
     * exist has none). Asked before a subscription that starts at a time, which only a new one does.
     */
    boolean hasSubscription(String topic, String subscription) {
        HttpResponse<String> response = send(admin(topic, "/subscriptions").GET(), "list the subscriptions of '" + topic + "'");
        int status = response.statusCode();
        if (status == 404) {
            return false;
        }
        if (status / 100 != 2) {
            throw refused(response, "list the subscriptions of '" + topic + "'");
        }
        // a JSON array of names; a portable group name needs no escaping
        return response.body().contains("\"" + subscription + "\"");
    }

    /**
     * The subscription's {@code msgBacklog} from the topic's stats ({@code GET .../stats}, or {@code .../partitioned-stats}
     * summed over the partitions with {@code partitions} &ge; 1): the messages the subscription has not acked, those
     * dispatched to a member and not acked yet included. Empty when the topic or the subscription is not there.
     */
    java.util.OptionalLong backlog(String topic, String subscription) {
        String what = "read the stats of '" + topic + "'";
        HttpResponse<String> response = send(admin(topic, settings.partitions() > 0 ? "/partitioned-stats?perPartition=false" : "/stats")
                .GET(), what);
        int status = response.statusCode();
        if (status == 404) {
            return java.util.OptionalLong.empty();
        }
        if (status / 100 != 2) {
            throw refused(response, what);
        }
        return backlogIn(response.body(), subscription);
    }

    /**
     * The {@code msgBacklog} of one subscription in a topic's stats (JSON): the first one after the subscription's key
     * in {@code subscriptions} (Pulsar writes it before the subscription's consumers). A portable group name needs no
     * escaping.
     */
    static java.util.OptionalLong backlogIn(String stats, String subscription) {
        int subs = stats.indexOf("\"subscriptions\"");
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(subscription) + "\"\\s*:\\s*\\{")
                .matcher(stats);
        java.util.regex.Matcher m = BACKLOG.matcher(stats);
        if (subs < 0 || !key.find(subs) || !m.find(key.end())) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(Long.parseLong(m.group(1)));
    }

    private static final java.util.regex.Pattern BACKLOG = java.util.regex.Pattern.compile("\"msgBacklog\"\\s*:\\s*(\\d+)");

    private HttpRequest.Builder admin(String topic, String path) {
        String url = settings.adminUrl() + "/admin/v2/persistent/" + settings.tenant() + "/" + settings.namespace() + "/" + topic + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.operationTimeout());
        settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        settings.basic().ifPresent(c -> request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((c.user() + ":" + c.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectionException("cannot reach the Pulsar admin API at " + settings.adminUrl() + " (option admin-url) to "
                    + what + ": " + PulsarErrors.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while trying to " + what, e);
        }
    }

    private RuntimeException refused(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body().substring(0, Math.min(300, response.body().length()));
        if (status == 401 || status == 403) {
            return new AuthenticationException("the Pulsar admin API at " + settings.adminUrl() + " refused to " + what
                    + " (HTTP " + status + "): " + body, null);
        }
        return new ConfigurationException("the Pulsar admin API at " + settings.adminUrl() + " did not " + what
                + " (HTTP " + status + "): " + body);
    }

    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
                }
                h = http;
            }
        }
        return h;
    }
}
