package dev.graphfuse.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two location forms print as the front ends always printed them, through one Diagnostic. */
class DiagnosticFormsTest {
    @Test
    void aPositionPrintsAsFileLineColumn() {
        assertEquals("p.fuse:3:7: error: x", new Diagnostic(new SourceLocation("p.fuse", 3, 7), "x").toString());
        assertEquals("t.gft:2:9: error: x", new BadInputException("t.gft", "2:9", "x").getMessage());
    }

    @Test
    void anElementPrintsAfterTheFile() {
        BadInputException e = new BadInputException("m.onnx", "graph.node[3].attribute[0]", "bad");
        assertEquals("m.onnx: graph.node[3].attribute[0]: error: bad", e.getMessage());
        assertEquals("graph.node[3].attribute[0]", e.location());
        assertEquals("m.onnx: error: bad", new BadInputException("m.onnx", null, "bad").getMessage());
        assertEquals("--tolerance: error: bad", new BadInputException("--tolerance", null, "bad").getMessage());
        assertEquals("error: bad", new BadInputException(null, null, "bad").getMessage());
    }

    @Test
    void notesFollowOnTheirOwnLinesAndFailuresCombine() {
        Diagnostic d = new Diagnostic(new SourceLocation("a.fuse", 2, 1), "op 'A' is already declared",
                List.of(new Diagnostic.Note(new SourceLocation("a.fuse", 1, 1), "previous declaration is here")));
        BadInputException both = BadInputException.combine(List.of(new BadInputException(d),
                new BadInputException(new Diagnostic(new SourceLocation("b.fuse", 4, 2), "y"))));
        assertEquals("a.fuse:2:1: error: op 'A' is already declared\na.fuse:1:1: note: previous declaration is here\n"
                + "b.fuse:4:2: error: y", both.getMessage());
    }

    @Test
    void theDslNotationWritesEveryEscapeAsUnicode() {
        assertEquals("a\\u0001\\u000a\\u2028'\\", Quote.oneLine("a\u0001\n\u2028'\\", Quote.Notation.UNICODE));
        assertEquals("a\\x01\\n\\u2028'\\", Quote.oneLine("a\u0001\n\u2028'\\"));
    }
}
