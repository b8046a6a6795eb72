package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** {@code graph NAME(inputs) -> (outputs) { statements }}: the main graph or a GRAPH attribute's value. */
public record GraphDecl(Name name, List<Param> inputs, List<Param> outputs, List<Statement> statements,
                        SourceLocation at) {
    public GraphDecl {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        statements = List.copyOf(statements);
    }

    /** A graph input or output: {@code name} or {@code name: type}; {@code type} may be null. */
    public record Param(Name name, TypeExpr type) {
        public SourceLocation at() {
            return name.at();
        }
    }
}
