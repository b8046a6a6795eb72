package dev.graphfuse.pass;

import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.util.Progress;
import java.util.List;
import java.util.Optional;

/**
 * Runs a pipeline over a model. After each pass the model must verify: a pass that leaves a
 * broken graph is a bug in the pass, reported with its name, never an output file.
 */
public final class PassManager {
    private final boolean verifyEachPass;

    public PassManager(boolean verifyEachPass) {
        this.verifyEachPass = verifyEachPass;
    }

    public PassManager() {
        this(true);
    }

    public void run(Model model, Pipeline pipeline, PassContext context) {
        try (Progress.Task task = Progress.current().start("optimize", pipeline.passes().size(), Progress.Unit.STEPS)) {
            for (Pass pass : pipeline.passes()) {
                runOne(pass, model, context);
                task.advance(1);
            }
        }
    }

    private void runOne(Pass pass, Model model, PassContext context) {
        Optional<NotApplicable> na = pass.notApplicableTo(model);
        if (na.isPresent()) {
            context.fallback("pass " + pass.name(), "skipped, " + na.get().reason());
            return;
        }
        pass.run(model, context);
        if (verifyEachPass) {
            List<String> problems = GraphVerifier.problems(model);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("pass " + pass.name() + " left an invalid graph:\n  "
                        + String.join("\n  ", problems));
            }
        }
    }
}
