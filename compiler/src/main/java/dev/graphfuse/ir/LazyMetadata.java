package dev.graphfuse.ir;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The metadata map of a node or value, as {@code metadata()} hands it out: a view that reads and
 * writes the owner's {@link LinkedHashMap}, which the owner makes only on the first entry. Nearly no
 * node or value has metadata, and an empty map for each of 200k of them was a tenth of a large model's
 * objects, which the collector copies while the pipeline runs. Views are made per call and hold no
 * state of their own, so any number of them agree.
 */
abstract class LazyMetadata extends AbstractMap<String, String> {
    /** The owner's map; null while it has none, unless {@code create}, which makes it. */
    abstract LinkedHashMap<String, String> map(boolean create);

    private Map<String, String> read() {
        Map<String, String> m = map(false);
        return m == null ? Collections.emptyMap() : m;
    }

    @Override
    public int size() {
        return read().size();
    }

    @Override
    public boolean isEmpty() {
        return read().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return read().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return read().containsValue(value);
    }

    @Override
    public String get(Object key) {
        return read().get(key);
    }

    @Override
    public String put(String key, String value) {
        return map(true).put(key, value);
    }

    @Override
    public void putAll(Map<? extends String, ? extends String> m) {
        if (!m.isEmpty()) {
            map(true).putAll(m);
        }
    }

    @Override
    public String remove(Object key) {
        Map<String, String> m = map(false);
        return m == null ? null : m.remove(key);
    }

    @Override
    public void clear() {
        Map<String, String> m = map(false);
        if (m != null) {
            m.clear();
        }
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        // Live: a set taken before the first entry sees later ones, as the owner's own map's would.
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return read().entrySet().iterator();
            }

            @Override
            public int size() {
                return read().size();
            }
        };
    }
}
