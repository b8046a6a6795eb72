package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/** An entry of the {@code model { … }} header. */
public sealed interface HeaderEntry {
    /** {@code key: literal}, e.g. {@code ir_version: 10}. */
    record Field(Lexeme key, Literal value, SourceLocation at) implements HeaderEntry {
    }

    /** {@code opset "domain": version}; {@code sign} is the '-' before the version, or null. */
    record Opset(Lexeme domain, Lexeme sign, Lexeme version) implements HeaderEntry {
    }

    /** {@code metadata "key": "value"}. */
    record Metadata(Lexeme key, Lexeme value) implements HeaderEntry {
    }
}
