package io.anymq.pulsar;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import org.apache.pulsar.client.impl.conf.ClientConfigurationData;
import org.apache.pulsar.client.impl.conf.ConsumerConfigurationData;
import org.apache.pulsar.client.impl.conf.ProducerConfigurationData;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The native pass-through: {@code pulsar.client.<name>}, {@code pulsar.producer.<name>} and
 * {@code pulsar.consumer.<name>} go to the {@code loadConf} of the client, producer and consumer
 * builders, where {@code <name>} is a field of pulsar-client's {@code ClientConfigurationData},
 * {@code ProducerConfigurationData} or {@code ConsumerConfigurationData} (for example
 * {@code pulsar.producer.batchingMaxPublishDelayMicros=500}). An unknown name, or an option under
 * {@code pulsar.} that is none of the three, is a {@link ConfigurationException} listing the known ones.
 * They are applied after the module's defaults (so they win) and before what the module must set
 * itself (topic, subscription name and type, ack receipts).
 */
record NativeOptions(Map<String, Object> client, Map<String, Object> producer, Map<String, Object> consumer) {

    static NativeOptions from(MessagingConfig config) {
        Map<String, String> all = config.withPrefix("pulsar.");
        for (String key : all.keySet()) {
            if (!key.startsWith("client.") && !key.startsWith("producer.") && !key.startsWith("consumer.")) {
                throw new ConfigurationException("option 'pulsar." + key + "' is not a native Pulsar option: use pulsar.client.<name>, "
                        + "pulsar.producer.<name> or pulsar.consumer.<name>");
            }
        }
        return new NativeOptions(
                section(config, "client", ClientConfigurationData.class, Set.of("serviceUrl", "authentication", "authPluginClassName",
                        "authParams", "authParamMap")),
                section(config, "producer", ProducerConfigurationData.class, Set.of("topicName")),
                section(config, "consumer", ConsumerConfigurationData.class, Set.of("topicNames", "topicsPattern", "subscriptionName",
                        "subscriptionType", "ackReceiptEnabled", "retryEnable", "deadLetterPolicy", "messageListener")));
    }

    /** The options of one section, checked against the fields of its native configuration class. */
    private static Map<String, Object> section(MessagingConfig config, String section, Class<?> confClass, Set<String> owned) {
        Map<String, String> given = config.withPrefix("pulsar." + section + ".");
        if (given.isEmpty()) {
            return Map.of();
        }
        Set<String> known = known(confClass);
        known.removeAll(owned);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (owned.contains(e.getKey())) {
                throw new ConfigurationException("option 'pulsar." + section + "." + e.getKey() + "' is set by mq-pulsar itself "
                        + "(see its README for the option that chooses it)");
            }
            if (!known.contains(e.getKey())) {
                throw new ConfigurationException("option 'pulsar." + section + "." + e.getKey() + "' is not a Pulsar " + section
                        + " setting; the known ones are " + String.join(", ", known));
            }
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The settable names: the instance fields of the native configuration class. */
    static Set<String> known(Class<?> confClass) {
        Set<String> names = new TreeSet<>();
        for (Field f : confClass.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                names.add(f.getName());
            }
        }
        return names;
    }
}
