package io.anymq.kafka;

import io.anymq.ConfigurationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka group id names one kind of group: a consumer group (mode=ordered) or a share group
 * (mode=shared). Using a name of the other kind makes the native client fail for good, so it is
 * refused when the consumer is created, with an error that says so.
 */
final class GroupKinds {
    private GroupKinds() {
    }

    static void require(Admin admin, String group, KafkaSettings.Mode mode) {
        Optional<GroupType> existing;
        try {
            existing = admin.listGroups().valid().get(15, TimeUnit.SECONDS).stream()
                    .filter(g -> g.groupId().equals(group)).findFirst().flatMap(GroupListing::type);
        } catch (Exception e) {
            return; // cannot tell (for example no DESCRIBE permission on the cluster): the native client reports a clash itself
        }
        if (existing.isEmpty()) {
            return;
        }
        Set<GroupType> allowed = mode == KafkaSettings.Mode.SHARED ? Set.of(GroupType.SHARE) : Set.of(GroupType.CONSUMER, GroupType.CLASSIC);
        if (!allowed.contains(existing.get())) {
            throw new ConfigurationException("Kafka group '" + group + "' exists as a " + existing.get().toString().toLowerCase(java.util.Locale.ROOT)
                    + " group; mode=" + mode.toString().toLowerCase(java.util.Locale.ROOT) + " needs a "
                    + (mode == KafkaSettings.Mode.SHARED ? "share" : "consumer") + " group: choose another group name");
        }
    }
}
