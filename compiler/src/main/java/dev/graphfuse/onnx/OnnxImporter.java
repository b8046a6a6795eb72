package dev.graphfuse.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import static dev.graphfuse.diag.Quote.quote;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Quote;
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
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.FunctionProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.ModelProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.onnx.wire.OnnxWire.OperatorSetIdProto;
import dev.graphfuse.onnx.wire.OnnxWire.SparseTensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model into the IR. The file is memory-mapped and parsed with aliasing, so inline
 * initializer bytes are not copied onto the heap; external data stays a checked reference. Any
 * malformed input becomes one {@link BadInputException} naming the file and the offending field.
 */
public final class OnnxImporter {
    /** IR versions this importer reads (ONNX 1.2 … 1.22). */
    public static final long MIN_IR_VERSION = 3;
    public static final long MAX_IR_VERSION = 13;

    private final String file;
    private final OnnxAttributes attributes;

    private OnnxImporter(String file, Path baseDir) {
        this.file = file;
        this.attributes = new OnnxAttributes(file, baseDir, this::graph);
    }

    /** Reads a model file; external data resolves relative to its directory. */
    public static Model read(Path path) {
        String display = path.toString();
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new BadInputException(display, null, "model file of " + size + " bytes exceeds the 2 GiB protobuf limit");
            }
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new BadInputException(display, null, "no such file");
        } catch (IOException e) {
            throw new BadInputException(display, null, "cannot read: " + e.getMessage());
        }
        Path dir = path.toAbsolutePath().getParent();
        Model m = new OnnxImporter(display, dir).parse(mapped);
        m.setSourceDirectory(dir);
        return m;
    }

    /** Parses model bytes; {@code baseDir} resolves external data (may be null if there is none). */
    public static Model read(ByteBuffer bytes, String displayName, Path baseDir) {
        Model m = new OnnxImporter(displayName, baseDir).parse(bytes);
        m.setSourceDirectory(baseDir);
        return m;
    }

    private Model parse(ByteBuffer bytes) {
        ModelProto mp;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(400);
            mp = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(file, null, "not a valid ONNX protobuf (truncated or corrupt): " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(file, null, "cannot parse: " + e.getMessage());
        }
        return convert(mp);
    }

    private BadInputException error(String location, String detail) {
        return new BadInputException(file, location, detail);
    }

    private Model convert(ModelProto mp) {
        if (!mp.hasIrVersion()) {
            throw error("model", "ir_version is missing (is this an ONNX model?)");
        }
        long ir = mp.getIrVersion();
        if (ir < MIN_IR_VERSION || ir > MAX_IR_VERSION) {
            throw error("model.ir_version", "unsupported ir_version " + ir + " (supported: "
                    + MIN_IR_VERSION + "–" + MAX_IR_VERSION + ")");
        }
        if (!mp.hasGraph()) {
            throw error("model.graph", "the model has no graph");
        }
        Map<String, Long> opsets = opsets(mp.getOpsetImportList(), "model.opset_import");
        Graph g = graph(mp.getGraph(), null, "graph");
        Model m = new Model(ir, g);
        m.opsetImports().putAll(opsets);
        m.setProducerName(mp.getProducerName());
        m.setProducerVersion(mp.getProducerVersion());
        m.setDomain(mp.getDomain());
        m.setModelVersion(mp.getModelVersion());
        m.setDocString(mp.getDocString());
        m.metadata().putAll(OnnxTensors.entries(mp.getMetadataPropsList()));
        m.setUnknownFields(mp.getUnknownFields().toByteArray());
        for (int i = 0; i < mp.getFunctionsCount(); i++) {
            FunctionProto fp = mp.getFunctions(i);
            String loc = "model.functions[" + i + "] " + quote(fp.getName());
            if (m.function(fp.getDomain(), fp.getName(), fp.getOverload()) != null) {
                throw error(loc, "function " + quote(fp.getDomain() + "::" + fp.getName()) + " is defined twice");
            }
            m.functions().add(function(fp, loc));
        }
        return m;
    }

    private Map<String, Long> opsets(List<OperatorSetIdProto> list, String loc) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (OperatorSetIdProto o : list) {
            String d = Node.normalizeDomain(o.getDomain());
            if (out.put(d, o.getVersion()) != null) {
                throw error(loc, "domain " + quote(d) + " is imported twice");
            }
        }
        return out;
    }

    private Function function(FunctionProto fp, String loc) {
        if (fp.getName().isEmpty()) {
            throw error(loc, "function has no name");
        }
        Graph body = new Graph(fp.getName());
        for (String in : fp.getInputList()) {
            // worded like "graph input has no name", not as Graph's IllegalArgumentException
            if (in.isEmpty()) {
                throw error(loc, "function input has no name");
            }
            defineOrFail(() -> body.addInput(in, null), loc, "function input " + quote(in));
        }
        Map<String, ValueInfoProto> infos = valueInfos(fp.getValueInfoList(), loc);
        nodes(body, fp.getNodeList(), loc, infos);
        for (String out : fp.getOutputList()) {
            if (out.isEmpty()) {
                throw error(loc, "function output has no name");
            }
            Value v = body.value(out);
            if (v == null) {
                throw error(loc, "function output " + quote(out) + " names no value");
            }
            body.addOutput(v);
        }
        checkAcyclic(body, loc);
        Map<String, Attribute> defaults = new LinkedHashMap<>();
        for (AttributeProto ap : fp.getAttributeProtoList()) {
            defaults.put(ap.getName(), attributes.attribute(ap, body, loc + " attribute " + quote(ap.getName())));
        }
        Function f = new Function(fp.getDomain(), fp.getName(), fp.getOverload(), body, fp.getAttributeList(),
                defaults, opsets(fp.getOpsetImportList(), loc + ".opset_import"));
        f.setDocString(fp.getDocString());
        f.metadata().putAll(OnnxTensors.entries(fp.getMetadataPropsList()));
        return f;
    }

    private Graph graph(GraphProto gp, Graph parent, String loc) {
        Graph g = new Graph(gp.getName(), parent);
        g.setDocString(gp.getDocString());
        g.metadata().putAll(OnnxTensors.entries(gp.getMetadataPropsList()));
        g.setUnknownFields(gp.getUnknownFields().toByteArray());
        for (int i = 0; i < gp.getInitializerCount(); i++) {
            TensorProto tp = gp.getInitializerList().get(i);
            String tloc = loc + ".initializer[" + i + "] " + quote(tp.getName());
            if (tp.getName().isEmpty()) {
                throw error(tloc, "initializer has no name");
            }
            Tensor t = attributes.tensor(tp, tloc);
            defineOrFail(() -> g.addInitializer(t), tloc, "initializer " + quote(tp.getName()));
        }
        for (int i = 0; i < gp.getSparseInitializerCount(); i++) {
            SparseTensorProto sp = gp.getSparseInitializer(i);
            String name = sp.getValues().getName();
            String sloc = loc + ".sparse_initializer[" + i + "] " + quote(name);
            if (name.isEmpty()) {
                throw error(sloc, "sparse initializer has no name");
            }
            defineOrFail(() -> g.addSparseInitializer(name, null, sp.toByteArray()), sloc, "sparse initializer " + quote(name));
        }
        Map<String, ValueInfoProto> infos = valueInfos(gp.getValueInfoList(), loc + ".value_info");
        for (int i = 0; i < gp.getInputCount(); i++) {
            ValueInfoProto vi = gp.getInput(i);
            String iloc = loc + ".input[" + i + "] " + quote(vi.getName());
            if (vi.getName().isEmpty()) {
                throw error(iloc, "graph input has no name");
            }
            ValueType type = type(vi, iloc);
            Value existing = g.value(vi.getName());
            Value v;
            if (existing != null && existing.isInitializer() && !existing.isGraphInput()) {
                g.addInitializerAsInput(existing);
                v = existing;
                if (type != null) {
                    v.setType(type);
                }
            } else {
                v = defineOrFail(() -> g.addInput(vi.getName(), type), iloc, "graph input " + quote(vi.getName()));
            }
            applyInfo(v, vi);
        }
        nodes(g, gp.getNodeList(), loc, infos);
        for (int i = 0; i < gp.getOutputCount(); i++) {
            ValueInfoProto vi = gp.getOutput(i);
            String oloc = loc + ".output[" + i + "] " + quote(vi.getName());
            Value v = g.valueOrCapture(vi.getName());
            if (v == null) {
                throw error(oloc, "graph output " + quote(vi.getName()) + " names no value");
            }
            ValueType type = type(vi, oloc);
            if (type != null) {
                v.setType(type);
            }
            applyInfo(v, vi);
            g.addOutput(v);
        }
        checkAcyclic(g, loc);
        return g;
    }

    private void checkAcyclic(Graph g, String loc) {
        GraphViews.findCycle(g).ifPresent(cycle -> {
            throw error(loc, "the graph has a cycle through node " + cycle.get(0).describe()
                    + (cycle.size() > 1 ? " and " + (cycle.size() - 1) + " other node(s)" : ""));
        });
    }


    private Map<String, ValueInfoProto> valueInfos(List<ValueInfoProto> list, String loc) {
        Map<String, ValueInfoProto> out = new HashMap<>();
        for (ValueInfoProto vi : list) {
            if (out.put(vi.getName(), vi) != null) {
                throw error(loc, "value_info for " + quote(vi.getName()) + " appears twice");
            }
        }
        return out;
    }

    private void nodes(Graph g, List<NodeProto> protos, String loc, Map<String, ValueInfoProto> infos) {
        // Outputs first, so an input may name a value produced later in the list; ordering is
        // checked separately as acyclicity.
        List<Node> created = new ArrayList<>(protos.size());
        for (int i = 0; i < protos.size(); i++) {
            NodeProto np = protos.get(i);
            String nloc = nodeLoc(loc, i, np);
            if (np.getOpType().isEmpty()) {
                throw error(nloc, "node has no op_type");
            }
            for (String out : np.getOutputList()) {
                Value clash = out.isEmpty() ? null : g.value(out);
                if (clash != null) {
                    throw error(nloc, "output " + quote(out) + " is already " + definedAs(clash));
                }
            }
            Node n;
            try {
                n = g.addNode(np.getName(), np.getDomain(), np.getOpType(), List.of(), np.getOutputList());
            } catch (DuplicateValueException e) {
                throw error(nloc, "output " + quote(e.valueName()) + " is listed twice");
            }
            created.add(n);
        }
        for (int i = 0; i < protos.size(); i++) {
            NodeProto np = protos.get(i);
            Node n = created.get(i);
            String nloc = nodeLoc(loc, i, np);
            for (int k = 0; k < np.getInputCount(); k++) {
                String in = np.getInput(k);
                if (in.isEmpty()) {
                    n.addInput(null);
                    continue;
                }
                Value v = g.valueOrCapture(in);
                if (v == null) {
                    throw error(nloc, "input " + k + " " + quote(in) + " names no value");
                }
                n.addInput(v);
            }
            n.setOverload(np.getOverload());
            n.setDocString(np.getDocString());
            n.metadata().putAll(OnnxTensors.entries(np.getMetadataPropsList()));
            n.setUnknownFields(np.getUnknownFields().toByteArray());
            for (AttributeProto ap : np.getAttributeList()) {
                String aloc = nloc + " attribute " + quote(ap.getName());
                if (ap.getName().isEmpty()) {
                    throw error(nloc, "attribute has no name");
                }
                if (n.attribute(ap.getName()) != null) {
                    throw error(aloc, "attribute is given twice");
                }
                n.setAttribute(ap.getName(), attributes.attribute(ap, g, aloc));
            }
            for (Value out : n.outputs()) {
                if (out != null && infos.containsKey(out.name())) {
                    ValueInfoProto vi = infos.get(out.name());
                    out.setType(type(vi, loc + ".value_info " + quote(out.name())));
                    applyInfo(out, vi);
                }
            }
        }
        for (Map.Entry<String, ValueInfoProto> e : infos.entrySet()) {
            Value v = g.value(e.getKey());
            if (v != null && v.producer() == null) {
                ValueType t = type(e.getValue(), loc + ".value_info " + quote(e.getKey()));
                if (t != null && v.type() == null) {
                    v.setType(t);
                }
            }
        }
    }

    private static String nodeLoc(String loc, int i, NodeProto np) {
        return loc + ".node[" + i + "]" + (np.getName().isEmpty() ? "" : " " + quote(np.getName()))
                + " (" + Quote.oneLine((np.getDomain().isEmpty() ? "" : np.getDomain() + "::") + np.getOpType()) + ")";
    }

    private static String definedAs(Value v) {
        if (v.producer() != null) {
            return "produced by node " + v.producer().describe();
        }
        if (v.isInitializer()) {
            return "an initializer";
        }
        return v.isGraphInput() ? "a graph input" : "defined";
    }

    private interface Definer {
        Value define();
    }

    private Value defineOrFail(Definer d, String loc, String what) {
        try {
            return d.define();
        } catch (DuplicateValueException e) {
            throw error(loc, what + " is defined more than once");
        } catch (IllegalArgumentException e) {
            throw error(loc, what + ": " + e.getMessage());
        }
    }

    private ValueType type(ValueInfoProto vi, String loc) {
        return vi.hasType() ? attributes.type(vi.getType(), loc) : null;
    }

    private static void applyInfo(Value v, ValueInfoProto vi) {
        if (!vi.getDocString().isEmpty()) {
            v.setDocString(vi.getDocString());
        }
        v.metadata().putAll(OnnxTensors.entries(vi.getMetadataPropsList()));
    }
}
