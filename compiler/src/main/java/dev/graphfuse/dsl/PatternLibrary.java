package dev.graphfuse.dsl;

import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.OpSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checked patterns and the op signatures they were checked against, as loaded from .fuse files.
 * Each pattern remembers the file that declared it, so a pass can be "the patterns of these files".
 */
public final class PatternLibrary {
    private final Map<String, OpSignature> ops;
    private final List<CompiledPattern> patterns;
    private final Map<String, String> fileOf;

    PatternLibrary(Map<String, OpSignature> ops, List<CompiledPattern> patterns, Map<String, String> fileOf) {
        this.ops = Map.copyOf(ops);
        this.patterns = List.copyOf(patterns);
        this.fileOf = Map.copyOf(fileOf);
    }

    public Map<String, OpSignature> ops() {
        return ops;
    }

    /** All patterns in load order. */
    public List<CompiledPattern> patterns() {
        return patterns;
    }

    public CompiledPattern pattern(String name) {
        for (CompiledPattern p : patterns) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The file that declared {@code pattern}, as it was named when loaded. */
    public String fileOf(String pattern) {
        return fileOf.get(pattern);
    }

    /** Patterns declared in {@code file} itself (not in files it imports). */
    public List<CompiledPattern> patternsOf(String file) {
        List<CompiledPattern> out = new ArrayList<>();
        for (CompiledPattern p : patterns) {
            if (file.equals(fileOf.get(p.name()))) {
                out.add(p);
            }
        }
        return out;
    }
}
