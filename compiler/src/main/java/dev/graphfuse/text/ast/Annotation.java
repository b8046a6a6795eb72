package dev.graphfuse.text.ast;

import java.util.List;

/** What may follow a node, value or tensor: its doc string, metadata, or preserved unknown fields. */
public sealed interface Annotation {
    record Doc(Lexeme text) implements Annotation {
    }

    record Metadata(List<MetadataEntry> entries) implements Annotation {
        public Metadata {
            entries = List.copyOf(entries);
        }
    }

    /** Base64 of protobuf fields graphfuse does not model (nodes only). */
    record Preserved(Lexeme base64) implements Annotation {
    }
}
