package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** A value type as written. */
public sealed interface TypeExpr {
    SourceLocation at();

    /** {@code f32[2, N]}; {@code dims} is null when no brackets follow the element type. */
    record Tensor(Lexeme element, List<DimExpr> dims, SourceLocation at) implements TypeExpr {
        public Tensor {
            dims = dims == null ? null : List.copyOf(dims);
        }
    }

    record Sequence(TypeExpr element, SourceLocation at) implements TypeExpr {
    }

    record Optional(TypeExpr element, SourceLocation at) implements TypeExpr {
    }

    record Map(Lexeme key, TypeExpr value, SourceLocation at) implements TypeExpr {
    }

    /** {@code sparse(f32[2, 3])}; {@code dims} is null when no brackets follow the element type. */
    record Sparse(Lexeme element, List<DimExpr> dims, SourceLocation at) implements TypeExpr {
        public Sparse {
            dims = dims == null ? null : List.copyOf(dims);
        }
    }

    record Opaque(Lexeme domain, Lexeme name, SourceLocation at) implements TypeExpr {
    }
}
