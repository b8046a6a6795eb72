package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.FuseFile;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.dsl.parse.FuseFileParser;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.NativePredicate;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.PredicateRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads .fuse files (from disk or the classpath) with their imports, checks every declaration and
 * compiles the patterns. All problems are collected and thrown together as one {@link BadInputException},
 * sorted by location; nothing is checked later, at match time.
 */
public final class PatternLoader {
    /** The ONNX op signatures every file sees without importing them. */
    public static final String PRELUDE = "dev/graphfuse/dsl/onnx.fuse";
    /** The attribute kinds an op declaration may use (sparse tensors are kept opaque: no pattern looks inside). */
    private static final Set<Attribute.Kind> ATTR_KINDS = java.util.EnumSet.complementOf(java.util.EnumSet.of(
            Attribute.Kind.SPARSE_TENSOR, Attribute.Kind.SPARSE_TENSORS));

    private final PredicateRegistry predicates;
    private final List<Source> requested = new ArrayList<>();

    public PatternLoader(PredicateRegistry predicates) {
        this.predicates = predicates;
    }

    /** A .fuse file on disk, named in messages as given. */
    public PatternLoader file(Path path) {
        requested.add(new Source(path.toString(), path, null, null));
        return this;
    }

    /** A .fuse file on the classpath, e.g. {@code dev/graphfuse/patterns/fuse/qk_norm_rope.fuse}. */
    public PatternLoader resource(String resourcePath) {
        requested.add(new Source(resourcePath, null, resourcePath, null));
        return this;
    }

    /**
     * In-memory source (tests, editors, API users). Its imports resolve against the directory of
     * {@code name} when that is a path with a parent (the file the text was read from), otherwise
     * against the working directory.
     */
    public PatternLoader source(String name, String text) {
        requested.add(new Source(name, null, null, text));
        return this;
    }

    private record Source(String name, Path path, String resource, String text) {
        String key() {
            return path != null ? "file:" + path.toAbsolutePath().normalize() : resource != null ? "res:" + resource
                    : "mem:" + name;
        }

        Source resolve(String imported) {
            if (resource != null) {
                String dir = resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "";
                String res = Path.of(dir + imported).normalize().toString().replace('\\', '/');
                return new Source(res, null, res, null);
            }
            Path self = path;
            if (self == null) {
                try {
                    self = Path.of(name);
                } catch (java.nio.file.InvalidPathException e) {
                    self = null;
                }
            }
            Path base = self != null && self.getParent() != null ? self.getParent() : Path.of("");
            Path p = base.resolve(imported).normalize();
            return new Source(p.toString(), p, null, null);
        }
    }

    public PatternLibrary load() {
        roots.clear();
        for (Source s : requested) {
            if (s.resource() == null) {
                Path self = s.path() != null ? s.path() : pathOrNull(s.name());
                Path dir = self != null && self.toAbsolutePath().getParent() != null ? self.toAbsolutePath().getParent()
                        : Path.of("").toAbsolutePath();
                roots.add(dir.normalize());
            }
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<String, FuseFile> files = new LinkedHashMap<>();
        Set<String> visiting = new LinkedHashSet<>();
        visit(new Source(PRELUDE, null, PRELUDE, null), null, null, files, visiting, diagnostics);
        for (Source s : requested) {
            visit(s, null, null, files, visiting, diagnostics);
        }
        // Ops whose declaration has an error: patterns using them are not checked further (no "unknown op" echo).
        Set<String> brokenOps = new java.util.HashSet<>();
        Map<String, OpSignature> ops = new LinkedHashMap<>();
        Map<String, Decl.Op> opDecls = new HashMap<>();
        Map<String, Decl.Predicate> predicateDecls = new LinkedHashMap<>();
        Map<String, Decl.Def> defs = new LinkedHashMap<>();
        Map<String, Decl.Pattern> patternDecls = new LinkedHashMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        Map<String, SourceLocation> names = new HashMap<>();
        for (FuseFile f : files.values()) {
            for (Decl d : f.decls()) {
                switch (d) {
                    case Decl.Import i -> {
                    }
                    case Decl.Op op -> {
                        String q = op.domain().isEmpty() ? op.name() : op.domain() + "." + op.name();
                        Decl.Op prev = opDecls.putIfAbsent(q, op);
                        if (prev != null && sameSignature(prev, op)) {
                            continue; // a copy of the declaration already in scope (a user's file, say)
                        }
                        if (prev != null) {
                            diagnostics.add(new Diagnostic(op.location(), "op '" + q + "' is already declared",
                                    List.of(new Diagnostic.Note(prev.location(), "previous declaration is here"))));
                            continue;
                        }
                        OpSignature sig = signature(op, diagnostics);
                        if (sig != null) {
                            ops.put(q, sig);
                        } else {
                            brokenOps.add(q);
                        }
                    }
                    case Decl.Predicate p -> {
                        Decl.Predicate prev = predicateDecls.get(p.name());
                        if (prev != null && prev.params().equals(p.params())) {
                            continue; // the same predicate declared again: one Java implementation either way
                        }
                        if (declareName("predicate", p.name(), p.location(), names, diagnostics)) {
                            predicateDecls.put(p.name(), p);
                        }
                    }
                    case Decl.Def def -> {
                        if (declareName("def", def.name(), def.location(), names, diagnostics)) {
                            defs.put(def.name(), def);
                        }
                    }
                    case Decl.Pattern p -> {
                        if (declareName("pattern", p.name(), p.location(), names, diagnostics)) {
                            patternDecls.put(p.name(), p);
                            fileOf.put(p.name(), f.path());
                        }
                    }
                }
            }
        }
        Map<String, NativePredicate> impls = new HashMap<>();
        for (String n : predicates.names()) {
            impls.put(n, predicates.get(n));
        }
        Map<String, SourceLocation> opLocations = new HashMap<>();
        opDecls.forEach((q, op) -> opLocations.put(q, op.location()));
        Declarations decls = new Declarations(ops, opLocations, brokenOps, defs, predicateDecls, impls);
        Reporter reporter = new Reporter(diagnostics);
        List<CompiledPattern> compiled = new ArrayList<>();
        Set<String> usedDefs = new java.util.HashSet<>();
        for (Decl.Pattern p : patternDecls.values()) {
            PatternCompiler c = new PatternCompiler(decls, reporter);
            CompiledPattern cp = c.compile(p);
            usedDefs.addAll(c.usedDefs());
            if (cp != null) {
                compiled.add(cp);
            }
        }
        // A def no pattern uses is still checked, so a library's errors do not wait for its first user.
        for (Decl.Def def : defs.values()) {
            if (!usedDefs.contains(def.name())) {
                PatternCompiler c = new PatternCompiler(decls, reporter);
                c.checkDef(def);
                usedDefs.addAll(c.usedDefs());
            }
        }
        if (!diagnostics.isEmpty()) {
            // A def used by several patterns reports the errors in its body once.
            List<Diagnostic> sorted = new ArrayList<>(new LinkedHashSet<>(diagnostics));
            sorted.sort(Comparator.comparing((Diagnostic d) -> d.location().file())
                    .thenComparingInt(d -> d.location().line()).thenComparingInt(d -> d.location().column()));
            throw new BadInputException(sorted);
        }
        return new PatternLibrary(ops, compiled, fileOf);
    }

    /** Two op declarations that say the same thing (locations and docs aside). */
    private static boolean sameSignature(Decl.Op a, Decl.Op b) {
        java.util.function.Function<List<Decl.Port>, List<String>> ports = l -> l.stream()
                .map(p -> p.name() + ":" + p.type() + ":" + p.optional() + ":" + p.variadic()).toList();
        java.util.function.Function<List<Decl.AttrDecl>, List<String>> attrs = l -> l.stream()
                .map(x -> x.name() + ":" + x.kind() + ":" + x.optional() + ":" + x.defaultValue()).toList();
        return ports.apply(a.inputs()).equals(ports.apply(b.inputs())) && ports.apply(a.outputs()).equals(ports.apply(b.outputs()))
                && a.commutative() == b.commutative() && attrs.apply(a.attributes()).equals(attrs.apply(b.attributes()));
    }

    private static boolean declareName(String what, String name, SourceLocation loc, Map<String, SourceLocation> names,
                                       List<Diagnostic> diagnostics) {
        SourceLocation prev = names.putIfAbsent(name, loc);
        if (prev != null) {
            diagnostics.add(new Diagnostic(loc, "'" + name + "' is already declared",
                    List.of(new Diagnostic.Note(prev, "previous declaration is here"))));
            return false;
        }
        return true;
    }

    /** The folders of the .fuse files given: a file's imports must stay inside one of them. */
    private final List<Path> roots = new ArrayList<>();

    private static Path pathOrNull(String name) {
        try {
            return Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /**
     * Why a file's import may not be read, or null: only relative paths that stay, links resolved, inside
     * the folders of the .fuse files given (a pattern file from elsewhere must not read what it likes).
     */
    private String outsideRoots(String written, Source imported) {
        if (imported.resource() != null) {
            return null;
        }
        Path p = pathOrNull(written);
        if (p == null || p.isAbsolute()) {
            return "only relative paths may be imported";
        }
        Path abs = imported.path().toAbsolutePath().normalize();
        for (Path root : roots) {
            if (abs.startsWith(root)) {
                try {
                    if (!java.nio.file.Files.exists(abs) || abs.toRealPath().startsWith(root.toRealPath())) {
                        return null;
                    }
                } catch (IOException e) {
                    return null; // unreadable: reported when it is read
                }
            }
        }
        return "it is outside the folders of the .fuse files given (" + roots.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    /** @param written the import's path as the importing file spells it (null for requested files) */
    private void visit(Source s, SourceLocation importedAt, String written, Map<String, FuseFile> files,
                       Set<String> visiting, List<Diagnostic> diagnostics) {
        String key = s.key();
        if (files.containsKey(key) || visiting.contains(key)) {
            return;
        }
        String text;
        try {
            text = read(s);
        } catch (IOException e) {
            SourceLocation at = importedAt != null ? importedAt : new SourceLocation(s.name(), 1, 1);
            diagnostics.add(new Diagnostic(at, importedAt != null ? "cannot read imported file '" + Quote.oneLine(written, Quote.Notation.UNICODE) + "': "
                    + reason(e) : "cannot read '" + s.name() + "': " + reason(e)));
            return;
        }
        FuseFile f;
        try {
            f = FuseFileParser.parse(text, s.name());
        } catch (BadInputException e) {
            diagnostics.addAll(e.diagnostics());
            return;
        }
        visiting.add(key);
        for (Decl d : f.decls()) {
            if (d instanceof Decl.Import i) {
                Source imported;
                try {
                    imported = s.resolve(i.path());
                } catch (java.nio.file.InvalidPathException e) {
                    diagnostics.add(new Diagnostic(i.location(), "cannot read imported file '" + Quote.oneLine(i.path(), Quote.Notation.UNICODE)
                            + "': not a valid path"));
                    continue;
                }
                String outside = s.resource() == null ? outsideRoots(i.path(), imported) : null;
                if (outside != null) {
                    diagnostics.add(new Diagnostic(i.location(), "cannot import '" + Quote.oneLine(i.path(), Quote.Notation.UNICODE) + "': " + outside));
                    continue;
                }
                visit(imported, i.location(), i.path(), files, visiting, diagnostics);
            }
        }
        visiting.remove(key);
        files.put(key, f);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String read(Source s) throws IOException {
        if (s.text() != null) {
            return s.text();
        }
        byte[] bytes;
        if (s.path() != null) {
            if (Files.isDirectory(s.path())) {
                throw new IOException("is a directory");
            }
            bytes = Files.readAllBytes(s.path());
        } else {
            try (InputStream in = PatternLoader.class.getClassLoader().getResourceAsStream(s.resource())) {
                if (in == null) {
                    throw new java.nio.file.NoSuchFileException(s.resource());
                }
                bytes = in.readAllBytes();
            }
        }
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    private static OpSignature signature(Decl.Op op, List<Diagnostic> diagnostics) {
        boolean ok = true;
        List<OpSignature.Port> inputs = new ArrayList<>();
        List<OpSignature.Port> outputs = new ArrayList<>();
        for (List<Decl.Port> ports : List.of(op.inputs(), op.outputs())) {
            for (int i = 0; i < ports.size(); i++) {
                Decl.Port p = ports.get(i);
                if (p.variadic() && i != ports.size() - 1) {
                    diagnostics.add(new Diagnostic(p.location(), "only the last port may be variadic ('...')"));
                    ok = false;
                }
                (ports == op.inputs() ? inputs : outputs).add(new OpSignature.Port(p.name(), p.type(), p.optional(), p.variadic()));
            }
        }
        for (Decl.Port p : op.outputs()) {
            if (p.type() != null && op.inputs().stream().noneMatch(in -> p.type().equals(in.type()))) {
                diagnostics.add(new Diagnostic(p.location(), "output '" + p.name() + "' has type " + p.type()
                        + ", which no input declares (an output's type comes from an input's)"));
                ok = false;
            }
        }
        if (op.commutative() && (op.inputs().size() < 2 || op.inputs().get(0).optional() || op.inputs().get(1).optional())) {
            diagnostics.add(new Diagnostic(op.location(), "'commutative' needs two required operands"));
            ok = false;
        }
        Map<String, OpSignature.AttrSpec> attrs = new LinkedHashMap<>();
        for (Decl.AttrDecl a : op.attributes()) {
            Attribute.Kind kind = Attribute.Kind.fromKeyword(a.kind());
            if (kind == null || !ATTR_KINDS.contains(kind)) {
                diagnostics.add(new Diagnostic(a.kindLocation(), "unknown attribute kind '" + a.kind() + "' (one of "
                        + String.join(", ", ATTR_KINDS.stream().map(Attribute.Kind::keyword).sorted().toList()) + ")"));
                ok = false;
                continue;
            }
            Object dflt = a.defaultValue();
            if (dflt != null) {
                String problem = defaultProblem(kind, dflt);
                if (problem != null) {
                    diagnostics.add(new Diagnostic(a.defaultLocation(), "default of '" + a.name() + "' " + problem));
                    ok = false;
                    continue;
                }
                dflt = normalizeDefault(kind, dflt);
            }
            if (attrs.put(a.name(), new OpSignature.AttrSpec(a.name(), kind, a.optional(), dflt)) != null) {
                diagnostics.add(new Diagnostic(a.location(), "attribute '" + a.name() + "' is declared twice"));
                ok = false;
            }
        }
        return ok ? new OpSignature(op.domain(), op.name(), inputs, outputs, op.commutative(), attrs) : null;
    }

    private static String defaultProblem(Attribute.Kind kind, Object dflt) {
        boolean list = dflt instanceof List<?>;
        return switch (kind) {
            case INT -> dflt instanceof Double d && d == Math.rint(d) ? null : "must be an integer";
            case FLOAT -> dflt instanceof Double ? null : "must be a number";
            case INTS -> list && ((List<?>) dflt).stream().allMatch(x -> (Double) x == Math.rint((Double) x)) ? null
                    : "must be a list of integers";
            case FLOATS -> list ? null : "must be a list of numbers";
            case STRING -> dflt instanceof String ? null : "must be a string";
            default -> "cannot be given for kind " + kind.keyword();
        };
    }

    /** Defaults compare like node attributes: Long for ints, Double for floats. */
    private static Object normalizeDefault(Attribute.Kind kind, Object dflt) {
        return switch (kind) {
            case INT -> (long) (double) (Double) dflt;
            case INTS -> ((List<?>) dflt).stream().map(x -> (long) (double) (Double) x).toList();
            default -> dflt;
        };
    }
}
