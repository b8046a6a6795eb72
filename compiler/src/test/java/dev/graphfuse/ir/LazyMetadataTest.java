package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node and value metadata behave as one mutable insertion-ordered map, though made on the first entry. */
class LazyMetadataTest {
    private static Node node() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", null);
        return g.addNode("n", "", "Relu", List.of(x), List.of("y"));
    }

    @Test
    void emptyUntilTheFirstEntryThenLikeALinkedHashMap() {
        Node n = node();
        Map<String, String> before = n.metadata();
        Map<String, String> entriesBefore = n.metadata();
        var liveEntries = entriesBefore.entrySet();
        assertTrue(before.isEmpty());
        n.metadata().putAll(Map.of());
        assertNull(n.metadata().get("a"));
        n.metadata().put("b", "1");
        before.put("a", "2");
        n.metadata().putIfAbsent("b", "ignored");
        n.metadata().merge("c", "3", String::concat);
        LinkedHashMap<String, String> expected = new LinkedHashMap<>();
        expected.put("b", "1");
        expected.put("a", "2");
        expected.put("c", "3");
        assertEquals(expected, n.metadata());
        assertEquals(expected.hashCode(), n.metadata().hashCode());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(before.keySet()), "one map, in insertion order");
        assertEquals(3, liveEntries.size(), "an entry set taken while empty sees later entries");
        n.metadata().entrySet().removeIf(e -> e.getKey().equals("a"));
        n.metadata().replaceAll((k, v) -> v + "!");
        assertEquals(Map.of("b", "1!", "c", "3!"), n.output().producer().metadata());
        n.metadata().clear();
        assertTrue(before.isEmpty());
    }

    @Test
    void valuesToo() {
        Node n = node();
        Value y = n.output();
        assertFalse(y.metadata().containsKey("k"));
        y.metadata().put("k", "v");
        assertEquals("{k=v}", y.metadata().toString());
        assertEquals("v", y.metadata().remove("k"));
        assertTrue(y.metadata().isEmpty());
    }
}
