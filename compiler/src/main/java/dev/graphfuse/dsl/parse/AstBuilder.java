package dev.graphfuse.dsl.parse;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.dsl.ast.AttrPattern;
import dev.graphfuse.dsl.ast.Constraint;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.Expr;
import dev.graphfuse.dsl.ast.FuseFile;
import dev.graphfuse.diag.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Parse tree → immutable AST with a location on every node. */
final class AstBuilder {
    private final String file;
    private final CommonTokenStream tokens;

    AstBuilder(String file, CommonTokenStream tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    FuseFile file(FuseParser.FileContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (FuseParser.DeclContext d : ctx.decl()) {
            decls.add(decl(d));
        }
        return new FuseFile(file, decls);
    }

    private SourceLocation loc(Token t) {
        return new SourceLocation(file, t.getLine(), t.getCharPositionInLine() + 1);
    }

    private SourceLocation loc(ParserRuleContext ctx) {
        return loc(ctx.getStart());
    }

    /** The {@code ///} lines directly above a declaration, joined. */
    private String doc(ParserRuleContext ctx) {
        List<Token> hidden = tokens.getHiddenTokensToLeft(ctx.getStart().getTokenIndex(), 2);
        if (hidden == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Token t : hidden) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(t.getText().substring(3).strip());
        }
        return sb.toString();
    }

    private Decl decl(FuseParser.DeclContext d) {
        if (d.importDecl() != null) {
            // Located at the path: that is what a "cannot read" diagnostic is about.
            return new Decl.Import(string(d.importDecl().STRING()), loc(d.importDecl().STRING().getSymbol()), doc(d));
        }
        if (d.opDecl() != null) {
            return op(d.opDecl(), doc(d));
        }
        if (d.predicateDecl() != null) {
            var p = d.predicateDecl();
            return new Decl.Predicate(p.IDENT().getText(), idents(p.identList()), loc(p.IDENT().getSymbol()), doc(d));
        }
        if (d.defDecl() != null) {
            var f = d.defDecl();
            List<Decl.Let> lets = new ArrayList<>();
            for (var l : f.letStmt()) {
                lets.add(let(l));
            }
            return new Decl.Def(f.IDENT().getText(), idents(f.identList()), lets, expr(f.expr()),
                    loc(f.IDENT().getSymbol()), doc(d));
        }
        return pattern(d.patternDecl(), doc(d));
    }

    private Decl.Op op(FuseParser.OpDeclContext o, String doc) {
        List<TerminalNode> parts = o.opName().IDENT();
        String name = parts.get(parts.size() - 1).getText();
        String domain = domainOf(o.opName());
        List<Decl.Port> inputs = o.inputs == null ? List.of() : ports(o.inputs);
        List<Decl.Port> outputs = o.outputs == null
                ? List.of(new Decl.Port("output", null, false, false, loc(o))) : ports(o.outputs);
        List<Decl.AttrDecl> attrs = new ArrayList<>();
        if (o.attrSchema() != null) {
            for (var a : o.attrSchema().attrDecl()) {
                Object dflt = null;
                if (a.attrDefault() != null) {
                    dflt = a.attrDefault().STRING() != null ? string(a.attrDefault().STRING())
                            : constantValue(a.attrDefault().constant());
                }
                attrs.add(new Decl.AttrDecl(a.name.getText(), a.kind.getText(), a.optional != null, dflt,
                        loc(a.name), loc(a.kind), a.attrDefault() == null ? null : loc(a.attrDefault())));
            }
        }
        return new Decl.Op(domain, name, inputs, outputs, o.COMMUTATIVE() != null, attrs,
                loc(o.opName()), doc);
    }

    private List<Decl.Port> ports(FuseParser.PortListContext pl) {
        List<Decl.Port> out = new ArrayList<>();
        for (var p : pl.port()) {
            out.add(new Decl.Port(p.name.getText(), p.type == null ? null : p.type.getText(), p.optional != null,
                    p.variadic != null, loc(p)));
        }
        return out;
    }

    private static String domainOf(FuseParser.OpNameContext n) {
        List<TerminalNode> parts = n.IDENT();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size() - 1; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(parts.get(i).getText());
        }
        return sb.toString();
    }

    private static String simpleName(FuseParser.OpNameContext n) {
        List<TerminalNode> parts = n.IDENT();
        return parts.get(parts.size() - 1).getText();
    }

    private List<String> idents(FuseParser.IdentListContext l) {
        List<String> out = new ArrayList<>();
        if (l != null) {
            for (TerminalNode t : l.IDENT()) {
                out.add(t.getText());
            }
        }
        return out;
    }

    private Decl.Pattern pattern(FuseParser.PatternDeclContext p, String doc) {
        List<Decl.Let> lets = new ArrayList<>();
        List<Decl.Require> requires = new ArrayList<>();
        for (var s : p.statement()) {
            if (s.letStmt() != null) {
                lets.add(let(s.letStmt()));
            } else {
                for (var call : s.requireStmt().predicateCall()) {
                    List<AttrExpr> args = new ArrayList<>();
                    for (var a : call.attrExpr()) {
                        args.add(attrExpr(a));
                    }
                    requires.add(new Decl.Require(call.IDENT().getText(), call.negated != null, args,
                            loc(call.IDENT().getSymbol())));
                }
            }
        }
        var r = p.replaceStmt();
        List<String> inputs = new ArrayList<>();
        List<SourceLocation> inputLocations = new ArrayList<>();
        for (var a : r.replaceArg()) {
            inputs.add(a.IDENT() != null ? a.IDENT().getText() : null);
            inputLocations.add(loc(a));
        }
        List<Decl.AttrAssign> attrs = new ArrayList<>();
        if (r.replaceAttrs() != null) {
            for (var a : r.replaceAttrs().replaceAttr()) {
                attrs.add(new Decl.AttrAssign(a.IDENT().getText(), attrExpr(a.attrExpr()), loc(a)));
            }
        }
        List<String> roots = new ArrayList<>();
        for (String n : targets(r.bindTargets())) {
            roots.add(n == null ? "_" : n);
        }
        Decl.Replace replace = new Decl.Replace(roots, domainOf(r.opName()), simpleName(r.opName()), inputs, attrs,
                loc(r), loc(r.opName()), targetLocations(r.bindTargets()), inputLocations);
        Integer benefit = p.INT() == null ? null : Integer.valueOf(intText(p.INT().getSymbol()));
        return new Decl.Pattern(p.IDENT().getText(), benefit, lets, requires, replace, loc(p.IDENT().getSymbol()), doc);
    }

    private int intText(Token t) {
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            throw new BadInputException(List.of(new Diagnostic(loc(t), "integer " + t.getText() + " is too large")));
        }
    }

    private long longText(Token t) {
        try {
            return Long.parseLong(t.getText());
        } catch (NumberFormatException e) {
            throw new BadInputException(List.of(new Diagnostic(loc(t), "integer " + t.getText() + " is too large")));
        }
    }

    private List<String> targets(FuseParser.BindTargetsContext b) {
        List<String> names = new ArrayList<>();
        if (b.IDENT() != null) {
            names.add(b.IDENT().getText());
        } else {
            for (var t : b.bindTarget()) {
                names.add(t.IDENT() != null ? t.IDENT().getText() : null);
            }
        }
        return names;
    }

    private List<SourceLocation> targetLocations(FuseParser.BindTargetsContext b) {
        List<SourceLocation> out = new ArrayList<>();
        if (b.IDENT() != null) {
            out.add(loc(b.IDENT().getSymbol()));
        } else {
            for (var t : b.bindTarget()) {
                out.add(loc(t));
            }
        }
        return out;
    }

    private Decl.Let let(FuseParser.LetStmtContext l) {
        return new Decl.Let(targets(l.bindTargets()), expr(l.expr()), loc(l.bindTargets()));
    }

    private Expr expr(FuseParser.ExprContext e) {
        if (e.term().size() == 1) {
            return term(e.term(0));
        }
        List<Expr> alts = new ArrayList<>();
        for (var t : e.term()) {
            alts.add(term(t));
        }
        return new Expr.Alternatives(alts, loc(e));
    }

    private Expr term(FuseParser.TermContext t) {
        boolean shared = t.SHARED() != null;
        var p = t.primary();
        if (p instanceof FuseParser.CallContext c) {
            List<Expr> args = new ArrayList<>();
            boolean rest = false;
            for (var a : c.arg()) {
                if (a.rest != null) {
                    if (a != c.arg(c.arg().size() - 1)) {
                        throw new BadInputException(List.of(new Diagnostic(loc(a), "'...' must be the last operand")));
                    }
                    rest = true;
                } else {
                    args.add(expr(a.expr()));
                }
            }
            List<Expr.AttrItem> attrs = new ArrayList<>();
            if (c.attrMatch() != null) {
                for (var item : c.attrMatch().attrItem()) {
                    attrs.add(new Expr.AttrItem(item.IDENT().getText(), attrPattern(item.attrPattern()), loc(item)));
                }
            }
            String name = c.opName().getText();
            return new Expr.Call(name, c.optional != null, shared, args, rest, attrs, loc(c.opName()));
        }
        if (shared) {
            String what = p instanceof FuseParser.CaptureContext ? "a captured value"
                    : p instanceof FuseParser.WildcardContext ? "'_'"
                    : p instanceof FuseParser.LiteralContext ? "a constant" : "parentheses; write it before the operation";
            throw new BadInputException(List.of(new Diagnostic(loc(t), "'shared' applies to an operation, not to " + what)));
        }
        if (p instanceof FuseParser.CaptureContext c) {
            return new Expr.Capture(c.IDENT().getText(), constraint(c.constraint()), loc(c));
        }
        if (p instanceof FuseParser.WildcardContext w) {
            return new Expr.Wildcard(constraint(w.constraint()), loc(w));
        }
        if (p instanceof FuseParser.LiteralContext l) {
            List<Double> values = numbers(l.constant());
            Double tol = l.number() == null ? null : number(l.number());
            return new Expr.Literal(values, l.constant().signed().size() != 1 || l.constant().getStart().getText()
                    .equals("["), tol, loc(l));
        }
        return expr(((FuseParser.ParenContext) p).expr());
    }

    private Constraint constraint(FuseParser.ConstraintContext c) {
        if (c == null) {
            return null;
        }
        Constraint.Kind kind = switch (c.kind.getType()) {
            case FuseParser.CONST -> Constraint.Kind.CONST;
            case FuseParser.SCALAR -> Constraint.Kind.SCALAR;
            default -> Constraint.Kind.TENSOR;
        };
        List<String> types = new ArrayList<>();
        List<SourceLocation> typeLocations = new ArrayList<>();
        for (TerminalNode t : c.IDENT()) {
            types.add(t.getText());
            typeLocations.add(loc(t.getSymbol()));
        }
        List<Constraint.DimPattern> dims = null;
        if (c.shape != null) {
            dims = new ArrayList<>();
            if (c.dimList() != null) {
                for (var d : c.dimList().dim()) {
                    if (d.INT() != null) {
                        dims.add(new Constraint.DimPattern(longText(d.INT().getSymbol()), null, false, loc(d)));
                    } else if (d.IDENT() != null) {
                        dims.add(new Constraint.DimPattern(null, d.IDENT().getText(), false, loc(d)));
                    } else {
                        dims.add(new Constraint.DimPattern(null, null, d.rest != null, loc(d)));
                    }
                }
            }
        }
        return new Constraint(kind, types, dims, loc(c), typeLocations, c.shape == null ? null : loc(c.shape));
    }

    private AttrPattern attrPattern(FuseParser.AttrPatternContext p) {
        if (p instanceof FuseParser.AttrIsConstantContext c) {
            return new AttrPattern.Numbers(numbers(c.constant()), c.constant().getStart().getText().equals("["),
                    c.number() == null ? null : number(c.number()), loc(c));
        }
        if (p instanceof FuseParser.AttrIsStringContext s) {
            return new AttrPattern.Text(string(s.STRING()), loc(s));
        }
        if (p instanceof FuseParser.AttrAnyContext a) {
            return new AttrPattern.Any(loc(a));
        }
        var c = (FuseParser.AttrCaptureContext) p;
        return new AttrPattern.Capture(c.IDENT().getText(), loc(c));
    }

    private AttrExpr attrExpr(FuseParser.AttrExprContext e) {
        if (e instanceof FuseParser.AttrParenContext p) {
            return attrExpr(p.attrExpr());
        }
        if (e instanceof FuseParser.AttrNegContext n) {
            return new AttrExpr.Negate(attrExpr(n.attrExpr()), loc(n));
        }
        if (e instanceof FuseParser.AttrMulContext m) {
            return new AttrExpr.Binary(m.op.getText().charAt(0), attrExpr(m.attrExpr(0)), attrExpr(m.attrExpr(1)),
                    loc(m.op));
        }
        if (e instanceof FuseParser.AttrAddContext a) {
            return new AttrExpr.Binary(a.op.getText().charAt(0), attrExpr(a.attrExpr(0)), attrExpr(a.attrExpr(1)),
                    loc(a.op));
        }
        if (e instanceof FuseParser.AttrCallContext c) {
            List<AttrExpr> args = new ArrayList<>();
            for (var a : c.attrExpr()) {
                args.add(attrExpr(a));
            }
            return new AttrExpr.Call(c.IDENT().getText(), args, loc(c));
        }
        if (e instanceof FuseParser.AttrListContext l) {
            List<AttrExpr> els = new ArrayList<>();
            for (var a : l.attrExpr()) {
                els.add(attrExpr(a));
            }
            return new AttrExpr.ListOf(els, loc(l));
        }
        if (e instanceof FuseParser.AttrNumberContext n) {
            return new AttrExpr.Number(number(n.number()), n.number().INT() != null, loc(n));
        }
        if (e instanceof FuseParser.AttrStringContext s) {
            return new AttrExpr.Text(string(s.STRING()), loc(s));
        }
        var r = (FuseParser.AttrRefContext) e;
        return new AttrExpr.Ref(r.IDENT().getText(), loc(r));
    }

    private Object constantValue(FuseParser.ConstantContext c) {
        List<Double> values = numbers(c);
        return c.getStart().getText().equals("[") ? values : values.get(0);
    }

    private List<Double> numbers(FuseParser.ConstantContext c) {
        List<Double> out = new ArrayList<>();
        for (var s : c.signed()) {
            double v = number(s.number());
            out.add(s.getStart().getText().equals("-") ? -v : v);
        }
        return out;
    }

    private double number(FuseParser.NumberContext n) {
        String text = n.getText();
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) {
            throw new BadInputException(List.of(new Diagnostic(loc(n), "number " + text + " is out of range")));
        }
        if (n.INT() != null && Math.abs(v) > 9.007199254740992E15) {
            throw new BadInputException(List.of(new Diagnostic(loc(n), "integer " + text + " is too large")));
        }
        return v;
    }

    private String string(TerminalNode t) {
        String s = t.getText();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                char next = s.charAt(++i);
                switch (next) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '"', '\\' -> sb.append(next);
                    // Strings are one line, so the column of the backslash is the token's plus its index.
                    default -> throw new BadInputException(List.of(new Diagnostic(new SourceLocation(file,
                            t.getSymbol().getLine(), t.getSymbol().getCharPositionInLine() + i),
                            "unknown escape '\\" + Quote.oneLine(String.valueOf(next), Quote.Notation.UNICODE)
                                    + "' in string (use \\n, \\t, \\\" or \\\\)")));
                }
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
