package dev.graphfuse.text.ast;

import java.util.List;

/** {@code function [domain::]name[:overload](inputs) -> (outputs) options { statements }}. */
public record FunctionDecl(OpRef op, List<Name> inputs, List<Name> outputs, List<Option> options,
                           List<Statement> statements) {
    public FunctionDecl {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        options = List.copyOf(options);
        statements = List.copyOf(statements);
    }

    /** What may stand between a function's signature and its body. */
    public sealed interface Option {
    }

    public record AttributeNames(List<Name> names) implements Option {
        public AttributeNames {
            names = List.copyOf(names);
        }
    }

    public record Defaults(List<Attr> attributes) implements Option {
        public Defaults {
            attributes = List.copyOf(attributes);
        }
    }

    /** {@code sign} is the '-' before the version, or null. */
    public record Opset(Lexeme domain, Lexeme sign, Lexeme version) implements Option {
    }

    public record Doc(Lexeme text) implements Option {
    }

    public record Metadata(List<MetadataEntry> entries) implements Option {
        public Metadata {
            entries = List.copyOf(entries);
        }
    }
}
