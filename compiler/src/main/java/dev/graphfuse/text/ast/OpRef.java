package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/** {@code [domain::]op[:overload]}; {@code domain} and {@code overload} may be null. */
public record OpRef(Name domain, Name op, Name overload, SourceLocation at) {
}
