package dev.graphfuse.canonicalize;

import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.Pipeline;
import java.util.List;
import java.util.Optional;

/**
 * The canonicalize stage (import → canonicalize → raise → fuse → export): brings whatever spelling
 * an exporter chose to one form, so that declarative fusion patterns stay small. The passes are
 * stateless, so these instances are shared.
 */
public final class Canonicalize {
    /** The pass name every canonicalize rule records its {@link dev.graphfuse.pass.RuleStats} under. */
    public static final String STATS_PASS = "canonicalize";

    /** Folds constant shape arithmetic into initializers and turns Constant nodes into initializers. */
    public static final Pass FOLD_CONSTANTS = new ConstantFoldingPass();

    /** Removes Identity and no-op Cast/Reshape, collapses Reshape chains, rewrites views as Reshape. */
    public static final Pass RESHAPE = new ReshapeCanonicalizationPass();

    /** Merges nodes with the same op, inputs and attributes, and equal small constants. */
    public static final Pass CSE = new CommonSubexpressionPass();

    /** Removes nodes and initializers whose values nothing uses. */
    public static final Pass DCE = new DeadCodeEliminationPass();

    /** Annotates values that declare no type with the type and static shape that can be proved. */
    public static final Pass INFER_TYPES = new TypeAnnotationPass();

    private Canonicalize() {
    }

    /** Every canonicalize pass, in pipeline order. */
    public static List<Pass> passes() {
        return List.of(FOLD_CONSTANTS, RESHAPE, CSE, DCE, INFER_TYPES);
    }

    /**
     * The stage as a pipeline. Order matters: folding first turns per-layer shape computations into
     * equal constants that CSE can then merge, reshape rewrites create Reshapes CSE can merge, and
     * DCE sweeps up what the others disconnected, and type inference runs on the final graph.
     */
    public static Pipeline pipeline() {
        return new Pipeline("canonicalize", passes());
    }

    /** The pass called {@code name} ({@code fold-constants}, {@code reshape}, {@code cse}, {@code dce}, {@code infer-types}), for {@code --passes}. */
    public static Optional<Pass> byName(String name) {
        return passes().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
