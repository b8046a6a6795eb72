package dev.graphfuse.text;

import static dev.graphfuse.diag.Quote.quote;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.DuplicateValueException;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.text.parse.GraphTextLexer;
import dev.graphfuse.text.parse.GraphTextParser;
import dev.graphfuse.text.parse.GraphTextParser.*;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses graphfuse's text format into the IR. ANTLR types stay inside this class; every error is a
 * {@link BadInputException} reading {@code FILE:LINE:COL: error: WHAT}.
 */
public final class GraphTextReader {
    /** IR version assumed for a text file without a {@code model} header. */
    public static final long DEFAULT_IR_VERSION = 10;

    private final String file;
    private final Path baseDir;
    /** Where each node was written, to report a cycle at the node that closes it. */
    private final Map<Node, ParserRuleContext> nodeSites = new IdentityHashMap<>();

    private GraphTextReader(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    public static Model read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(path.toString(), null, "no such file");
        } catch (IOException e) {
            throw new BadInputException(path.toString(), null, "cannot read: " + e.getMessage());
        }
        Path dir = path.toAbsolutePath().getParent();
        Model m = parse(text, path.toString(), dir);
        m.setSourceDirectory(dir);
        return m;
    }

    /** Parses text; {@code baseDir} resolves external data references (may be null). */
    public static Model parse(String text, String displayName, Path baseDir) {
        return new GraphTextReader(displayName, baseDir).model(text);
    }

    private Model model(String text) {
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
        FileContext ctx;
        try {
            ctx = parser.file();
        } catch (ParseCancellationException e) {
            throw new BadInputException(file, null, "syntax error: " + e.getMessage());
        }
        Graph g = graph(ctx.graphDecl(), null);
        Model m = new Model(DEFAULT_IR_VERSION, g);
        if (ctx.modelHeader() != null) {
            header(ctx.modelHeader(), m);
        }
        for (FunctionDeclContext f : ctx.functionDecl()) {
            Function fn = function(f);
            if (m.function(fn.domain(), fn.name(), fn.overload()) != null) {
                throw error(f.opRef(), "function " + quote(fn.qualifiedName()) + " is defined twice");
            }
            m.functions().add(fn);
        }
        return m;
    }

    /**
     * Syntax errors in a few words. ANTLR's own messages list every token that could come next
     * ("mismatched input 'x' expecting {'model', 'opset', …, STRING}": some thirty for a name); these
     * say what was found and, when at most four kinds of token fit, what was expected.
     */
    private static final class ShortMessages extends DefaultErrorStrategy {
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

    private BadInputException error(ParserRuleContext ctx, String msg) {
        return error(ctx.getStart(), msg);
    }

    private BadInputException error(Token t, String msg) {
        return new BadInputException(file, t.getLine() + ":" + (t.getCharPositionInLine() + 1), msg);
    }

    private String string(Token t) {
        return new String(bytes(t), StandardCharsets.UTF_8);
    }

    private byte[] bytes(Token t) {
        try {
            return TextStrings.unquote(t.getText());
        } catch (TextStrings.BadEscape e) {
            throw error(t, "bad escape in string " + Quote.excerpt(t.getText())
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private String name(NameContext n) {
        return n.STRING() != null ? string(n.STRING().getSymbol()) : n.getText();
    }

    private long parseInt(Token t) {
        return parseInt(null, t);
    }

    /** An INT token with an optional '-' before it; sign and digits are parsed together to reach Long.MIN_VALUE. */
    private long parseInt(Token sign, Token t) {
        String text = (sign != null ? "-" : "") + t.getText();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error(sign != null ? sign : t, "integer " + text + " is out of range");
        }
    }

    private void header(ModelHeaderContext h, Model m) {
        for (HeaderEntryContext e : h.headerEntry()) {
            switch (e) {
                case HeaderOpsetContext o -> {
                    String d = Node.normalizeDomain(string(o.domain));
                    if (m.opsetImports().put(d, parseInt(o.sign, o.version)) != null) {
                        throw error(o.domain, "domain " + quote(d) + " is imported twice");
                    }
                }
                case HeaderMetadataContext md -> m.metadata().put(string(md.key2), string(md.val));
                case HeaderFieldContext f -> headerField(f, m);
                default -> throw error(e, "unexpected header entry");
            }
        }
    }

    private void headerField(HeaderFieldContext f, Model m) {
        String key = f.key.getText();
        LiteralContext lit = f.literal();
        switch (key) {
            case "ir_version" -> m.setIrVersion(intLiteral(lit));
            case "model_version" -> m.setModelVersion(intLiteral(lit));
            case "producer_name" -> m.setProducerName(stringLiteral(lit));
            case "producer_version" -> m.setProducerVersion(stringLiteral(lit));
            case "domain" -> m.setDomain(stringLiteral(lit));
            case "doc" -> m.setDocString(stringLiteral(lit));
            case "preserved" -> m.setUnknownFields(base64(lit.STRING().getSymbol()));
            default -> throw error(f, "unknown model field '" + key + "' (expected ir_version, producer_name, "
                    + "producer_version, domain, model_version, doc, preserved)");
        }
    }

    private long intLiteral(LiteralContext lit) {
        if (lit.INT() == null) {
            throw error(lit, "expected an integer, found " + Quote.excerpt(lit.getText()));
        }
        return parseInt(lit.sign, lit.INT().getSymbol());
    }

    private String stringLiteral(LiteralContext lit) {
        if (lit.STRING() == null) {
            throw error(lit, "expected a string, found " + Quote.excerpt(lit.getText()));
        }
        return string(lit.STRING().getSymbol());
    }

    private byte[] base64(Token t) {
        try {
            return Base64.getDecoder().decode(string(t));
        } catch (IllegalArgumentException e) {
            throw error(t, "invalid base64: " + e.getMessage());
        }
    }

    private Function function(FunctionDeclContext f) {
        OpRefContext ref = f.opRef();
        String name = name(ref.op);
        Graph body = new Graph(name);
        if (f.names(0) != null && f.getChild(3) == f.names(0)) {
            for (NameContext n : f.names(0).name()) {
                define(n, "function input", name(n), () -> body.addInput(name(n), null));
            }
        }
        List<String> attrNames = new ArrayList<>();
        Map<String, Attribute> defaults = new LinkedHashMap<>();
        Map<String, Long> opsets = new LinkedHashMap<>();
        String doc = "";
        Map<String, String> meta = new LinkedHashMap<>();
        for (FunctionOptionContext o : f.functionOption()) {
            switch (o) {
                case FunctionAttributesContext a -> {
                    if (a.names() != null) {
                        a.names().name().forEach(n -> attrNames.add(name(n)));
                    }
                }
                case FunctionDefaultsContext d -> defaults.putAll(attributes(d.attrBlock(), body));
                case FunctionOpsetContext op -> opsets.put(Node.normalizeDomain(string(op.domain)), parseInt(op.sign, op.version));
                case FunctionDocContext d -> doc = string(d.STRING().getSymbol());
                case FunctionMetadataContext md -> meta.putAll(metadata(md.metadataBlock()));
                default -> throw error(o, "unexpected function option");
            }
        }
        List<Node> nodes = statements(body, f.statement());
        NamesContext outs = null;
        for (int i = 0; i < f.getChildCount(); i++) {
            if (f.getChild(i).getText().equals("->")) {
                if (f.getChild(i + 2) instanceof NamesContext nc) {
                    outs = nc;
                }
                break;
            }
        }
        if (outs != null) {
            for (NameContext n : outs.name()) {
                Value v = body.value(name(n));
                if (v == null) {
                    throw error(n, name(n).isEmpty() ? "function output has no name"
                            : "function output " + quote(name(n)) + " names no value");
                }
                body.addOutput(v);
            }
        }
        Function fn = new Function(ref.domain == null ? "" : name(ref.domain), name,
                ref.overload == null ? "" : name(ref.overload), body, attrNames, defaults, opsets);
        fn.setDocString(doc);
        fn.metadata().putAll(meta);
        checkAcyclic(body, nodes, "function " + quote(fn.qualifiedName()));
        return fn;
    }

    private Graph graph(GraphDeclContext ctx, Graph parent) {
        Graph g = new Graph(name(ctx.name()), parent);
        ParamsContext inputs = null;
        ParamsContext outputs = null;
        boolean afterArrow = false;
        for (int i = 0; i < ctx.getChildCount(); i++) {
            var c = ctx.getChild(i);
            if (c.getText().equals("->")) {
                afterArrow = true;
            } else if (c instanceof ParamsContext p) {
                if (afterArrow) {
                    outputs = p;
                } else {
                    inputs = p;
                }
            }
        }
        // initializers before inputs: an input may name an initializer (an overridable default)
        for (StatementContext s : ctx.statement()) {
            if (s instanceof InitializerContext init) {
                String n = name(init.name());
                Tensor t = tensor(n, init.type(), init.tensorData(), init.tensorExtra());
                define(init.name(), "initializer", n, () -> g.addInitializer(t));
            } else if (s instanceof SparseInitializerContext sp) {
                String n = name(sp.name());
                ValueType type = sp.type() == null ? null : type(sp.type());
                byte[] proto = base64(sp.STRING().getSymbol());
                define(sp.name(), "sparse initializer", n, () -> g.addSparseInitializer(n, type, proto));
            }
        }
        if (inputs != null) {
            for (ParamContext p : inputs.param()) {
                String n = name(p.name());
                ValueType type = p.type() == null ? null : type(p.type());
                Value existing = g.value(n);
                if (existing != null && existing.isInitializer() && !existing.isGraphInput()) {
                    g.addInitializerAsInput(existing);
                    if (type != null) {
                        existing.setType(type);
                    }
                } else {
                    define(p, "graph input", n, () -> g.addInput(n, type));
                }
            }
        }
        List<Node> nodes = statements(g, ctx.statement());
        if (outputs != null) {
            for (ParamContext p : outputs.param()) {
                String n = name(p.name());
                Value v = g.valueOrCapture(n);
                if (v == null) {
                    throw error(p, n.isEmpty() ? "graph output has no name" : "graph output " + quote(n) + " names no value");
                }
                if (p.type() != null) {
                    v.setType(type(p.type()));
                }
                g.addOutput(v);
            }
        }
        checkAcyclic(g, nodes, "graph " + quote(g.name()));
        return g;
    }

    /**
     * Reports a cycle at the node that closes it: reading top to bottom, the first node by which the
     * nodes so far form a cycle. (The graph header is far from the mistake, and which node of a
     * cycle comes first by name says nothing about where it is in the file.)
     */
    private void checkAcyclic(Graph g, List<Node> fileOrder, String where) {
        GraphViews.firstCycle(g, fileOrder).ifPresent(c -> {
            Node closing = c.get(0);
            String how = c.size() == 1 ? " depends on its own output"
                    : " closes a cycle through " + (c.size() - 1) + (c.size() == 2 ? " other node" : " other nodes");
            throw error(nodeSites.get(closing), "node " + closing.describe() + how + " in " + where);
        });
    }

    private interface Definer {
        Value define();
    }

    /** Defines a graph input, initializer or function input named {@code name}; {@code what} words the error. */
    private Value define(ParserRuleContext at, String what, String name, Definer d) {
        if (name.isEmpty()) {
            // worded like the ONNX importer's "graph input has no name", not as Graph's IllegalArgumentException
            throw error(at, what + " has no name");
        }
        try {
            return d.define();
        } catch (DuplicateValueException e) {
            throw error(at, "value " + quote(e.valueName()) + " is defined more than once");
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    /**
     * Node outputs first (so inputs may refer forward), then inputs, attributes and annotations.
     * Returns the nodes in file order.
     */
    private List<Node> statements(Graph g, List<StatementContext> stmts) {
        List<NodeContext> nodeCtxs = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (StatementContext s : stmts) {
            if (s instanceof NodeContext nc) {
                OpRefContext ref = nc.opRef();
                List<String> outNames = new ArrayList<>();
                for (OutDeclContext o : nc.outputs().outDecl()) {
                    outNames.add(name(o.name()));
                }
                Node n;
                try {
                    for (int i = 0; i < outNames.size(); i++) {
                        if (!outNames.get(i).isEmpty() && g.hasValue(outNames.get(i))) {
                            throw error(nc.outputs().outDecl(i), "value " + quote(outNames.get(i)) + " is defined more than once");
                        }
                    }
                    n = g.addNode(nc.nodeName == null ? "" : name(nc.nodeName), ref.domain == null ? "" : name(ref.domain),
                            name(ref.op), List.of(), outNames);
                } catch (DuplicateValueException e) {
                    // an output listed twice in one node: at its second mention
                    throw error(nc.outputs().outDecl(outNames.lastIndexOf(e.valueName())),
                            "value " + quote(e.valueName()) + " is defined more than once");
                }
                if (ref.overload != null) {
                    n.setOverload(name(ref.overload));
                }
                for (int i = 0; i < outNames.size(); i++) {
                    TypeContext t = nc.outputs().outDecl(i).type();
                    if (t != null && n.output(i) != null) {
                        n.output(i).setType(type(t));
                    }
                }
                nodeCtxs.add(nc);
                nodes.add(n);
                nodeSites.put(n, nc);
            }
        }
        for (int k = 0; k < nodes.size(); k++) {
            NodeContext nc = nodeCtxs.get(k);
            Node n = nodes.get(k);
            if (nc.args() != null) {
                for (NameContext a : nc.args().name()) {
                    String in = name(a);
                    if (in.isEmpty()) {
                        n.addInput(null);
                        continue;
                    }
                    Value v = g.valueOrCapture(in);
                    if (v == null) {
                        throw error(a, quote(in) + " names no value");
                    }
                    n.addInput(v);
                }
            }
            if (nc.attrBlock() != null) {
                attributes(nc.attrBlock(), g).forEach(n::setAttribute);
            }
            for (NodeExtraContext e : nc.nodeExtra()) {
                switch (e) {
                    case NodeDocContext d -> n.setDocString(string(d.STRING().getSymbol()));
                    case NodeMetadataContext md -> n.metadata().putAll(metadata(md.metadataBlock()));
                    case NodePreservedContext p -> n.setUnknownFields(base64(p.STRING().getSymbol()));
                    default -> throw error(e, "unexpected node annotation");
                }
            }
        }
        for (StatementContext s : stmts) {
            switch (s) {
                case GraphDocContext d -> g.setDocString(string(d.STRING().getSymbol()));
                case GraphMetadataContext md -> g.metadata().put(string(md.key), string(md.val));
                case GraphPreservedContext p -> g.setUnknownFields(base64(p.STRING().getSymbol()));
                case ValueInfoContext vi -> {
                    Value v = g.value(name(vi.name()));
                    if (v == null) {
                        throw error(vi.name(), quote(name(vi.name())) + " names no value");
                    }
                    for (ValueExtraContext e : vi.valueExtra()) {
                        if (e instanceof ValueDocContext d) {
                            v.setDocString(string(d.STRING().getSymbol()));
                        } else if (e instanceof ValueMetadataContext md) {
                            v.metadata().putAll(metadata(md.metadataBlock()));
                        }
                    }
                }
                default -> {
                }
            }
        }
        return nodes;
    }

    private Map<String, String> metadata(MetadataBlockContext b) {
        Map<String, String> m = new LinkedHashMap<>();
        for (MetadataEntryContext e : b.metadataEntry()) {
            m.put(string(e.key), string(e.val));
        }
        return m;
    }

    private Map<String, Attribute> attributes(AttrBlockContext block, Graph owner) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (AttrContext a : block.attr()) {
            String n = name(a.name());
            Attribute.Kind kind = Attribute.Kind.fromKeyword(a.kind.getText());
            if (kind == null) {
                throw error(a.kind.getStart(), "unknown attribute kind '" + a.kind.getText()
                        + "' (expected float, int, string, tensor, graph, floats, ints, strings, tensors, graphs, type, types, sparse_tensor, sparse_tensors)");
            }
            if (out.containsKey(n)) {
                throw error(a, "attribute " + quote(n) + " is given twice");
            }
            out.put(n, attributeValue(kind, a.attrValue(), owner));
        }
        return out;
    }

    private Attribute attributeValue(Attribute.Kind kind, AttrValueContext v, Graph owner) {
        if (v instanceof RefValueContext r) {
            return new Attribute.RefAttr(kind, name(r.name()));
        }
        return switch (kind) {
            case FLOAT -> new Attribute.FloatAttr(floatValue(scalar(v, kind)));
            case INT -> new Attribute.IntAttr(intLiteral(scalar(v, kind)));
            case STRING -> new Attribute.StringAttr(bytesLiteral(scalar(v, kind)));
            case TENSOR -> new Attribute.TensorAttr(tensorLiteral(v, kind));
            case GRAPH -> new Attribute.GraphAttr(graphValue(v, kind, owner));
            case TYPE -> new Attribute.TypeAttr(typeValue(v, kind));
            case SPARSE_TENSOR -> new Attribute.SparseTensorAttr(base64(scalar(v, kind).STRING().getSymbol()));
            case FLOATS -> {
                List<AttrValueContext> items = items(v, kind);
                float[] fs = new float[items.size()];
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = floatValue(scalar(items.get(i), Attribute.Kind.FLOAT));
                }
                yield new Attribute.FloatsAttr(fs);
            }
            case INTS -> {
                List<AttrValueContext> items = items(v, kind);
                long[] is = new long[items.size()];
                for (int i = 0; i < is.length; i++) {
                    is[i] = intLiteral(scalar(items.get(i), Attribute.Kind.INT));
                }
                yield new Attribute.IntsAttr(is);
            }
            case STRINGS -> new Attribute.StringsAttr(items(v, kind).stream()
                    .map(i -> bytesLiteral(scalar(i, Attribute.Kind.STRING))).toList());
            case TENSORS -> new Attribute.TensorsAttr(items(v, kind).stream()
                    .map(i -> tensorLiteral(i, Attribute.Kind.TENSOR)).toList());
            case GRAPHS -> new Attribute.GraphsAttr(items(v, kind).stream()
                    .map(i -> graphValue(i, Attribute.Kind.GRAPH, owner)).toList());
            case TYPES -> new Attribute.TypesAttr(items(v, kind).stream()
                    .map(i -> typeValue(i, Attribute.Kind.TYPE)).toList());
            case SPARSE_TENSORS -> new Attribute.SparseTensorsAttr(items(v, kind).stream()
                    .map(i -> base64(scalar(i, Attribute.Kind.SPARSE_TENSOR).STRING().getSymbol())).toList());
        };
    }

    private LiteralContext scalar(AttrValueContext v, Attribute.Kind kind) {
        if (v instanceof ScalarValueContext s) {
            LiteralContext lit = s.literal();
            boolean ok = switch (kind) {
                case FLOAT -> lit.INT() != null || lit.FLOAT() != null || lit.ID() != null;
                case INT -> lit.INT() != null;
                default -> lit.STRING() != null;
            };
            if (ok) {
                return lit;
            }
        }
        throw error(v, "expected " + article(kind.keyword()) + " value, found " + Quote.excerpt(v.getText()));
    }

    private List<AttrValueContext> items(AttrValueContext v, Attribute.Kind kind) {
        if (v instanceof ListValueContext l) {
            return l.attrValue();
        }
        throw error(v, "expected a list for " + article(kind.keyword()) + " attribute, found " + Quote.excerpt(v.getText()));
    }

    private float floatValue(LiteralContext lit) {
        String text = (lit.sign != null ? "-" : "") + (lit.ID() != null ? lit.ID().getText() : lit.getText().replaceFirst("^-", ""));
        try {
            return TensorValues.parseFloat32(text);
        } catch (NumberFormatException e) {
            throw error(lit, quote(lit.getText()) + " is not a number");
        }
    }

    private byte[] bytesLiteral(LiteralContext lit) {
        return bytes(lit.STRING().getSymbol());
    }

    private Tensor tensorLiteral(AttrValueContext v, Attribute.Kind kind) {
        if (v instanceof TensorValueContext tv) {
            TensorLiteralContext t = tv.tensorLiteral();
            return tensor(t.name() == null ? "" : name(t.name()), t.type(), t.tensorData(), t.tensorExtra());
        }
        throw error(v, "expected a tensor (tensor NAME: TYPE = DATA), found " + Quote.excerpt(v.getText()));
    }

    private Graph graphValue(AttrValueContext v, Attribute.Kind kind, Graph owner) {
        if (v instanceof GraphValueContext g) {
            return graph(g.graphDecl(), owner);
        }
        throw error(v, "expected a graph, found " + Quote.excerpt(v.getText()));
    }

    private ValueType typeValue(AttrValueContext v, Attribute.Kind kind) {
        if (v instanceof TypeValueContext t) {
            return type(t.type());
        }
        if (v instanceof ScalarValueContext s && s.literal().ID() != null && s.literal().sign == null) {
            return elementOnlyType(s.literal().ID().getSymbol());
        }
        throw error(v, "expected a type, found " + Quote.excerpt(v.getText()));
    }

    private ValueType elementOnlyType(Token id) {
        if (id.getText().equals("unspecified")) {
            return new ValueType.Unspecified();
        }
        return ValueType.tensor(element(id), Shape.UNKNOWN_RANK);
    }

    /** {@code "an int"}, {@code "a float"}: attribute-kind keywords in messages. */
    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private ElementType element(Token id) {
        ElementType t = ElementType.fromShortName(id.getText());
        if (t == null) {
            throw error(id, "unknown element type '" + id.getText() + "'");
        }
        return t;
    }

    private ValueType type(TypeContext t) {
        return switch (t) {
            case TensorTypeContext tt -> tt.getChildCount() == 1 ? elementOnlyType(tt.elem)
                    : ValueType.tensor(element(tt.elem), Shape.of(dims(tt.dim())));
            case SparseTypeContext st -> new ValueType.SparseTensorType(element(st.elem),
                    st.getChildCount() == 4 ? Shape.UNKNOWN_RANK : Shape.of(dims(st.dim())));
            case SeqTypeContext s -> new ValueType.SequenceType(type(s.type()));
            case OptionalTypeContext o -> new ValueType.OptionalType(type(o.type()));
            case MapTypeContext m -> new ValueType.MapType(element(m.key), type(m.type()));
            case OpaqueTypeContext o -> new ValueType.OpaqueType(string(o.dom), string(o.nm));
            default -> throw error(t, "unexpected type");
        };
    }

    private List<Dim> dims(List<DimContext> ds) {
        List<Dim> out = new ArrayList<>(ds.size());
        for (DimContext d : ds) {
            if (d.INT() != null) {
                Token t = d.INT().getSymbol();
                try {
                    out.add(Dim.of(Long.parseLong((d.sign != null ? "-" : "") + t.getText())));
                } catch (NumberFormatException e) {
                    throw error(t, "dimension " + d.getText() + " is out of range");
                }
            } else if (d.name() != null) {
                String sym = name(d.name());
                out.add(sym.isEmpty() ? Dim.UNKNOWN : Dim.of(sym));
            } else {
                out.add(Dim.UNKNOWN);
            }
        }
        return out;
    }

    private Tensor tensor(String name, TypeContext typeCtx, TensorDataContext data, List<TensorExtraContext> extras) {
        ValueType vt = type(typeCtx);
        if (!(vt instanceof ValueType.TensorType tt) || !tt.shape().isStatic()) {
            throw error(typeCtx, "a constant tensor needs an element type and static dims, e.g. f32[2,3]");
        }
        ElementType et = tt.elementType();
        if (et == ElementType.UNDEFINED) {
            throw error(typeCtx, "a constant tensor needs a defined element type");
        }
        long[] dims = tt.shape().dims().stream().mapToLong(d -> ((Dim.Fixed) d).size()).toArray();
        long count;
        try {
            count = tt.shape().elementCount();
            Math.multiplyExact(count, (long) Math.max(et.bits(), 1));
        } catch (ArithmeticException e) {
            throw error(typeCtx, "element count of " + tt.shape() + " overflows");
        }
        for (long d : dims) {
            if (d < 0) {
                throw error(typeCtx, "a constant tensor cannot have negative dimension " + d);
            }
        }
        TensorData td = switch (data) {
            case ListDataContext l -> listData(l, et, count);
            case RawDataContext r -> {
                byte[] raw = base64(r.STRING().getSymbol());
                if (raw.length != et.storageBytes(count)) {
                    throw error(r.STRING().getSymbol(), "raw data has " + raw.length + " bytes, expected " + et.storageBytes(count)
                            + " for " + count + " " + et.shortName() + " elements");
                }
                yield TensorData.Inline.of(raw);
            }
            case ExternalDataContext e -> external(e, et, count);
            case ElidedDataContext e -> throw error(e, "tensor data was elided ('...') when this text was printed; "
                    + "print it with full data to parse it");
            default -> throw error(data, "unexpected tensor data");
        };
        String doc = "";
        Map<String, String> meta = new LinkedHashMap<>();
        for (TensorExtraContext x : extras) {
            if (x instanceof TensorDocContext d) {
                doc = string(d.STRING().getSymbol());
            } else if (x instanceof TensorMetadataContext md) {
                meta.putAll(metadata(md.metadataBlock()));
            }
        }
        return new Tensor(name, et, dims, td, doc, meta);
    }

    private TensorData listData(ListDataContext l, ElementType et, long count) {
        List<LiteralContext> lits = l.literal();
        if (lits.size() != count) {
            throw error(l, "expected " + count + " values, found " + lits.size());
        }
        if (et == ElementType.STRING) {
            List<byte[]> vals = new ArrayList<>();
            for (LiteralContext lit : lits) {
                if (lit.STRING() == null) {
                    throw error(lit, "expected a string, found " + Quote.excerpt(lit.getText()));
                }
                vals.add(bytes(lit.STRING().getSymbol()));
            }
            return new TensorData.Strings(vals);
        }
        List<String> texts = new ArrayList<>(lits.size());
        for (LiteralContext lit : lits) {
            if (lit.STRING() != null) {
                throw error(lit, "expected a number, found " + Quote.excerpt(lit.getText()));
            }
            texts.add((lit.sign != null ? "-" : "") + lit.getChild(lit.getChildCount() - 1).getText());
        }
        try {
            return TensorData.Inline.of(TensorValues.pack(et, texts));
        } catch (TensorValues.BadLiteral e) {
            throw error(lits.get(e.index), e.getMessage());
        }
    }

    private TensorData external(ExternalDataContext e, ElementType et, long count) {
        String loc = string(e.loc);
        long off = parseInt(e.off);
        long len = parseInt(e.len);
        if (len != et.storageBytes(count)) {
            throw error(e.len, "external length " + len + " does not match " + et.storageBytes(count) + " bytes for "
                    + count + " " + et.shortName() + " elements");
        }
        if (baseDir == null) {
            throw error(e.loc, "external data " + quote(loc) + " cannot be resolved: the text was not read from a file");
        }
        try {
            // the ONNX importer's checks, confinement included: a text file from elsewhere must not
            // reach, by ../ or a link, what its own folder does not hold (converted back to ONNX, the
            // bytes would land in OUT.data)
            TensorData.External.checkReference(baseDir, loc, off, len, true);
        } catch (IllegalArgumentException ex) {
            throw error(e.loc, ex.getMessage());
        }
        Map<String, String> extra = e.metadataBlock() == null ? Map.of() : metadata(e.metadataBlock());
        return new TensorData.External(baseDir, loc, off, len, e.sum == null ? null : string(e.sum), extra);
    }
}
