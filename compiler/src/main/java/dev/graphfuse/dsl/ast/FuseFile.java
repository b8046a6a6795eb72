package dev.graphfuse.dsl.ast;

import java.util.List;

/** One parsed .fuse file, declarations in source order. */
public record FuseFile(String path, List<Decl> decls) {
    public FuseFile {
        decls = List.copyOf(decls);
    }
}
