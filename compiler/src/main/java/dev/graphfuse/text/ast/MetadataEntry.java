package dev.graphfuse.text.ast;

/** {@code "key": "value"} in a metadata block. */
public record MetadataEntry(Lexeme key, Lexeme value) {
}
