package dev.graphfuse.pass;

import dev.graphfuse.ir.Model;
import java.util.List;

/** Several passes under one name, run in order (e.g. {@code canonicalize} = fold, reshape, cse, dce). */
public record CompositePass(String name, String summary, List<Pass> passes) implements Pass {
    public CompositePass {
        passes = List.copyOf(passes);
    }

    @Override
    public void run(Model model, PassContext context) {
        for (Pass p : passes) {
            var na = p.notApplicableTo(model);
            if (na.isPresent()) {
                context.fallback("pass " + p.name(), "skipped, " + na.get().reason());
                continue;
            }
            p.run(model, context);
        }
    }
}
