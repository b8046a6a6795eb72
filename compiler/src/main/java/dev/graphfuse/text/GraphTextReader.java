package dev.graphfuse.text;

import static dev.graphfuse.diag.Quote.quote;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.DuplicateValueException;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.text.ast.Annotation;
import dev.graphfuse.text.ast.FunctionDecl;
import dev.graphfuse.text.ast.GraphDecl;
import dev.graphfuse.text.ast.HeaderEntry;
import dev.graphfuse.text.ast.Literal;
import dev.graphfuse.text.ast.Name;
import dev.graphfuse.text.ast.OpRef;
import dev.graphfuse.text.ast.Statement;
import dev.graphfuse.text.ast.TextFile;
import dev.graphfuse.text.parse.GraphTextSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads graphfuse's text format into the IR: the text is parsed into its AST
 * ({@link GraphTextSyntax}), which is then built into a model here. Every error is a
 * {@link BadInputException} reading {@code FILE:LINE:COL: error: WHAT}.
 */
public final class GraphTextReader {
    /** IR version assumed for a text file without a {@code model} header. */
    public static final long DEFAULT_IR_VERSION = 10;

    private final TokenDecoder tokens;
    private final AttributeReader attributes;
    /** Where each node was written, to report a cycle at the node that closes it. */
    private final Map<Node, SourceLocation> nodeSites = new IdentityHashMap<>();

    private GraphTextReader(String file, Path baseDir) {
        this.tokens = new TokenDecoder(file);
        this.attributes = new AttributeReader(tokens, baseDir, this::graph);
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
        return new GraphTextReader(displayName, baseDir).model(GraphTextSyntax.parse(text, displayName));
    }

    private Model model(TextFile file) {
        Graph g = graph(file.graph(), null);
        Model m = new Model(DEFAULT_IR_VERSION, g);
        for (HeaderEntry e : file.header()) {
            header(e, m);
        }
        for (FunctionDecl f : file.functions()) {
            Function fn = function(f);
            if (m.function(fn.domain(), fn.name(), fn.overload()) != null) {
                throw tokens.error(f.op().at(), "function " + quote(fn.qualifiedName()) + " is defined twice");
            }
            m.functions().add(fn);
        }
        return m;
    }

    private void header(HeaderEntry e, Model m) {
        switch (e) {
            case HeaderEntry.Opset o -> {
                String d = Node.normalizeDomain(tokens.string(o.domain()));
                if (m.opsetImports().put(d, tokens.parseInt(o.sign(), o.version())) != null) {
                    throw tokens.error(o.domain().at(), "domain " + quote(d) + " is imported twice");
                }
            }
            case HeaderEntry.Metadata md -> m.metadata().put(tokens.string(md.key()), tokens.string(md.value()));
            case HeaderEntry.Field f -> headerField(f, m);
        }
    }

    private void headerField(HeaderEntry.Field f, Model m) {
        String key = f.key().text();
        Literal lit = f.value();
        switch (key) {
            case "ir_version" -> m.setIrVersion(tokens.intLiteral(lit));
            case "model_version" -> m.setModelVersion(tokens.intLiteral(lit));
            case "producer_name" -> m.setProducerName(tokens.stringLiteral(lit));
            case "producer_version" -> m.setProducerVersion(tokens.stringLiteral(lit));
            case "domain" -> m.setDomain(tokens.stringLiteral(lit));
            case "doc" -> m.setDocString(tokens.stringLiteral(lit));
            case "preserved" -> {
                tokens.stringLiteral(lit);
                m.setUnknownFields(tokens.base64(lit.value()));
            }
            default -> throw tokens.error(f.at(), "unknown model field '" + key + "' (expected ir_version, "
                    + "producer_name, producer_version, domain, model_version, doc, preserved)");
        }
    }

    private Function function(FunctionDecl f) {
        OpRef ref = f.op();
        String name = tokens.name(ref.op());
        Graph body = new Graph(name);
        for (Name n : f.inputs()) {
            define(n.at(), "function input", tokens.name(n), () -> body.addInput(tokens.name(n), null));
        }
        List<String> attrNames = new ArrayList<>();
        Map<String, Attribute> defaults = new LinkedHashMap<>();
        Map<String, Long> opsets = new LinkedHashMap<>();
        String doc = "";
        Map<String, String> meta = new LinkedHashMap<>();
        for (FunctionDecl.Option o : f.options()) {
            switch (o) {
                case FunctionDecl.AttributeNames a -> a.names().forEach(n -> attrNames.add(tokens.name(n)));
                case FunctionDecl.Defaults d -> defaults.putAll(attributes.attributes(d.attributes(), body));
                case FunctionDecl.Opset op -> opsets.put(Node.normalizeDomain(tokens.string(op.domain())),
                        tokens.parseInt(op.sign(), op.version()));
                case FunctionDecl.Doc d -> doc = tokens.string(d.text());
                case FunctionDecl.Metadata md -> meta.putAll(tokens.metadata(md.entries()));
            }
        }
        List<Node> nodes = statements(body, f.statements());
        for (Name n : f.outputs()) {
            Value v = body.value(tokens.name(n));
            if (v == null) {
                throw tokens.error(n.at(), tokens.name(n).isEmpty() ? "function output has no name"
                        : "function output " + quote(tokens.name(n)) + " names no value");
            }
            body.addOutput(v);
        }
        Function fn = new Function(ref.domain() == null ? "" : tokens.name(ref.domain()), name,
                ref.overload() == null ? "" : tokens.name(ref.overload()), body, attrNames, defaults, opsets);
        fn.setDocString(doc);
        fn.metadata().putAll(meta);
        checkAcyclic(body, nodes, "function " + quote(fn.qualifiedName()));
        return fn;
    }

    private Graph graph(GraphDecl decl, Graph parent) {
        Graph g = new Graph(tokens.name(decl.name()), parent);
        // initializers before inputs: an input may name an initializer (an overridable default)
        for (Statement s : decl.statements()) {
            if (s instanceof Statement.Initializer init) {
                String n = tokens.name(init.name());
                Tensor t = attributes.tensor(n, init.type(), init.data(), init.annotations());
                define(init.name().at(), "initializer", n, () -> g.addInitializer(t));
            } else if (s instanceof Statement.SparseInitializer sp) {
                String n = tokens.name(sp.name());
                ValueType type = sp.type() == null ? null : tokens.type(sp.type());
                byte[] proto = tokens.base64(sp.base64());
                define(sp.name().at(), "sparse initializer", n, () -> g.addSparseInitializer(n, type, proto));
            }
        }
        for (GraphDecl.Param p : decl.inputs()) {
            String n = tokens.name(p.name());
            ValueType type = p.type() == null ? null : tokens.type(p.type());
            Value existing = g.value(n);
            if (existing != null && existing.isInitializer() && !existing.isGraphInput()) {
                g.addInitializerAsInput(existing);
                if (type != null) {
                    existing.setType(type);
                }
            } else {
                define(p.at(), "graph input", n, () -> g.addInput(n, type));
            }
        }
        List<Node> nodes = statements(g, decl.statements());
        for (GraphDecl.Param p : decl.outputs()) {
            String n = tokens.name(p.name());
            Value v = g.valueOrCapture(n);
            if (v == null) {
                throw tokens.error(p.at(), n.isEmpty() ? "graph output has no name"
                        : "graph output " + quote(n) + " names no value");
            }
            if (p.type() != null) {
                v.setType(tokens.type(p.type()));
            }
            g.addOutput(v);
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
            throw tokens.error(nodeSites.get(closing), "node " + closing.describe() + how + " in " + where);
        });
    }

    private interface Definer {
        Value define();
    }

    /** Defines a graph input, initializer or function input named {@code name}; {@code what} words the error. */
    private Value define(SourceLocation at, String what, String name, Definer d) {
        if (name.isEmpty()) {
            // worded like the ONNX importer's "graph input has no name", not as Graph's IllegalArgumentException
            throw tokens.error(at, what + " has no name");
        }
        try {
            return d.define();
        } catch (DuplicateValueException e) {
            throw tokens.error(at, "value " + quote(e.valueName()) + " is defined more than once");
        } catch (IllegalArgumentException e) {
            throw tokens.error(at, e.getMessage());
        }
    }

    /**
     * Node outputs first (so inputs may refer forward), then inputs, attributes and annotations.
     * Returns the nodes in file order.
     */
    private List<Node> statements(Graph g, List<Statement> stmts) {
        List<Statement.NodeStatement> decls = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (Statement s : stmts) {
            if (s instanceof Statement.NodeStatement ns) {
                nodes.add(declareNode(g, ns));
                decls.add(ns);
            }
        }
        for (int k = 0; k < nodes.size(); k++) {
            Statement.NodeStatement ns = decls.get(k);
            Node n = nodes.get(k);
            for (Name a : ns.args()) {
                String in = tokens.name(a);
                if (in.isEmpty()) {
                    n.addInput(null);
                    continue;
                }
                Value v = g.valueOrCapture(in);
                if (v == null) {
                    throw tokens.error(a.at(), quote(in) + " names no value");
                }
                n.addInput(v);
            }
            attributes.attributes(ns.attributes(), g).forEach(n::setAttribute);
            for (Annotation a : ns.annotations()) {
                switch (a) {
                    case Annotation.Doc d -> n.setDocString(tokens.string(d.text()));
                    case Annotation.Metadata md -> n.metadata().putAll(tokens.metadata(md.entries()));
                    case Annotation.Preserved p -> n.setUnknownFields(tokens.base64(p.base64()));
                }
            }
        }
        for (Statement s : stmts) {
            switch (s) {
                case Statement.GraphDoc d -> g.setDocString(tokens.string(d.text()));
                case Statement.GraphMetadata md -> g.metadata().put(tokens.string(md.key()), tokens.string(md.value()));
                case Statement.GraphPreserved p -> g.setUnknownFields(tokens.base64(p.base64()));
                case Statement.ValueInfo vi -> annotate(g, vi);
                default -> {
                }
            }
        }
        return nodes;
    }

    /** Adds the node with its outputs (and their types), but no inputs yet. */
    private Node declareNode(Graph g, Statement.NodeStatement ns) {
        OpRef ref = ns.op();
        List<String> outNames = new ArrayList<>();
        for (Statement.Output o : ns.outputs()) {
            outNames.add(tokens.name(o.name()));
        }
        Node n;
        try {
            for (int i = 0; i < outNames.size(); i++) {
                if (!outNames.get(i).isEmpty() && g.hasValue(outNames.get(i))) {
                    throw tokens.error(ns.outputs().get(i).at(), "value " + quote(outNames.get(i))
                            + " is defined more than once");
                }
            }
            n = g.addNode(ns.name() == null ? "" : tokens.name(ns.name()),
                    ref.domain() == null ? "" : tokens.name(ref.domain()), tokens.name(ref.op()), List.of(), outNames);
        } catch (DuplicateValueException e) {
            // an output listed twice in one node: at its second mention
            throw tokens.error(ns.outputs().get(outNames.lastIndexOf(e.valueName())).at(),
                    "value " + quote(e.valueName()) + " is defined more than once");
        }
        if (ref.overload() != null) {
            n.setOverload(tokens.name(ref.overload()));
        }
        for (int i = 0; i < outNames.size(); i++) {
            if (ns.outputs().get(i).type() != null && n.output(i) != null) {
                n.output(i).setType(tokens.type(ns.outputs().get(i).type()));
            }
        }
        nodeSites.put(n, ns.at());
        return n;
    }

    private void annotate(Graph g, Statement.ValueInfo vi) {
        Value v = g.value(tokens.name(vi.name()));
        if (v == null) {
            throw tokens.error(vi.name().at(), quote(tokens.name(vi.name())) + " names no value");
        }
        for (Annotation a : vi.annotations()) {
            if (a instanceof Annotation.Doc d) {
                v.setDocString(tokens.string(d.text()));
            } else if (a instanceof Annotation.Metadata md) {
                v.metadata().putAll(tokens.metadata(md.entries()));
            }
        }
    }
}
