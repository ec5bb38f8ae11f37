package org.dopaj.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map literal that keeps the order it is written in. {@code Map.of} iterates in an order that changes from one JVM
 * run to the next, so JSON and YAML written from it would list the same keys differently each time; every map DopaJ
 * prints or stores is built in a fixed order instead.
 */
public final class Ordered {
    private Ordered() {
    }

    /** {@code key1, value1, key2, value2, …} as a {@link LinkedHashMap} in that order (keys must be strings). */
    public static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
