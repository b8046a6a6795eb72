package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.match.Slot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The slots one pattern binds, by name and scope, with where each is first used. */
final class Bindings {
    private final Reporter reporter;
    final List<Slot> slots = new ArrayList<>();
    final Map<String, Slot> slotsByName = new LinkedHashMap<>();
    private final List<SourceLocation> locations = new ArrayList<>();
    /** The pattern's own let names; a reference to one that no root reached is reported at the let. */
    final Set<String> letNames = new LinkedHashSet<>();
    /**
     * A root did not compile (already reported), so which names it would have bound is unknown:
     * "unknown name" and "not part of the matched graph" would only echo that error.
     */
    boolean incomplete;
    private int hiddenCounter;

    Bindings(Reporter reporter) {
        this.reporter = reporter;
    }

    Slot slot(String name, Slot.Kind kind, Attribute.Kind attrKind, SourceLocation loc) {
        Slot s = new Slot(slots.size(), name, kind, attrKind, false);
        slots.add(s);
        locations.add(loc);
        return s;
    }

    /** A number for a hidden name (a tuple let's node, a def call), unique in the pattern. */
    int nextHiddenId() {
        return ++hiddenCounter;
    }

    /** A pattern-level name (capture, let, attribute capture, dim symbol), created on first use. */
    Slot named(Scope scope, String name, Slot.Kind kind, Attribute.Kind attrKind, SourceLocation loc) {
        // Dimension symbols are pattern-wide: a shape anywhere binds the same symbol.
        boolean global = scope.caller == null || kind == Slot.Kind.DIM;
        Map<String, Slot> table = global ? slotsByName : scope.locals;
        Slot s = table.get(name);
        if (s == null) {
            s = slot(global ? name : scope.prefix + name, kind, attrKind, loc);
            table.put(name, s);
            if (!global) {
                // Def locals are reachable by their prefixed name for explain output only.
                slotsByName.putIfAbsent(scope.prefix + name, s);
            }
            return s;
        }
        if (s.kind() != kind || (kind == Slot.Kind.ATTR && s.attrKind() != null && attrKind != null
                && s.attrKind() != attrKind)) {
            reporter.error(loc, "'" + name + "' is used as " + describeKind(kind, attrKind) + " here, but it is "
                    + describeKind(s.kind(), s.attrKind()), new Diagnostic.Note(locations.get(s.index()), "'" + name
                    + "' is first used here"));
        }
        return s;
    }

    /** {@code name} (bound in {@code scope} as {@code slot}) is constrained to be a constant. */
    Slot markConstant(Scope scope, String name, Slot slot) {
        Slot constant = new Slot(slot.index(), slot.name(), slot.kind(), null, true);
        slots.set(slot.index(), constant);
        (scope.caller == null ? slotsByName : scope.locals).put(name, constant);
        return constant;
    }

    /**
     * The slot {@code name} refers to in a require or the replacement, or null after reporting why there
     * is none, unless the cause is reported elsewhere (a let no root reached, a root that did not compile).
     */
    Slot reference(String name, SourceLocation loc, Set<Integer> matchedSlots, String where) {
        Slot s = slotsByName.get(name);
        if (s == null) {
            if (!incomplete && !letNames.contains(name)) {
                reporter.error(loc, "unknown name '" + name + "'" + where);
            }
            return null;
        }
        if (!matchedSlots.contains(s.index())) {
            if (!incomplete && !letNames.contains(name)) {
                reporter.error(loc, "'" + name + "' is not part of the matched graph: no root uses it");
            }
            return null;
        }
        return s;
    }

    static String describeKind(Slot.Kind kind, Attribute.Kind attrKind) {
        return switch (kind) {
            case VALUE -> "a value";
            case ATTR -> attrKind == null ? "an attribute" : "an attribute of kind " + attrKind.keyword();
            case DIM -> "a dimension";
            case NODE -> "a node";
        };
    }
}
