package dev.graphfuse.text.parse;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.diag.SyntaxErrors;
import dev.graphfuse.text.ast.TextFile;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/**
 * Parses graphfuse's text format into its AST. ANTLR stays inside this package; the first syntax
 * error is a {@link BadInputException} reading {@code FILE:LINE:COL: error: WHAT}.
 */
public final class GraphTextSyntax {
    /** The text format's syntax-error wording, pinned by TextErrorTest. */
    private static final SyntaxErrors.Rules SYNTAX_ERRORS = new SyntaxErrors.Rules(
            GraphTextLexer.ERRCHAR, null,
            Map.of(GraphTextLexer.ID, "a name", GraphTextLexer.STRING, "a string", GraphTextLexer.INT, "an integer",
                    GraphTextLexer.FLOAT, "a number"),
            GraphTextLexer.ID, alsoNames(),
            /* listAtNoViableAlternative */ false, /* listAfterBadCharacter */ true, SyntaxErrors.ListStyle.COMMAS_THEN_OR,
            Map.of(), null, /* recoverSingleToken: "missing ')' at '->'" */ true,
            Quote.Notation.C); // as the format's own strings write escapes

    private GraphTextSyntax() {
    }

    public static TextFile parse(String text, String file) {
        GraphTextLexer lexer = new GraphTextLexer(CharStreams.fromString(text));
        GraphTextParser parser = new GraphTextParser(new CommonTokenStream(lexer));
        SyntaxErrors.install(lexer, parser, file, SYNTAX_ERRORS);
        return new TextAstBuilder(file).file(parser.file());
    }

    /** A name may be a keyword or a quoted string, so where a name fits those are that one "a name". */
    private static Set<Integer> alsoNames() {
        Set<Integer> out = new HashSet<>();
        out.add(GraphTextLexer.STRING);
        for (int type = 1; type <= GraphTextParser.VOCABULARY.getMaxTokenType(); type++) {
            String literal = GraphTextParser.VOCABULARY.getLiteralName(type);
            if (literal != null && literal.matches("'[a-z_]+'")) {
                out.add(type);
            }
        }
        return Set.copyOf(out);
    }
}
