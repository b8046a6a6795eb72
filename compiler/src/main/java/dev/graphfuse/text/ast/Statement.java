package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** One statement of a graph or function body. */
public sealed interface Statement {
    record GraphDoc(Lexeme text) implements Statement {
    }

    record GraphMetadata(Lexeme key, Lexeme value) implements Statement {
    }

    record GraphPreserved(Lexeme base64) implements Statement {
    }

    /** {@code init name: type = data}. */
    record Initializer(Name name, TypeExpr type, TensorDataExpr data, List<Annotation> annotations)
            implements Statement {
        public Initializer {
            annotations = List.copyOf(annotations);
        }
    }

    /** {@code sparse_init name[: type] = "base64"}; {@code type} may be null. */
    record SparseInitializer(Name name, TypeExpr type, Lexeme base64) implements Statement {
    }

    /** {@code value name doc … metadata {…}}: annotations of a value defined elsewhere. */
    record ValueInfo(Name name, List<Annotation> annotations) implements Statement {
        public ValueInfo {
            annotations = List.copyOf(annotations);
        }
    }

    /**
     * {@code [name] outs = op(args) {attributes} annotations}; {@code name} may be null. An empty
     * argument name is an omitted input.
     */
    record NodeStatement(Name name, List<Output> outputs, OpRef op, List<Name> args, List<Attr> attributes,
                         List<Annotation> annotations, SourceLocation at) implements Statement {
        public NodeStatement {
            outputs = List.copyOf(outputs);
            args = List.copyOf(args);
            attributes = List.copyOf(attributes);
            annotations = List.copyOf(annotations);
        }
    }

    /** A node output: {@code name} or {@code name: type}; {@code type} may be null. */
    record Output(Name name, TypeExpr type) {
        public SourceLocation at() {
            return name.at();
        }
    }
}
