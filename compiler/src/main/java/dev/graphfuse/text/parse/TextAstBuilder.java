package dev.graphfuse.text.parse;

import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.text.ast.Annotation;
import dev.graphfuse.text.ast.Attr;
import dev.graphfuse.text.ast.AttrValue;
import dev.graphfuse.text.ast.DimExpr;
import dev.graphfuse.text.ast.FunctionDecl;
import dev.graphfuse.text.ast.GraphDecl;
import dev.graphfuse.text.ast.HeaderEntry;
import dev.graphfuse.text.ast.Lexeme;
import dev.graphfuse.text.ast.Literal;
import dev.graphfuse.text.ast.MetadataEntry;
import dev.graphfuse.text.ast.Name;
import dev.graphfuse.text.ast.OpRef;
import dev.graphfuse.text.ast.Statement;
import dev.graphfuse.text.ast.TensorDataExpr;
import dev.graphfuse.text.ast.TensorLiteral;
import dev.graphfuse.text.ast.TextFile;
import dev.graphfuse.text.ast.TypeExpr;
import dev.graphfuse.text.parse.GraphTextParser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns a parse tree into the text AST: every piece with its location, strings and numbers as
 * written. Nothing here fails: what the tree holds, the grammar has checked; what its tokens mean
 * (escapes, ranges, names) the reader checks in the order it builds the IR.
 */
final class TextAstBuilder {
    private final String file;

    TextAstBuilder(String file) {
        this.file = file;
    }

    TextFile file(FileContext ctx) {
        List<HeaderEntry> header = new ArrayList<>();
        if (ctx.modelHeader() != null) {
            for (HeaderEntryContext e : ctx.modelHeader().headerEntry()) {
                header.add(headerEntry(e));
            }
        }
        return new TextFile(header, graph(ctx.graphDecl()), ctx.functionDecl().stream().map(this::function).toList());
    }

    private HeaderEntry headerEntry(HeaderEntryContext e) {
        return switch (e) {
            case HeaderOpsetContext o -> new HeaderEntry.Opset(lexeme(o.domain), lexeme(o.sign), lexeme(o.version));
            case HeaderMetadataContext m -> new HeaderEntry.Metadata(lexeme(m.key2), lexeme(m.val));
            case HeaderFieldContext f -> new HeaderEntry.Field(lexeme(f.key.getStart()), literal(f.literal()), at(f));
            default -> throw new IllegalStateException("header entry " + e.getClass().getSimpleName());
        };
    }

    private FunctionDecl function(FunctionDeclContext f) {
        List<FunctionDecl.Option> options = new ArrayList<>();
        for (FunctionOptionContext o : f.functionOption()) {
            options.add(switch (o) {
                case FunctionAttributesContext a -> new FunctionDecl.AttributeNames(names(a.names()));
                case FunctionDefaultsContext d -> new FunctionDecl.Defaults(attributes(d.attrBlock()));
                case FunctionOpsetContext op -> new FunctionDecl.Opset(lexeme(op.domain), lexeme(op.sign),
                        lexeme(op.version));
                case FunctionDocContext d -> new FunctionDecl.Doc(lexeme(d.STRING()));
                case FunctionMetadataContext m -> new FunctionDecl.Metadata(metadata(m.metadataBlock()));
                default -> throw new IllegalStateException("function option " + o.getClass().getSimpleName());
            });
        }
        return new FunctionDecl(opRef(f.opRef()), names(f.inputs), names(f.outputs), options,
                statements(f.statement()));
    }

    private GraphDecl graph(GraphDeclContext g) {
        return new GraphDecl(name(g.name()), params(g.inputs), params(g.outputs), statements(g.statement()), at(g));
    }

    private List<GraphDecl.Param> params(ParamsContext ps) {
        return ps == null ? List.of() : ps.param().stream()
                .map(p -> new GraphDecl.Param(name(p.name()), type(p.type()))).toList();
    }

    private List<Statement> statements(List<StatementContext> stmts) {
        List<Statement> out = new ArrayList<>(stmts.size());
        for (StatementContext s : stmts) {
            out.add(switch (s) {
                case GraphDocContext d -> new Statement.GraphDoc(lexeme(d.STRING()));
                case GraphMetadataContext m -> new Statement.GraphMetadata(lexeme(m.key), lexeme(m.val));
                case GraphPreservedContext p -> new Statement.GraphPreserved(lexeme(p.STRING()));
                case InitializerContext i -> new Statement.Initializer(name(i.name()), type(i.type()),
                        tensorData(i.tensorData()), annotations(i.annotation()));
                case SparseInitializerContext sp -> new Statement.SparseInitializer(name(sp.name()), type(sp.type()),
                        lexeme(sp.STRING()));
                case ValueInfoContext v -> new Statement.ValueInfo(name(v.name()), annotations(v.annotation()));
                case NodeContext n -> node(n);
                default -> throw new IllegalStateException("statement " + s.getClass().getSimpleName());
            });
        }
        return out;
    }

    private Statement.NodeStatement node(NodeContext n) {
        List<Statement.Output> outputs = n.nodeOutputs().outDecl().stream()
                .map(o -> new Statement.Output(name(o.name()), type(o.type()))).toList();
        List<Annotation> annotations = new ArrayList<>();
        for (NodeExtraContext e : n.nodeExtra()) {
            annotations.add(switch (e) {
                case NodeDocContext d -> new Annotation.Doc(lexeme(d.STRING()));
                case NodeMetadataContext m -> new Annotation.Metadata(metadata(m.metadataBlock()));
                case NodePreservedContext p -> new Annotation.Preserved(lexeme(p.STRING()));
                default -> throw new IllegalStateException("node annotation " + e.getClass().getSimpleName());
            });
        }
        List<Name> args = n.args() == null ? List.of() : n.args().name().stream().map(this::name).toList();
        return new Statement.NodeStatement(n.nodeName == null ? null : name(n.nodeName), outputs, opRef(n.opRef()),
                args, n.attrBlock() == null ? List.of() : attributes(n.attrBlock()), annotations, at(n));
    }

    private List<Annotation> annotations(List<AnnotationContext> list) {
        List<Annotation> out = new ArrayList<>(list.size());
        for (AnnotationContext a : list) {
            out.add(switch (a) {
                case DocAnnotationContext d -> new Annotation.Doc(lexeme(d.STRING()));
                case MetadataAnnotationContext m -> new Annotation.Metadata(metadata(m.metadataBlock()));
                default -> throw new IllegalStateException("annotation " + a.getClass().getSimpleName());
            });
        }
        return out;
    }

    private List<MetadataEntry> metadata(MetadataBlockContext b) {
        return b.metadataEntry().stream().map(e -> new MetadataEntry(lexeme(e.key), lexeme(e.val))).toList();
    }

    private List<Attr> attributes(AttrBlockContext block) {
        return block.attr().stream()
                .map(a -> new Attr(name(a.name()), lexeme(a.kind.getStart()), attrValue(a.attrValue()), at(a)))
                .toList();
    }

    private AttrValue attrValue(AttrValueContext v) {
        String text = v.getText();
        return switch (v) {
            case RefValueContext r -> new AttrValue.Ref(name(r.name()), text, at(v));
            case ScalarValueContext s -> new AttrValue.Scalar(literal(s.literal()), text, at(v));
            case ListValueContext l -> new AttrValue.ListOf(l.attrValue().stream().map(this::attrValue).toList(),
                    text, at(v));
            case TensorValueContext t -> new AttrValue.TensorValue(tensorLiteral(t.tensorLiteral()), text, at(v));
            case GraphValueContext g -> new AttrValue.GraphValue(graph(g.graphDecl()), text, at(v));
            case TypeValueContext t -> new AttrValue.TypeValue(type(t.type()), text, at(v));
            default -> throw new IllegalStateException("attribute value " + v.getClass().getSimpleName());
        };
    }

    private TensorLiteral tensorLiteral(TensorLiteralContext t) {
        return new TensorLiteral(t.name() == null ? null : name(t.name()), type(t.type()), tensorData(t.tensorData()),
                annotations(t.annotation()));
    }

    private TensorDataExpr tensorData(TensorDataContext d) {
        return switch (d) {
            case ListDataContext l -> new TensorDataExpr.Values(l.literal().stream().map(this::literal).toList(), at(d));
            case RawDataContext r -> new TensorDataExpr.Raw(lexeme(r.STRING()), at(d));
            case ExternalDataContext e -> new TensorDataExpr.External(lexeme(e.loc), lexeme(e.off), lexeme(e.len),
                    lexeme(e.sum), e.metadataBlock() == null ? null : metadata(e.metadataBlock()), at(d));
            case ElidedDataContext e -> new TensorDataExpr.Elided(at(d));
            default -> throw new IllegalStateException("tensor data " + d.getClass().getSimpleName());
        };
    }

    private TypeExpr type(TypeContext t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case TensorTypeContext tt -> new TypeExpr.Tensor(lexeme(tt.elem),
                    tt.getChildCount() == 1 ? null : dims(tt.dim()), at(t));
            case SparseTypeContext st -> new TypeExpr.Sparse(lexeme(st.elem),
                    st.getChildCount() == 4 ? null : dims(st.dim()), at(t));
            case SeqTypeContext s -> new TypeExpr.Sequence(type(s.type()), at(t));
            case OptionalTypeContext o -> new TypeExpr.Optional(type(o.type()), at(t));
            case MapTypeContext m -> new TypeExpr.Map(lexeme(m.key), type(m.type()), at(t));
            case OpaqueTypeContext o -> new TypeExpr.Opaque(lexeme(o.dom), lexeme(o.nm), at(t));
            default -> throw new IllegalStateException("type " + t.getClass().getSimpleName());
        };
    }

    private List<DimExpr> dims(List<DimContext> ds) {
        List<DimExpr> out = new ArrayList<>(ds.size());
        for (DimContext d : ds) {
            if (d.INT() != null) {
                out.add(new DimExpr.Fixed(lexeme(d.sign), lexeme(d.INT()), d.getText()));
            } else if (d.name() != null) {
                out.add(new DimExpr.Symbolic(name(d.name())));
            } else {
                out.add(new DimExpr.Unknown());
            }
        }
        return out;
    }

    private Literal literal(LiteralContext lit) {
        Literal.Kind kind;
        TerminalNode value;
        if (lit.INT() != null) {
            kind = Literal.Kind.INT;
            value = lit.INT();
        } else if (lit.FLOAT() != null) {
            kind = Literal.Kind.FLOAT;
            value = lit.FLOAT();
        } else if (lit.ID() != null) {
            kind = Literal.Kind.ID;
            value = lit.ID();
        } else {
            kind = Literal.Kind.STRING;
            value = lit.STRING();
        }
        return new Literal(lexeme(lit.sign), kind, lexeme(value), lit.getText(), at(lit));
    }

    private OpRef opRef(OpRefContext ref) {
        return new OpRef(ref.domain == null ? null : name(ref.domain), name(ref.op),
                ref.overload == null ? null : name(ref.overload), at(ref));
    }

    private List<Name> names(NamesContext ns) {
        return ns == null ? List.of() : ns.name().stream().map(this::name).toList();
    }

    private Name name(NameContext n) {
        return n.STRING() != null ? new Name(lexeme(n.STRING()), true) : new Name(new Lexeme(n.getText(), at(n)), false);
    }

    private Lexeme lexeme(TerminalNode t) {
        return t == null ? null : lexeme(t.getSymbol());
    }

    private Lexeme lexeme(Token t) {
        return t == null ? null : new Lexeme(t.getText(), at(t));
    }

    private SourceLocation at(ParserRuleContext ctx) {
        return at(ctx.getStart());
    }

    private SourceLocation at(Token t) {
        return new SourceLocation(file, t.getLine(), t.getCharPositionInLine() + 1);
    }
}
