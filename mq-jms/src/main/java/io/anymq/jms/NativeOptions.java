package io.anymq.jms;

import io.anymq.ConfigurationException;
import io.anymq.Redaction;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Native settings passed through to a connection factory by its bean setters: the option
 * {@code activemq.sendTimeout=5000} calls {@code setSendTimeout(5000)} (the first letter of the
 * name may be either case). Only setters of one {@code String}, {@code int}, {@code long},
 * {@code boolean} or {@code double} are offered; an unknown name is a
 * {@link ConfigurationException} that lists the known ones. Values are never printed for names
 * that look secret.
 */
final class NativeOptions {
    private NativeOptions() {
    }

    /** Applies each option to the bean; the keys are without the prefix, which is only used in messages. */
    static void apply(Object bean, String prefix, Map<String, String> options) {
        if (options.isEmpty()) {
            return;
        }
        Map<String, Method> setters = setters(bean.getClass());
        for (Map.Entry<String, String> e : options.entrySet()) {
            Method m = setters.get(e.getKey().toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new ConfigurationException("option '" + prefix + e.getKey() + "' is not a setting of "
                        + bean.getClass().getSimpleName() + "; known: " + known(bean.getClass()));
            }
            Object value = convert(prefix + e.getKey(), e.getValue(), m.getParameterTypes()[0]);
            try {
                m.invoke(bean, value);
            } catch (InvocationTargetException ex) {
                throw new ConfigurationException("option '" + prefix + e.getKey() + "' with the value '"
                        + Redaction.value(e.getKey(), e.getValue()) + "' was refused: " + ex.getCause());
            } catch (IllegalAccessException ex) {
                throw new ConfigurationException("option '" + prefix + e.getKey() + "' cannot be set: " + ex);
            }
        }
    }

    /** The names of the settings the bean offers, sorted. */
    static Set<String> known(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : setters(type).values()) {
            String n = m.getName().substring(3);
            names.add(Character.toLowerCase(n.charAt(0)) + n.substring(1));
        }
        return names;
    }

    private static Map<String, Method> setters(Class<?> type) {
        Map<String, Method> out = new TreeMap<>();
        for (Method m : type.getMethods()) {
            if (m.getName().startsWith("set") && m.getName().length() > 3 && m.getParameterCount() == 1
                    && !Modifier.isStatic(m.getModifiers()) && isSimple(m.getParameterTypes()[0])) {
                out.putIfAbsent(m.getName().substring(3).toLowerCase(Locale.ROOT), m);
            }
        }
        return out;
    }

    private static boolean isSimple(Class<?> t) {
        return t == String.class || t == int.class || t == long.class || t == boolean.class || t == double.class;
    }

    private static Object convert(String name, String value, Class<?> t) {
        String v = value.trim();
        try {
            if (t == String.class) {
                return value;
            }
            if (t == int.class) {
                return Integer.parseInt(v);
            }
            if (t == long.class) {
                return Long.parseLong(v);
            }
            if (t == double.class) {
                return Double.parseDouble(v);
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigurationException("option '" + name + "' has the value '" + Redaction.value(name, value) + "'; expected "
                + (t == boolean.class ? "true or false" : "a number (" + t.getSimpleName() + ")"));
    }
}
