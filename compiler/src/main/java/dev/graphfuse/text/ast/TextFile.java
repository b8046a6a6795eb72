package dev.graphfuse.text.ast;

import java.util.List;

/** A parsed text file: the model header's entries (none without a header), the main graph, functions. */
public record TextFile(List<HeaderEntry> header, GraphDecl graph, List<FunctionDecl> functions) {
    public TextFile {
        header = List.copyOf(header);
        functions = List.copyOf(functions);
    }
}
