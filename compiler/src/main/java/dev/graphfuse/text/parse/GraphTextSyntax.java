package dev.graphfuse.text.parse;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.text.ast.TextFile;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses graphfuse's text format into its AST. ANTLR stays inside this package; the first syntax
 * error is a {@link BadInputException} reading {@code FILE:LINE:COL: error: WHAT}.
 */
public final class GraphTextSyntax {
    private GraphTextSyntax() {
    }

    public static TextFile parse(String text, String file) {
        GraphTextLexer lexer = new GraphTextLexer(CharStreams.fromString(text));
        GraphTextParser parser = new GraphTextParser(new CommonTokenStream(lexer));
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                                    RecognitionException e) {
                throw new BadInputException(file, line + ":" + (col + 1), msg);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        parser.setErrorHandler(new ShortMessages());
        GraphTextParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (ParseCancellationException e) {
            throw new BadInputException(file, null, "syntax error: " + e.getMessage());
        }
        return new TextAstBuilder(file).file(tree);
    }
}
