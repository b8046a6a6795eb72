package dev.graphfuse.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Text from an input file in a diagnostic stays on one line and readable. */
class QuoteTest {
    @Test
    void plainNamesAreOnlyQuoted() {
        assertEquals("'w'", Quote.quote("w"));
        assertEquals("''", Quote.quote(""));
        assertEquals("'model.layers.0/attn:0 — ü 中'", Quote.quote("model.layers.0/attn:0 — ü 中"));
        assertEquals("'😀'", Quote.quote("😀"), "a surrogate pair is one visible character");
    }

    @Test
    void lineBreaksAndControlCharactersAreEscaped() {
        assertEquals("'a\\nb\\r\\tc\\x00\\x1b\\x7f'", Quote.quote("a\nb\r\tc\u0000\u001b\u007f"));
        // C1 NEL, line and paragraph separators, a bidi override and an unpaired surrogate
        assertEquals("'\\u0085\\u2028\\u2029\\u202e\\ud800'", Quote.quote("\u0085\u2028\u2029\u202e\ud800"));
    }

    @Test
    void quoteSyntaxIsEscapedSoNamesStayDistinct() {
        assertEquals("'it\\'s'", Quote.quote("it's"));
        // a name holding backslash-n and one holding a line break read differently
        assertEquals("'a\\\\nb'", Quote.quote("a\\nb"));
        assertEquals("'a\\nb'", Quote.quote("a\nb"));
    }

    @Test
    void oneLineKeepsSourceNotation() {
        // a token as written ("a\qb") or a path keeps its backslashes and quotes
        assertEquals("\"a\\qb\" 'x'", Quote.oneLine("\"a\\qb\" 'x'"));
        assertEquals("\"a\\\\nb\"", Quote.oneLine("\"a\\\nb\""));
    }

    @Test
    void excerptsAreCut() {
        String longToken = "\"" + "A".repeat(1000) + "\"";
        String e = Quote.excerpt(longToken);
        assertEquals(61, e.length());
        assertEquals("\"" + "A".repeat(59) + "…", e);
    }

    @Test
    void badInputExceptionMessageIsOneLineWhateverItIsGiven() {
        // text a caller did not quote (a path, a library's message) is escaped as a last resort
        BadInputException e = new BadInputException("dir\nname/m.onnx", "graph.node[0]\r", "cannot read: line1\nline2");
        assertEquals("dir\\nname/m.onnx: graph.node[0]\\r: error: cannot read: line1\\nline2", e.getMessage());
        assertFalse(e.getMessage().lines().count() > 1);
        // the parts stay as given
        assertEquals("dir\nname/m.onnx", e.file());
        assertEquals("t.gft:3:4: error: x", new BadInputException("t.gft", "3:4", "x").getMessage());
    }
}
