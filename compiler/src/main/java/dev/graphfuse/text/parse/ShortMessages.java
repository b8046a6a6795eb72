package dev.graphfuse.text.parse;

import dev.graphfuse.diag.Quote;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Syntax errors in a few words. ANTLR's own messages list every token that could come next
 * ("mismatched input 'x' expecting {'model', 'opset', …, STRING}": some thirty for a name); these
 * say what was found and, when at most four kinds of token fit, what was expected.
 */
final class ShortMessages extends DefaultErrorStrategy {
    private static final int MAX_LISTED = 4;

    @Override
    protected void reportNoViableAlternative(Parser p, NoViableAltException e) {
        p.notifyErrorListeners(e.getOffendingToken(), unexpected(e.getOffendingToken()), e);
    }

    @Override
    protected void reportInputMismatch(Parser p, InputMismatchException e) {
        Token t = e.getOffendingToken();
        p.notifyErrorListeners(t, withExpected(unexpected(t), p, e.getExpectedTokens()), e);
    }

    @Override
    protected void reportUnwantedToken(Parser p) {
        if (inErrorRecoveryMode(p)) {
            return;
        }
        beginErrorCondition(p);
        Token t = p.getCurrentToken();
        p.notifyErrorListeners(t, withExpected(unexpected(t), p, getExpectedTokens(p)), null);
    }

    @Override
    protected void reportMissingToken(Parser p) {
        if (inErrorRecoveryMode(p)) {
            return;
        }
        beginErrorCondition(p);
        Token t = p.getCurrentToken();
        List<String> want = expected(p, getExpectedTokens(p));
        p.notifyErrorListeners(t, want.size() == 1 ? "missing " + want.get(0) + " at " + display(t)
                : withExpected(unexpected(t), p, getExpectedTokens(p)), null);
    }

    private static String unexpected(Token t) {
        if (t.getType() == GraphTextLexer.ERRCHAR) {
            // a '"' the STRING rule could not close: no closing quote before the end of the line
            return t.getText().equals("\"") ? "unterminated string" : "unexpected character " + display(t);
        }
        return "unexpected " + display(t);
    }

    private static String display(Token t) {
        return t.getType() == Token.EOF ? "end of file" : "'" + Quote.excerpt(t.getText()) + "'";
    }

    private static String withExpected(String msg, Parser p, IntervalSet set) {
        List<String> want = expected(p, set);
        if (want.isEmpty() || want.size() > MAX_LISTED) {
            return msg;
        }
        String last = want.get(want.size() - 1);
        return msg + ", expected " + (want.size() == 1 ? last
                : String.join(", ", want.subList(0, want.size() - 1)) + " or " + last);
    }

    /** Token kinds in words; where a name fits, the keywords and STRING that may be names are one "a name". */
    private static List<String> expected(Parser p, IntervalSet set) {
        Vocabulary voc = p.getVocabulary();
        boolean name = set.contains(GraphTextLexer.ID);
        List<String> literals = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int type : set.toList()) {
            String literal = voc.getLiteralName(type);
            if (type == Token.EOF) {
                kinds.add("end of file");
            } else if (literal != null) {
                if (!(name && literal.matches("'[a-z_]+'"))) {
                    literals.add(literal);
                }
            } else if (type == GraphTextLexer.ID) {
                kinds.add("a name");
            } else if (type == GraphTextLexer.STRING) {
                if (!name) {
                    kinds.add("a string");
                }
            } else if (type == GraphTextLexer.INT) {
                kinds.add("an integer");
            } else if (type == GraphTextLexer.FLOAT) {
                kinds.add("a number");
            } else {
                kinds.add(voc.getDisplayName(type));
            }
        }
        literals.addAll(kinds);
        return literals;
    }
}
