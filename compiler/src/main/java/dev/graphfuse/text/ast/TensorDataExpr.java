package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** A constant tensor's data as written. */
public sealed interface TensorDataExpr {
    SourceLocation at();

    /** {@code [1, 2, 3]}. */
    record Values(List<Literal> values, SourceLocation at) implements TensorDataExpr {
        public Values {
            values = List.copyOf(values);
        }
    }

    /** {@code raw "base64"}. */
    record Raw(Lexeme base64, SourceLocation at) implements TensorDataExpr {
    }

    /** {@code external "file" offset N length N [checksum "…"] [extra {…}]}; checksum and extra may be null. */
    record External(Lexeme location, Lexeme offset, Lexeme length, Lexeme checksum, List<MetadataEntry> extra,
                    SourceLocation at) implements TensorDataExpr {
        public External {
            extra = extra == null ? null : List.copyOf(extra);
        }
    }

    /** {@code ...}: the data was left out when the text was printed. */
    record Elided(SourceLocation at) implements TensorDataExpr {
    }
}
