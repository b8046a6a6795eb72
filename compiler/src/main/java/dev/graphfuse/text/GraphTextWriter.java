package dev.graphfuse.text;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Prints a model in graphfuse's text format. Output depends only on the graph, never on node
 * insertion order: nodes follow {@link GraphViews#topologicalOrder}, initializers and functions are
 * sorted by name, opsets by domain.
 */
public final class GraphTextWriter {
    private final TextWriterOptions options;
    private final StringBuilder out = new StringBuilder(1 << 14);

    private GraphTextWriter(TextWriterOptions options) {
        this.options = options;
    }

    public static String print(Model model, TextWriterOptions options) {
        GraphTextWriter w = new GraphTextWriter(options);
        w.model(model);
        return w.out.toString();
    }

    public static String print(Model model) {
        return print(model, TextWriterOptions.FULL);
    }

    /** Just a graph (no model header), as golden files hold it. */
    public static String print(Graph graph, TextWriterOptions options) {
        GraphTextWriter w = new GraphTextWriter(options);
        w.graph(graph, 0);
        w.out.append('\n');
        return w.out.toString();
    }

    private void model(Model m) {
        out.append("model {\n");
        out.append("  ir_version: ").append(m.irVersion()).append('\n');
        field("producer_name", m.producerName());
        field("producer_version", m.producerVersion());
        field("domain", m.domain());
        if (m.modelVersion() != 0) {
            out.append("  model_version: ").append(m.modelVersion()).append('\n');
        }
        field("doc", m.docString());
        m.opsetImports().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.append("  opset ").append(TextStrings.quote(e.getKey())).append(": ").append(e.getValue()).append('\n'));
        m.metadata().forEach((k, v) ->
                out.append("  metadata ").append(TextStrings.quote(k)).append(": ").append(TextStrings.quote(v)).append('\n'));
        if (m.unknownFields().length > 0) {
            field("preserved", Base64.getEncoder().encodeToString(m.unknownFields()));
        }
        out.append("}\n");
        graph(m.graph(), 0);
        out.append('\n');
        List<Function> fs = new ArrayList<>(m.functions());
        fs.sort(Comparator.comparing(Function::qualifiedName).thenComparing(Function::overload));
        for (Function f : fs) {
            function(f);
        }
    }

    private void field(String key, String value) {
        if (!value.isEmpty()) {
            out.append("  ").append(key).append(": ").append(TextStrings.quote(value)).append('\n');
        }
    }

    private void function(Function f) {
        out.append("function ").append(opRef(f.domain(), f.name(), f.overload())).append(" (");
        joinNames(f.body().inputs());
        out.append(") -> (");
        joinNames(f.body().outputs());
        out.append(")");
        if (!f.attributeNames().isEmpty()) {
            out.append(" attributes [");
            for (int i = 0; i < f.attributeNames().size(); i++) {
                out.append(i > 0 ? ", " : "").append(TextStrings.name(f.attributeNames().get(i)));
            }
            out.append(']');
        }
        if (!f.attributeDefaults().isEmpty()) {
            out.append(" defaults ");
            attributes(f.attributeDefaults(), 0);
        }
        f.opsetImports().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.append(" opset ").append(TextStrings.quote(e.getKey())).append(": ").append(e.getValue()));
        if (!f.docString().isEmpty()) {
            out.append(" doc ").append(TextStrings.quote(f.docString()));
        }
        if (!f.metadata().isEmpty()) {
            out.append(" metadata ");
            metadataBlock(f.metadata());
        }
        out.append(" {\n");
        body(f.body(), 1);
        out.append("}\n");
    }

    private void joinNames(List<Value> values) {
        for (int i = 0; i < values.size(); i++) {
            out.append(i > 0 ? ", " : "").append(TextStrings.name(values.get(i).name()));
        }
    }

    private void graph(Graph g, int depth) {
        out.append("graph ").append(TextStrings.name(g.name())).append(" (");
        params(g.inputs());
        out.append(") -> (");
        params(g.outputs());
        out.append(") {\n");
        body(g, depth + 1);
        indent(depth).append('}');
    }

    private void params(List<Value> values) {
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            out.append(i > 0 ? ", " : "").append(TextStrings.name(v.name()));
            if (v.type() != null) {
                out.append(": ").append(type(v.type()));
            }
        }
    }

    private void body(Graph g, int depth) {
        if (!g.docString().isEmpty()) {
            indent(depth).append("doc ").append(TextStrings.quote(g.docString())).append('\n');
        }
        g.metadata().forEach((k, v) -> indent(depth).append("metadata ").append(TextStrings.quote(k)).append(": ")
                .append(TextStrings.quote(v)).append('\n'));
        List<Value> inits = new ArrayList<>(g.initializers());
        inits.sort(Comparator.comparing(Value::name));
        for (Value v : inits) {
            if (v.initializer() != null) {
                indent(depth).append("init ").append(TextStrings.name(v.name())).append(": ");
                tensorBody(v.initializer());
                out.append('\n');
            } else {
                indent(depth).append("sparse_init ").append(TextStrings.name(v.name()));
                if (v.type() != null) {
                    out.append(": ").append(type(v.type()));
                }
                out.append(" = ").append(TextStrings.quote(Base64.getEncoder().encodeToString(v.sparseInitializer())))
                        .append('\n');
            }
        }
        for (Node n : GraphViews.topologicalOrder(g)) {
            node(n, g, depth);
        }
        List<Value> annotated = new ArrayList<>();
        for (Value v : g.values()) {
            if (!v.docString().isEmpty() || !v.metadata().isEmpty()) {
                annotated.add(v);
            }
        }
        annotated.sort(Comparator.comparing(Value::name));
        for (Value v : annotated) {
            indent(depth).append("value ").append(TextStrings.name(v.name()));
            if (!v.docString().isEmpty()) {
                out.append(" doc ").append(TextStrings.quote(v.docString()));
            }
            if (!v.metadata().isEmpty()) {
                out.append(" metadata ");
                metadataBlock(v.metadata());
            }
            out.append('\n');
        }
        if (g.unknownFields().length > 0) {
            indent(depth).append("preserved ")
                    .append(TextStrings.quote(Base64.getEncoder().encodeToString(g.unknownFields()))).append('\n');
        }
    }

    private void node(Node n, Graph g, int depth) {
        indent(depth);
        if (!n.name().isEmpty()) {
            out.append('[').append(TextStrings.name(n.name())).append("] ");
        }
        if (n.outputs().isEmpty()) {
            out.append("()");
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            Value v = n.output(i);
            out.append(i > 0 ? ", " : "");
            if (v == null) {
                out.append("\"\"");
                continue;
            }
            out.append(TextStrings.name(v.name()));
            if (v.type() != null && !g.outputs().contains(v)) {
                out.append(": ").append(type(v.type()));
            }
        }
        out.append(" = ").append(opRef(n.domain(), n.opType(), n.overload())).append('(');
        for (int i = 0; i < n.inputCount(); i++) {
            Value v = n.input(i);
            out.append(i > 0 ? ", " : "").append(v == null ? "\"\"" : TextStrings.name(v.name()));
        }
        out.append(')');
        if (!n.attributes().isEmpty()) {
            out.append(' ');
            attributes(n.attributes(), depth);
        }
        if (!n.docString().isEmpty()) {
            out.append(" doc ").append(TextStrings.quote(n.docString()));
        }
        if (options.nodeMetadata() && !n.metadata().isEmpty()) {
            out.append(" metadata ");
            metadataBlock(n.metadata());
        }
        if (n.unknownFields().length > 0) {
            out.append(" preserved ").append(TextStrings.quote(Base64.getEncoder().encodeToString(n.unknownFields())));
        }
        out.append('\n');
    }

    private static String opRef(String domain, String op, String overload) {
        StringBuilder sb = new StringBuilder();
        if (!domain.isEmpty()) {
            sb.append(TextStrings.name(domain)).append("::");
        }
        sb.append(TextStrings.name(op));
        if (!overload.isEmpty()) {
            sb.append(':').append(TextStrings.name(overload));
        }
        return sb.toString();
    }

    private void metadataBlock(Map<String, String> m) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.append(first ? "" : ", ").append(TextStrings.quote(e.getKey())).append(": ")
                    .append(TextStrings.quote(e.getValue()));
            first = false;
        }
        out.append('}');
    }

    private void attributes(Map<String, Attribute> attrs, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Attribute> e : attrs.entrySet()) {
            out.append(first ? "" : ", ").append(TextStrings.name(e.getKey())).append(": ")
                    .append(e.getValue().kind().keyword()).append(" = ");
            attributeValue(e.getValue(), depth);
            first = false;
        }
        out.append('}');
    }

    private void attributeValue(Attribute a, int depth) {
        switch (a) {
            case Attribute.RefAttr r -> out.append('@').append(TextStrings.name(r.refName()));
            case Attribute.FloatAttr f -> out.append(floatText(f.value()));
            case Attribute.IntAttr i -> out.append(i.value());
            case Attribute.StringAttr s -> out.append(TextStrings.quote(s.value()));
            case Attribute.TensorAttr t -> tensorLiteral(t.value());
            case Attribute.GraphAttr g -> graph(g.value(), depth);
            case Attribute.FloatsAttr fs -> {
                out.append('[');
                for (int i = 0; i < fs.values().length; i++) {
                    out.append(i > 0 ? ", " : "").append(floatText(fs.values()[i]));
                }
                out.append(']');
            }
            case Attribute.IntsAttr is -> {
                out.append('[');
                for (int i = 0; i < is.values().length; i++) {
                    out.append(i > 0 ? ", " : "").append(is.values()[i]);
                }
                out.append(']');
            }
            case Attribute.StringsAttr ss -> list(ss.values(), s -> out.append(TextStrings.quote(s)));
            case Attribute.TensorsAttr ts -> list(ts.values(), this::tensorLiteral);
            case Attribute.GraphsAttr gs -> list(gs.values(), g -> graph(g, depth));
            case Attribute.TypeAttr t -> out.append(type(t.value()));
            case Attribute.TypesAttr ts -> list(ts.values(), t -> out.append(type(t)));
            case Attribute.SparseTensorAttr s -> out.append(TextStrings.quote(Base64.getEncoder().encodeToString(s.proto())));
            case Attribute.SparseTensorsAttr ss ->
                    list(ss.protos(), p -> out.append(TextStrings.quote(Base64.getEncoder().encodeToString(p))));
        }
    }

    private <T> void list(List<T> items, java.util.function.Consumer<T> each) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            each.accept(items.get(i));
        }
        out.append(']');
    }

    private void tensorLiteral(Tensor t) {
        out.append("tensor ");
        if (!t.name().isEmpty()) {
            out.append(TextStrings.name(t.name())).append(": ");
        }
        tensorBody(t);
    }

    private void tensorBody(Tensor t) {
        out.append(type(t.type())).append(" = ");
        tensorData(t);
        if (!t.docString().isEmpty()) {
            out.append(" doc ").append(TextStrings.quote(t.docString()));
        }
        if (!t.orderedMetadata().isEmpty()) {
            out.append(" metadata ");
            metadataBlock(t.orderedMetadata());
        }
    }

    private void tensorData(Tensor t) {
        switch (t.data()) {
            case TensorData.External e when options.inlineExternal() -> {
                ByteBuffer b = e.bytes();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.append("raw ").append(TextStrings.quote(Base64.getEncoder().encodeToString(bytes)));
            }
            case TensorData.External e -> {
                String location = e.location();
                if (options.externalBase() != null) {
                    location = options.externalBase().toAbsolutePath().relativize(e.file().toAbsolutePath()).toString();
                }
                out.append("external ").append(TextStrings.quote(location)).append(" offset ").append(e.offset())
                        .append(" length ").append(e.length());
                if (e.checksum() != null) {
                    out.append(" checksum ").append(TextStrings.quote(e.checksum()));
                }
                if (!e.extra().isEmpty()) {
                    out.append(" extra ");
                    metadataBlock(new java.util.TreeMap<>(e.extra()));
                }
            }
            case TensorData.Strings s -> list(s.values(), v -> out.append(TextStrings.quote(v)));
            case TensorData.Inline in -> {
                long count = t.elementCount();
                if (count > options.inlineLimit() && options.elideData()) {
                    out.append("...");
                } else if (count <= options.inlineLimit() && TensorValues.printable(t)) {
                    out.append('[');
                    TensorValues.appendAll(t, out);
                    out.append(']');
                } else {
                    ByteBuffer b = in.bytes();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.append("raw ").append(TextStrings.quote(Base64.getEncoder().encodeToString(bytes)));
                }
            }
        }
    }

    static String floatText(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    static String floatText(float v) {
        if (Float.isNaN(v)) {
            return "nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Float.toString(v);
    }

    /** A type as the text format spells it, e.g. {@code f32[1,seq,64]}. */
    public static String typeText(ValueType t) {
        return type(t);
    }

    static String type(ValueType t) {
        return switch (t) {
            case ValueType.TensorType tt -> tt.elementType().shortName() + shape(tt.shape());
            case ValueType.SparseTensorType st -> "sparse(" + st.elementType().shortName() + shape(st.shape()) + ")";
            case ValueType.SequenceType s -> "seq(" + type(s.elementType()) + ")";
            case ValueType.OptionalType o -> "optional(" + type(o.elementType()) + ")";
            case ValueType.MapType m -> "map(" + m.keyType().shortName() + ", " + type(m.valueType()) + ")";
            case ValueType.OpaqueType o -> "opaque(" + TextStrings.quote(o.domain()) + ", " + TextStrings.quote(o.name()) + ")";
            case ValueType.Unspecified u -> "unspecified";
        };
    }

    private static String shape(Shape s) {
        if (!s.hasRank()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("[");
        List<Dim> dims = s.dims();
        for (int i = 0; i < dims.size(); i++) {
            sb.append(i > 0 ? "," : "");
            switch (dims.get(i)) {
                case Dim.Fixed f -> sb.append(f.size());
                case Dim.Symbolic sym -> sb.append(TextStrings.name(sym.name()));
                case Dim.Unknown u -> sb.append('?');
            }
        }
        return sb.append(']').toString();
    }

    private StringBuilder indent(int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
        return out;
    }
}
