package dev.graphfuse.dsl.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** What an attribute of a matched node must be. */
public sealed interface AttrPattern {
    SourceLocation location();

    /** Numbers (a scalar or a list) within a tolerance. */
    record Numbers(List<Double> values, boolean list, Double tolerance, SourceLocation location) implements AttrPattern {
        public Numbers {
            values = List.copyOf(values);
        }
    }

    record Text(String value, SourceLocation location) implements AttrPattern {
    }

    /** Present or defaulted, any value. */
    record Any(SourceLocation location) implements AttrPattern {
    }

    /** Bound on first use; later uses must be equal. */
    record Capture(String name, SourceLocation location) implements AttrPattern {
    }
}
