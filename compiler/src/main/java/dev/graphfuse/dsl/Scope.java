package dev.graphfuse.dsl;

import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.Slot;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Names visible while compiling: a pattern's lets and captures, or one def call's params and lets. */
final class Scope {
    /** The scope of the def call's caller; null for a pattern's own scope. */
    final Scope caller;
    /** The chain of def calls being expanded, outermost first ({@code a#1.b#2.}); empty for a pattern. */
    final String prefix;
    final Map<String, Decl.Let> lets = new HashMap<>();
    final Map<String, PNode> compiledLets = new HashMap<>();
    /** The lets being resolved, outermost first: a name met again is defined in terms of itself. */
    final Set<String> compiling = new LinkedHashSet<>();
    final Map<String, PNode> params = new HashMap<>();
    final Map<String, Slot> locals = new HashMap<>();

    Scope(Scope caller, String prefix) {
        this.caller = caller;
        this.prefix = prefix;
    }
}
