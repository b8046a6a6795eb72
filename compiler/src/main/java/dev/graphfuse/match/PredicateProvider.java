package dev.graphfuse.match;

/**
 * Native predicates that come with a group of patterns (the RoPE patterns' index checks), registered
 * into every {@link PredicateRegistry#withBuiltins()} registry. Listed in
 * {@code META-INF/services/dev.graphfuse.match.PredicateProvider}.
 */
public interface PredicateProvider {
    void registerInto(PredicateRegistry registry);
}
