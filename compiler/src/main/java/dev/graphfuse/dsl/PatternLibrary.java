package dev.graphfuse.dsl;

import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.OpSignature;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked patterns and the op signatures they were checked against, as loaded from .fuse files.
 * Each pattern remembers the file that declared it, so a pass can be "the patterns of these files".
 */
public final class PatternLibrary {
    private final Map<String, OpSignature> ops;
    private final List<CompiledPattern> patterns;
    // by pattern identity: libraries loaded apart (a user's pass beside the built-in one) may reuse a name
    private final Map<CompiledPattern, String> fileOf;

    PatternLibrary(Map<String, OpSignature> ops, List<CompiledPattern> patterns, Map<String, String> fileOfName) {
        this.ops = Map.copyOf(ops);
        this.patterns = List.copyOf(patterns);
        Map<CompiledPattern, String> files = new IdentityHashMap<>();
        for (CompiledPattern p : patterns) {
            files.put(p, fileOfName.get(p.name()));
        }
        this.fileOf = files;
    }

    private PatternLibrary(Map<String, OpSignature> ops, List<CompiledPattern> patterns, IdentityHashMap<CompiledPattern, String> fileOf) {
        this.ops = Map.copyOf(ops);
        this.patterns = List.copyOf(patterns);
        this.fileOf = fileOf;
    }

    /**
     * Libraries loaded apart, as one: their patterns in order; a name two of them declare is found in the
     * first (by {@link #pattern} and {@link #fileOf}); each pattern keeps its own file.
     */
    public static PatternLibrary combine(List<PatternLibrary> parts) {
        Map<String, OpSignature> ops = new LinkedHashMap<>();
        List<CompiledPattern> patterns = new ArrayList<>();
        IdentityHashMap<CompiledPattern, String> files = new IdentityHashMap<>();
        for (PatternLibrary l : parts) {
            l.ops.forEach(ops::putIfAbsent);
            patterns.addAll(l.patterns);
            files.putAll(l.fileOf);
        }
        return new PatternLibrary(ops, patterns, files);
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
        CompiledPattern p = pattern(pattern);
        return p == null ? null : fileOf.get(p);
    }

    /** Patterns declared in {@code file} itself (not in files it imports). */
    public List<CompiledPattern> patternsOf(String file) {
        List<CompiledPattern> out = new ArrayList<>();
        for (CompiledPattern p : patterns) {
            if (file.equals(fileOf.get(p))) {
                out.add(p);
            }
        }
        return out;
    }
}
