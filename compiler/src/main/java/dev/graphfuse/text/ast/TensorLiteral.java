package dev.graphfuse.text.ast;

import java.util.List;

/** {@code tensor [name:] type = data}; {@code name} may be null. */
public record TensorLiteral(Name name, TypeExpr type, TensorDataExpr data, List<Annotation> annotations) {
    public TensorLiteral {
        annotations = List.copyOf(annotations);
    }
}
