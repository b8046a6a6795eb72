package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graphfuse.match.PredicateRegistry;
import org.junit.jupiter.api.Test;

/**
 * A chain of defs, each only calling the next, adds no operations but nests the compiler's expansion: it is
 * refused at 64 levels with a located error, never a StackOverflowError (3,000 levels here).
 */
class DefDepthTest {
    @Test
    void aLongChainOfDefsIsALocatedErrorNotAStackOverflow() {
        StringBuilder sb = new StringBuilder("op t.Leaf(a);\ndef d0(x) { return Relu(x); }\n");
        for (int i = 1; i < 3000; i++) {
            sb.append("def d").append(i).append("(x) { return d").append(i - 1).append("(x); }\n");
        }
        sb.append("pattern Deep { let y = d2999(x); replace y with t.Leaf(x); }\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PatternLoader(PredicateRegistry.withBuiltins()).source("deep.fuse", sb.toString()).load());
        assertEquals("deep.fuse:3:20: error: defs nest more than 64 deep here (d64 → … → d0)",
                e.diagnostics().get(0).toString().lines().findFirst().orElseThrow());
    }
}
