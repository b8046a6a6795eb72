package dev.graphfuse.pipeline;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.canonicalize.Canonicalize;
import dev.graphfuse.dsl.PatternLibrary;
import dev.graphfuse.dsl.PatternLoader;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.NativePredicate;
import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.pass.CompositePass;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.rewrite.PatternPass;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Java API for building pipelines: the built-in stages (canonicalize, raise, fuse, tables), plus passes,
 * pattern files and native predicates a caller registers. Pattern files are loaded and checked
 * together, once, on first use; a problem in any of them is a {@link BadInputException}.
 *
 * <pre>{@code
 * PassRegistry r = PassRegistry.standard()
 *         .registerPredicate("IsMyWeight", args -> …)
 *         .registerPatterns("my-fusions", Path.of("my.fuse"))
 *         .registerPass(new MyPass());
 * r.pipeline(List.of("canonicalize", "raise", "my-fusions", "my-pass")) …
 * }</pre>
 */
public final class PassRegistry {
    /** What {@code graphfuse optimize} runs without {@code --passes}. */
    public static final List<String> DEFAULT_PIPELINE = List.of("canonicalize", "raise", "fuse", "tables");
    /** The built-in stages and their files, relative to {@link #LIBRARY_ROOT}. */
    public static final String LIBRARY_INDEX = "dev/graphfuse/patterns/library.txt";
    public static final String LIBRARY_ROOT = "dev/graphfuse/patterns/";

    private final PredicateRegistry predicates = PredicateRegistry.withBuiltins();
    private final Map<String, Pass> passes = new LinkedHashMap<>();
    private final Map<String, List<String>> builtinStages = new LinkedHashMap<>();
    private final Map<String, List<Path>> userPatternPasses = new LinkedHashMap<>();
    private PatternLibrary library;

    private PassRegistry() {
    }

    /** The built-in passes and pattern stages. */
    public static PassRegistry standard() {
        PassRegistry r = new PassRegistry();
        r.passes.put("canonicalize", new CompositePass("canonicalize",
                "constant folding of shape sub-graphs, reshape/view unification, CSE, dead code",
                Canonicalize.passes()));
        for (Pass p : Canonicalize.passes()) {
            r.passes.put(p.name(), p);
        }
        r.builtinStages.putAll(readIndex());
        return r;
    }

    private static Map<String, List<String>> readIndex() {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        try (InputStream in = PassRegistry.class.getClassLoader().getResourceAsStream(LIBRARY_INDEX)) {
            if (in == null) {
                throw new IllegalStateException("the pattern library is not on the classpath (" + LIBRARY_INDEX + ")");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+");
                List<String> files = stages.computeIfAbsent(parts[0], k -> new ArrayList<>());
                for (int i = 1; i < parts.length; i++) {
                    files.add(LIBRARY_ROOT + parts[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stages;
    }

    public PassRegistry registerPass(Pass pass) {
        checkFree(pass.name());
        passes.put(pass.name(), pass);
        return this;
    }

    /** A pass made of the patterns declared in {@code files} (imports are loaded but not part of it). */
    public PassRegistry registerPatterns(String passName, List<Path> files) {
        checkFree(passName);
        userPatternPasses.put(passName, List.copyOf(files));
        library = null;
        return this;
    }

    public PassRegistry registerPatterns(String passName, Path... files) {
        return registerPatterns(passName, List.of(files));
    }

    public PassRegistry registerPredicate(String name, NativePredicate predicate) {
        predicates.register(name, predicate);
        library = null;
        return this;
    }

    private void checkFree(String name) {
        Objects.requireNonNull(name, "name is null");
        if (passes.containsKey(name) || builtinStages.containsKey(name) || userPatternPasses.containsKey(name)) {
            throw new IllegalArgumentException("a pass named '" + name + "' is already registered");
        }
    }

    /** The library's declaration files: every registered pattern pass sees their ops and predicates. */
    public static final List<String> DECLARATIONS = List.of(LIBRARY_ROOT + "ops/graphfuse.fuse",
            LIBRARY_ROOT + "ops/predicates.fuse");

    /**
     * Every pattern file, built-in and registered. The built-in stages are loaded and checked together;
     * each registered pass apart, in a namespace of its own that holds the library's op and predicate
     * declarations but not its defs and patterns: a user's file cannot collide with a name the library
     * uses, today or in a later version.
     */
    public PatternLibrary library() {
        if (library == null) {
            List<PatternLibrary> parts = new ArrayList<>();
            PatternLoader builtin = new PatternLoader(predicates);
            builtinStages.values().forEach(files -> files.forEach(builtin::resource));
            parts.add(builtin.load());
            List<BadInputException> failures = new ArrayList<>();
            for (List<Path> files : userPatternPasses.values()) {
                PatternLoader user = new PatternLoader(predicates);
                DECLARATIONS.forEach(user::resource);
                files.forEach(user::file);
                try {
                    parts.add(user.load());
                } catch (BadInputException e) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                throw BadInputException.combine(failures);
            }
            library = PatternLibrary.combine(parts);
        }
        return library;
    }

    /** Pass names in registration order: Java passes, built-in stages, registered pattern passes. */
    public List<String> passNames() {
        List<String> names = new ArrayList<>(passes.keySet());
        names.addAll(builtinStages.keySet());
        names.addAll(userPatternPasses.keySet());
        return names;
    }

    public Pass pass(String name) {
        Pass p = passes.get(name);
        if (p != null) {
            return p;
        }
        List<String> files = builtinStages.get(name);
        if (files == null && userPatternPasses.containsKey(name)) {
            files = userPatternPasses.get(name).stream().map(Path::toString).toList();
        }
        if (files == null) {
            throw new IllegalArgumentException("unknown pass '" + name + "' (known: " + String.join(", ", passNames())
                    + ")");
        }
        List<CompiledPattern> patterns = new ArrayList<>();
        for (String f : files) {
            patterns.addAll(library().patternsOf(f));
        }
        return new PatternPass(name, patterns);
    }

    public Pipeline pipeline(List<String> names) {
        List<Pass> list = new ArrayList<>();
        for (String n : names) {
            list.add(pass(n));
        }
        return new Pipeline(String.join(",", names), list);
    }

    /** The pattern pass that holds {@code pattern}, or null. */
    public String passOf(String pattern) {
        String file = library().fileOf(pattern);
        if (file == null) {
            return null;
        }
        for (var e : builtinStages.entrySet()) {
            if (e.getValue().contains(file)) {
                return e.getKey();
            }
        }
        for (var e : userPatternPasses.entrySet()) {
            if (e.getValue().stream().map(Path::toString).anyMatch(file::equals)) {
                return e.getKey();
            }
        }
        return null;
    }
}
