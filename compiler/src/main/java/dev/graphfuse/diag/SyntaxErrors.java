package dev.graphfuse.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns the syntax errors of an ANTLR parser into a {@link Diagnostic}, thrown as a
 * {@link BadInputException} at the first one. ANTLR's own messages list every token that could come
 * next ("mismatched input 'x' expecting {'model', 'opset', …, STRING}": some thirty for a name);
 * these say what was found and, when at most four kinds of token fit, what was expected. The pattern
 * DSL and the text format share this; where their messages differ, {@link Rules} says how. The one
 * place outside the parse packages that sees ANTLR's types.
 */
public final class SyntaxErrors {
    private static final int MAX_LISTED = 4;

    private SyntaxErrors() {
    }

    /** How the expected tokens are joined: {@code A or B or C}, or {@code A, B or C}. */
    public enum ListStyle {
        OR_BETWEEN_EACH, COMMAS_THEN_OR
    }

    /**
     * One language's message rules.
     *
     * @param badCharacter the catch-all token of a character no lexer rule takes; a lone {@code "}
     *     is an unterminated string
     * @param blockCommentStart the two characters that open a block comment (whose first one is then
     *     a token of its own when no end follows), or null
     * @param words tokens without a literal spelling, in words ({@code IDENT} → "a name")
     * @param nameToken the token a name is written with
     * @param alsoNames tokens that may stand where a name does (keywords, quoted names): not listed
     *     beside "a name"
     * @param listAtNoViableAlternative whether an error found while choosing between alternatives
     *     lists what was expected
     * @param listAfterBadCharacter whether a bad character or unterminated string or comment lists
     *     what was expected
     * @param listStyle how the expected tokens are joined
     * @param insteadOfSoleExpected what to say is expected when exactly one token, given in words as
     *     key, fits (a hint beyond the grammar)
     * @param statementEnd the literal ending a statement, e.g. {@code ';'}: when only it fits and
     *     the offending token starts a later line, the error is "missing ';' after" the token before,
     *     placed there; or null
     * @param recoverSingleToken whether a single missing or extra token is reported as such
     *     ("missing ')' at '->'"); otherwise every error is the token found
     * @param notation how escapes in a quoted token are written
     */
    public record Rules(int badCharacter, String blockCommentStart, Map<Integer, String> words, int nameToken,
                        Set<Integer> alsoNames, boolean listAtNoViableAlternative, boolean listAfterBadCharacter,
                        ListStyle listStyle, Map<String, String> insteadOfSoleExpected, String statementEnd,
                        boolean recoverSingleToken, Quote.Notation notation) {
    }

    /** Makes {@code lexer} and {@code parser} throw a {@link BadInputException} in {@code file} at their first error. */
    public static void install(Lexer lexer, Parser parser, String file, Rules rules) {
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                                    RecognitionException e) {
                // A catch-all token makes this rare; ANTLR's message reads "token recognition error at: '$'".
                int at = msg.indexOf("at: ");
                throw error(file, line, col + 1, at >= 0 ? "unexpected character " + msg.substring(at + 4) : msg);
            }
        });
        parser.removeErrorListeners();
        parser.setErrorHandler(new Strategy(file, rules));
    }

    private static BadInputException error(String file, int line, int column, String message) {
        return new BadInputException(new Diagnostic(new SourceLocation(file, line, column), message));
    }

    /** Reports by throwing; with {@link Rules#recoverSingleToken} off, it also never recovers. */
    private static final class Strategy extends DefaultErrorStrategy {
        private final String file;
        private final Rules rules;

        Strategy(String file, Rules rules) {
            this.file = file;
            this.rules = rules;
        }

        @Override
        public void reportError(Parser p, RecognitionException e) {
            Token t = e.getOffendingToken();
            switch (e) {
                case NoViableAltException n -> fail(p, t, rules.listAtNoViableAlternative() ? expectedAt(n) : null);
                case InputMismatchException m -> fail(p, t, expectedAt(m));
                // only a semantic predicate fails otherwise, and neither grammar has one
                default -> throw error(file, t.getLine(), t.getCharPositionInLine() + 1, "syntax error");
            }
        }

        /** What fits where {@code e} happened; nothing listed if ANTLR cannot say. */
        private static IntervalSet expectedAt(RecognitionException e) {
            try {
                return e.getExpectedTokens();
            } catch (RuntimeException notKnown) {
                return new IntervalSet();
            }
        }

        @Override
        protected void reportUnwantedToken(Parser p) {
            fail(p, p.getCurrentToken(), getExpectedTokens(p));
        }

        @Override
        protected void reportMissingToken(Parser p) {
            Token t = p.getCurrentToken();
            List<String> want = expected(p, getExpectedTokens(p));
            if (want.size() == 1) {
                throw error(file, t.getLine(), t.getCharPositionInLine() + 1, "missing " + want.get(0) + " at " + found(t));
            }
            fail(p, t, getExpectedTokens(p));
        }

        @Override
        public Token recoverInline(Parser p) throws RecognitionException {
            if (!rules.recoverSingleToken()) {
                throw new InputMismatchException(p);
            }
            return super.recoverInline(p);
        }

        @Override
        public void sync(Parser p) throws RecognitionException {
            if (rules.recoverSingleToken()) {
                super.sync(p);
            }
        }

        /** Throws the error at {@code t}: what was found, and what was expected when {@code expected} is given and short. */
        private void fail(Parser p, Token t, IntervalSet expected) {
            Token previous = missingStatementEndAfter(p, t);
            if (previous != null) {
                // The end belongs at the end of the line before: point there, not at the next statement.
                throw error(file, previous.getLine(), previous.getCharPositionInLine() + previous.getText().length() + 1,
                        "missing " + rules.statementEnd() + " after " + found(previous));
            }
            String lexical = lexicalProblem(t);
            String message = lexical != null ? lexical : "unexpected " + found(t);
            boolean list = expected != null && (lexical == null || rules.listAfterBadCharacter());
            throw error(file, t.getLine(), t.getCharPositionInLine() + 1, list ? withExpected(message, p, expected) : message);
        }

        /** An unterminated string or comment, or a character no token takes; null for a token that merely does not fit. */
        private String lexicalProblem(Token t) {
            String open = rules.blockCommentStart();
            if (open != null && t.getText() != null && t.getText().equals(open.substring(0, 1)) && t.getInputStream() != null
                    && t.getStopIndex() + 1 < t.getInputStream().size()
                    && t.getInputStream().getText(Interval.of(t.getStopIndex() + 1, t.getStopIndex() + 1)).equals(open.substring(1))) {
                // the opener only fails to start a comment when no end follows
                return "unterminated comment";
            }
            if (t.getType() == rules.badCharacter()) {
                // a '"' the string rule could not close: no closing quote before the end of the line
                return t.getText().equals("\"") ? "unterminated string" : "unexpected character " + found(t);
            }
            return null;
        }

        /** The token before {@code t} that a statement end is missing after, or null (see {@link Rules#statementEnd}). */
        private Token missingStatementEndAfter(Parser p, Token t) {
            if (rules.statementEnd() == null || t.getType() == rules.badCharacter()) {
                return null;
            }
            IntervalSet expected;
            try {
                expected = p.getExpectedTokens();
            } catch (RuntimeException e) {
                return null;
            }
            if (expected.size() != 1 || !expected.contains(p.getTokenType(rules.statementEnd()))) {
                return null;
            }
            Token previous = p.getInputStream().LT(-1);
            return previous != null && previous.getType() != Token.EOF && previous.getLine() < t.getLine() ? previous : null;
        }

        private String found(Token t) {
            return t.getType() == Token.EOF ? "end of file" : "'" + Quote.excerpt(t.getText(), rules.notation()) + "'";
        }

        private String withExpected(String message, Parser p, IntervalSet set) {
            List<String> want = expected(p, set);
            if (want.size() == 1 && rules.insteadOfSoleExpected().containsKey(want.get(0))) {
                return message + ", expected " + rules.insteadOfSoleExpected().get(want.get(0));
            }
            if (want.isEmpty() || want.size() > MAX_LISTED) {
                return message;
            }
            String last = want.get(want.size() - 1);
            String separator = rules.listStyle() == ListStyle.OR_BETWEEN_EACH ? " or " : ", ";
            return message + ", expected " + (want.size() == 1 ? last
                    : String.join(separator, want.subList(0, want.size() - 1)) + " or " + last);
        }

        /** Token kinds in words, spelled tokens first; where a name fits, what may also spell one is that "a name". */
        private List<String> expected(Parser p, IntervalSet set) {
            Vocabulary voc = p.getVocabulary();
            boolean name = set.contains(rules.nameToken());
            List<String> literals = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (int type : set.toList()) {
                if (name && rules.alsoNames().contains(type)) {
                    continue;
                }
                String literal = voc.getLiteralName(type);
                if (type == Token.EOF) {
                    kinds.add("end of file");
                } else if (literal != null) {
                    literals.add(literal);
                } else {
                    kinds.add(rules.words().getOrDefault(type, voc.getDisplayName(type)));
                }
            }
            literals.addAll(kinds);
            return literals;
        }
    }
}
