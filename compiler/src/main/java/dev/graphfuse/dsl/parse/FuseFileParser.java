package dev.graphfuse.dsl.parse;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.dsl.ast.FuseFile;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.diag.SyntaxErrors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

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

    /** The DSL's syntax-error wording, pinned by the cases under testdata/dsl/syntax. */
    private static final SyntaxErrors.Rules SYNTAX_ERRORS = new SyntaxErrors.Rules(
            FuseLexer.UNKNOWN, "/*",
            Map.of(FuseLexer.IDENT, "a name", FuseLexer.INT, "an integer", FuseLexer.FLOAT, "a number",
                    FuseLexer.STRING, "a string"),
            FuseLexer.IDENT, Set.of(), // keywords are reserved: they never stand for a name
            /* listAtNoViableAlternative */ true, /* listAfterBadCharacter */ false, SyntaxErrors.ListStyle.OR_BETWEEN_EACH,
            Map.of("'replace'", "'let', 'require' or 'replace' (a pattern ends with 'replace ROOT with OP(…);')",
                    // only the top level ends at EOF: what is there instead cannot start a declaration
                    "end of file", "a declaration ('import', 'op', 'predicate', 'def' or 'pattern')"),
            "';'", /* recoverSingleToken: never insert or drop a token */ false,
            Quote.Notation.UNICODE); // as Java, and so a .fuse string, writes escapes

    private FuseFileParser() {
    }

    public static FuseFile parse(String source, String file) {
        FuseLexer lexer = new FuseLexer(CharStreams.fromString(source, file));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        FuseParser parser = new FuseParser(tokens);
        SyntaxErrors.install(lexer, parser, file, SYNTAX_ERRORS);
        tokens.fill();
        checkNesting(tokens.getTokens(), file);
        FuseParser.FileContext tree = parser.file();
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
}
