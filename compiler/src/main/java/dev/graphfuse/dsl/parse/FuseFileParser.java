package dev.graphfuse.dsl.parse;

import dev.graphfuse.dsl.Diagnostic;
import dev.graphfuse.dsl.DslException;
import dev.graphfuse.dsl.ast.FuseFile;
import dev.graphfuse.dsl.ast.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Parses .fuse source into the AST. The first syntax error ends the parse with one diagnostic
 * naming the offending token and, when there are few, what was expected there; no token is ever
 * silently inserted or dropped.
 */
public final class FuseFileParser {
    private FuseFileParser() {
    }

    public static FuseFile parse(String source, String file) {
        FuseLexer lexer = new FuseLexer(CharStreams.fromString(source, file));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        FuseParser parser = new FuseParser(tokens);
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                                    RecognitionException e) {
                throw new DslException(List.of(new Diagnostic(new SourceLocation(file, line, col + 1),
                        describe(recognizer, offending, msg))));
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        parser.setErrorHandler(new DefaultErrorStrategy() {
            @Override
            public Token recoverInline(Parser recognizer) {
                throw new org.antlr.v4.runtime.InputMismatchException(recognizer);
            }

            @Override
            public void recover(Parser recognizer, RecognitionException e) {
                throw e;
            }

            @Override
            public void sync(Parser recognizer) {
            }
        });
        FuseParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (RecognitionException e) {
            // Reported through the listener first; reaching here means the listener did not throw.
            throw new DslException(List.of(new Diagnostic(new SourceLocation(file, e.getOffendingToken().getLine(),
                    e.getOffendingToken().getCharPositionInLine() + 1), "syntax error")));
        }
        return new AstBuilder(file, tokens).file(tree);
    }

    private static String describe(Recognizer<?, ?> recognizer, Object offending, String antlrMessage) {
        if (!(offending instanceof Token t)) {
            // Lexer errors: "token recognition error at: '$'".
            int at = antlrMessage.indexOf("at: ");
            return at >= 0 ? "unexpected character " + antlrMessage.substring(at + 4) : antlrMessage;
        }
        String found = t.getType() == Token.EOF ? "end of file" : "'" + t.getText() + "'";
        List<String> expected = new ArrayList<>();
        if (recognizer instanceof Parser p) {
            IntervalSet set;
            try {
                set = p.getExpectedTokens();
            } catch (RuntimeException ignored) {
                set = new IntervalSet();
            }
            for (int type : set.toList()) {
                expected.add(type == Token.EOF ? "end of file" : tokenName(p.getVocabulary().getDisplayName(type)));
            }
        }
        if (expected.isEmpty() || expected.size() > 4) {
            return "unexpected " + found;
        }
        return "unexpected " + found + ", expected " + String.join(" or ", expected);
    }

    private static String tokenName(String displayName) {
        return switch (displayName) {
            case "IDENT" -> "a name";
            case "INT" -> "an integer";
            case "FLOAT" -> "a number";
            case "STRING" -> "a string";
            default -> displayName;
        };
    }
}
