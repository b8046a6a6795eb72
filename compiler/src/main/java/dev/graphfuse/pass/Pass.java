package dev.graphfuse.pass;

import dev.graphfuse.ir.Model;
import java.util.Optional;

/**
 * One step of a pipeline: a Java rewrite or a set of {@code .fuse} patterns. A pass mutates the
 * model in place and counts what it did in the context's statistics.
 */
public interface Pass {
    /** The name pipelines and {@code --passes} use. */
    String name();

    /** One line for {@code graphfuse passes} and docs. */
    default String summary() {
        return "";
    }

    /** Why this pass cannot run on {@code model}, or empty when it can. */
    default Optional<NotApplicable> notApplicableTo(Model model) {
        return Optional.empty();
    }

    void run(Model model, PassContext context);
}
