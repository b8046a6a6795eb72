package dev.graphfuse.dsl.parse;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.dsl.ast.FuseFile;
import dev.graphfuse.diag.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Parses .fuse source into the AST. The first syntax error ends the parse with one diagnostic
 * naming the offending token and, when there are few, what was expected there; no token is ever
 * silently inserted or dropped.
 */
public final class FuseFileParser {
    /** Deepest bracket nesting (and longest run of unary '-') accepted; the parser recurses per level. */
    static final int MAX_NESTING = 64;
    /** Deepest parse tree accepted (long operator chains nest too); everything after the parser recurses over it. */
    static final int MAX_TREE_DEPTH = 1000;

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
                SourceLocation at = new SourceLocation(file, line, col + 1);
                String message = describe(recognizer, offending, msg);
                Token previous = missingSemicolonAfter(recognizer, offending);
                if (previous != null) {
                    // The ';' belongs at the end of the line before: point there, not at the next statement.
                    at = new SourceLocation(file, previous.getLine(), previous.getCharPositionInLine()
                            + previous.getText().length() + 1);
                    message = "missing ';' after " + quote(previous.getText());
                }
                throw new BadInputException(List.of(new Diagnostic(at, message)));
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
        tokens.fill();
        checkNesting(tokens.getTokens(), file);
        FuseParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (RecognitionException e) {
            // Reported through the listener first; reaching here means the listener did not throw.
            throw new BadInputException(List.of(new Diagnostic(new SourceLocation(file, e.getOffendingToken().getLine(),
                    e.getOffendingToken().getCharPositionInLine() + 1), "syntax error")));
        }
        checkDepth(tree, file);
        return new AstBuilder(file, tokens).file(tree);
    }

    /** Rejects nesting deep enough to exhaust the parser's stack, before it runs. */
    private static void checkNesting(List<Token> tokens, String file) {
        int depth = 0;
        int minuses = 0;
        for (Token t : tokens) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            String text = t.getText();
            switch (text) {
                case "(", "[", "{" -> depth++;
                case ")", "]", "}" -> depth = Math.max(0, depth - 1);
                default -> {
                }
            }
            minuses = text.equals("-") ? minuses + 1 : 0;
            if (depth > MAX_NESTING || minuses > MAX_NESTING) {
                throw new BadInputException(List.of(new Diagnostic(new SourceLocation(file, t.getLine(),
                        t.getCharPositionInLine() + 1), "nested too deeply (more than " + MAX_NESTING + " levels)")));
            }
        }
    }

    /** Rejects parse trees deeper than {@link #MAX_TREE_DEPTH} (e.g. thousands of chained '+'), walked without recursion. */
    private static void checkDepth(ParserRuleContext tree, String file) {
        java.util.ArrayDeque<ParserRuleContext> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        stack.push(tree);
        depths.push(1);
        while (!stack.isEmpty()) {
            ParserRuleContext c = stack.pop();
            int d = depths.pop();
            if (d > MAX_TREE_DEPTH) {
                Token t = c.getStart();
                throw new BadInputException(List.of(new Diagnostic(new SourceLocation(file, t.getLine(),
                        t.getCharPositionInLine() + 1), "expression nested too deeply (more than " + MAX_TREE_DEPTH
                        + " levels)")));
            }
            for (int i = 0; i < c.getChildCount(); i++) {
                if (c.getChild(i) instanceof ParserRuleContext child) {
                    stack.push(child);
                    depths.push(d + 1);
                }
            }
        }
    }

    /** The token a ';' is missing after, when only ';' fits and the offending token starts a later line. */
    private static Token missingSemicolonAfter(Recognizer<?, ?> recognizer, Object offending) {
        if (!(recognizer instanceof Parser p) || !(offending instanceof Token t) || t.getType() == FuseLexer.UNKNOWN) {
            return null;
        }
        IntervalSet expected;
        try {
            expected = p.getExpectedTokens();
        } catch (RuntimeException e) {
            return null;
        }
        if (expected.size() != 1 || !expected.contains(p.getTokenType("';'"))) {
            return null;
        }
        Token previous = p.getInputStream().LT(-1);
        return previous != null && previous.getType() != Token.EOF && previous.getLine() < t.getLine() ? previous : null;
    }

    private static String describe(Recognizer<?, ?> recognizer, Object offending, String antlrMessage) {
        if (!(offending instanceof Token t)) {
            // Lexer errors: "token recognition error at: '$'".
            int at = antlrMessage.indexOf("at: ");
            return at >= 0 ? "unexpected character " + antlrMessage.substring(at + 4) : antlrMessage;
        }
        if (t.getText().equals("/") && t.getInputStream() != null && t.getStopIndex() + 1 < t.getInputStream().size()
                && t.getInputStream().getText(Interval.of(t.getStopIndex() + 1, t.getStopIndex() + 1)).equals("*")) {
            // '/*' only fails to start a BLOCK_COMMENT when no '*/' follows.
            return "unterminated comment";
        }
        if (t.getType() == FuseLexer.UNKNOWN) {
            // A '"' only fails to start a STRING when no closing quote follows on its line.
            return t.getText().equals("\"") ? "unterminated string" : "unexpected character " + quote(t.getText());
        }
        String found = t.getType() == Token.EOF ? "end of file" : quote(t.getText());
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
        if (expected.equals(List.of("'replace'"))) {
            return "unexpected " + found + ", expected 'let', 'require' or 'replace' (a pattern ends with "
                    + "'replace ROOT with OP(…);')";
        }
        if (expected.equals(List.of("end of file"))) {
            // Only the top level ends at EOF: what is there instead cannot start a declaration.
            return "unexpected " + found + ", expected a declaration ('import', 'op', 'predicate', 'def' or 'pattern')";
        }
        if (expected.isEmpty() || expected.size() > 4) {
            return "unexpected " + found;
        }
        return "unexpected " + found + ", expected " + String.join(" or ", expected);
    }

    /** Quoted, with control characters escaped so a diagnostic stays one line. */
    private static String quote(String text) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('\'').toString();
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
