package dev.graphfuse.dispatch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.ModelProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TypeProto;
import dev.graphfuse.onnx.wire.OnnxWire.ValueInfoProto;
import dev.graphfuse.runtime.kernels.CpuKernels;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.kernels.KernelException;
import dev.graphfuse.runtime.kernels.KernelBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an optimized model: standard-op regions in ONNX Runtime (one session per region, created on
 * first use and reused), graphfuse nodes in our kernels. A graphfuse node the kernels cannot take
 * (no kernel for the op, or a layout they do not express) runs its function body in ORT instead — a
 * fallback that is logged with its reason, or an error under --no-fallback.
 */
public final class Executor implements AutoCloseable {
    private final ModelProto model;
    private final ExecutionPlan plan;
    private final KernelBackend backend;
    private final Fallbacks fallbacks;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<Object, OrtSession> sessions = new HashMap<>();
    private final Map<String, ValueInfoProto> infos = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Stats stats = new Stats();
    private final CpuKernels cpu = new CpuKernels();

    /** What a run did: kernel launches, ORT region runs, fused nodes that fell back, buffers copied out of ORT. */
    public static final class Stats {
        public long kernelCalls;
        public long regionRuns;
        public long fallbackRuns;
        /** Fused nodes the device refused (unsupported shape) that ran in the CPU kernels instead. */
        public long cpuFallbacks;
        public long ortOutputCopies;
        /** Region outputs ORT wrote straight into the executor's buffers (declared static shapes). */
        public long ortOutputsInPlace;
        /** Region runs whose declared output shapes ORT refused, rerun with their outputs copied. */
        public long pinnedRefused;
    }

    public Executor(Model optimized, KernelBackend backend, Fallbacks fallbacks) {
        this.model = OnnxExporter.toProto(optimized);
        this.backend = backend;
        this.fallbacks = fallbacks;
        GraphProto g = model.getGraph();
        g.getInputList().forEach(v -> infos.put(v.getName(), v));
        g.getValueInfoList().forEach(v -> infos.put(v.getName(), v));
        g.getOutputList().forEach(v -> infos.put(v.getName(), v));
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        this.plan = ExecutionPlan.of(g, FusedNodeDispatch::knows);
    }

    public ExecutionPlan plan() {
        return plan;
    }

    public Stats stats() {
        return stats;
    }

    /** Runs the model on {@code inputs} (by graph input name) and returns the graph outputs in order. */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs) throws OrtException {
        GraphProto g = model.getGraph();
        Map<String, HostTensor> values = new HashMap<>(inputs);
        for (ValueInfoProto in : g.getInputList()) {
            if (!values.containsKey(in.getName()) && !initializers.containsKey(in.getName())) {
                throw new BadInputException("inputs", null, "graph input '" + in.getName() + "' was not given");
            }
        }
        for (ExecutionPlan.Step step : plan.steps()) {
            switch (step) {
                case ExecutionPlan.Fused f -> runFused(f.node(), values);
                case ExecutionPlan.Region r -> runRegion(r, values);
            }
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (ValueInfoProto o : g.getOutputList()) {
            HostTensor t = values.get(o.getName());
            if (t == null) {
                t = initializerTensor(o.getName());
            }
            out.put(o.getName(), t);
        }
        return out;
    }

    private void runFused(NodeProto n, Map<String, HostTensor> values) throws OrtException {
        List<HostTensor> in = new ArrayList<>();
        for (String name : n.getInputList()) {
            in.add(name.isEmpty() ? null : value(name, values));
        }
        List<ElementType> outTypes = new ArrayList<>();
        for (String o : n.getOutputList()) {
            ElementType t = elementType(o);
            outTypes.add(t != null ? t : in.get(0).type());
        }
        try {
            List<HostTensor> out;
            try {
                out = FusedNodeDispatch.run(n, in, outTypes, backend);
            } catch (KernelException e) {
                if (e.code() != KernelException.UNSUPPORTED || backend instanceof CpuKernels) {
                    throw e;
                }
                // the device library has no kernel for this shape (a head_dim other than 64/128/256, 32-bit
                // q/k on a path without one): the CPU kernels take any
                fallbacks.fallBack("node " + n.getName() + " (graphfuse." + n.getOpType() + ") on " + backend.name(),
                        "the CPU kernels", e.getMessage());
                stats.cpuFallbacks++;
                out = FusedNodeDispatch.run(n, in, outTypes, cpu);
            }
            stats.kernelCalls++;
            for (int i = 0; i < n.getOutputCount(); i++) {
                values.put(n.getOutput(i), out.get(i));
            }
        } catch (Unsupported e) {
            fallbacks.fallBack("node " + n.getName() + " (graphfuse." + n.getOpType() + ")",
                    "its function body in ONNX Runtime", e.getMessage());
            stats.fallbackRuns++;
            List<String> inputs = n.getInputList().stream().filter(s -> !s.isEmpty() && !initializers.containsKey(s)).toList();
            runRegion(new ExecutionPlan.Region(-1, List.of(n), inputs, n.getOutputList()), values);
        }
    }

    private void runRegion(ExecutionPlan.Region r, Map<String, HostTensor> values) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (String name : r.inputs()) {
                HostTensor t = value(name, values);
                feed.put(name, OnnxTensor.createTensor(env, t.data().duplicate().order(ByteOrder.nativeOrder()),
                        t.shape(), OrtTypes.javaType(t.type())));
            }
            OrtSession session = sessions.computeIfAbsent(r.index() >= 0 ? r.index() : r.nodes().get(0).getName() + "#fallback",
                    k -> createSession(r, values));
            Map<String, HostTensor> pinned = pinnable(r);
            if (pinned != null && runPinned(session, feed, pinned, values)) {
                return;
            }
            try (OrtSession.Result res = session.run(feed)) {
                stats.regionRuns++;
                for (Map.Entry<String, OnnxValue> e : res) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    ByteBuffer copy = t.getByteBuffer();
                    ByteBuffer direct = ByteBuffer.allocateDirect(copy.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                    direct.put(copy.order(ByteOrder.LITTLE_ENDIAN)).flip();
                    stats.ortOutputCopies++;
                    values.put(e.getKey(), new HostTensor(OrtTypes.elementOf(t), t.getInfo().getShape(), direct));
                }
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Our own buffers for every output of {@code r} when the graph declares each one's type and whole
     * static shape, so ORT writes into them and nothing is copied out; null otherwise.
     */
    private Map<String, HostTensor> pinnable(ExecutionPlan.Region r) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String o : r.outputs()) {
            ValueInfoProto v = infos.get(o);
            if (v == null || !v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
                return null;
            }
            ElementType type = ElementType.fromCode(v.getType().getTensorType().getElemType());
            var dims = v.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!dims.get(i).hasDimValue()) {
                    return null;
                }
                shape[i] = dims.get(i).getDimValue();
            }
            if (type == null || type == ElementType.UNDEFINED || type == ElementType.STRING) {
                return null;
            }
            out.put(o, HostTensor.allocate(type, shape));
        }
        return out;
    }

    /**
     * Runs with ORT writing the outputs into {@code pinned}. A declared shape ORT disagrees with is
     * refused by ORT before anything is used; the caller then runs unpinned (outputs copied, counted).
     */
    private boolean runPinned(OrtSession session, Map<String, OnnxTensor> feed, Map<String, HostTensor> pinned,
                              Map<String, HostTensor> values) throws OrtException {
        Map<String, OnnxTensor> outs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, HostTensor> e : pinned.entrySet()) {
                HostTensor t = e.getValue();
                outs.put(e.getKey(), OnnxTensor.createTensor(env, t.data().duplicate().order(ByteOrder.nativeOrder()),
                        t.shape(), OrtTypes.javaType(t.type())));
            }
            try (OrtSession.Result res = session.run(feed, outs)) {
                stats.regionRuns++;
                stats.ortOutputsInPlace += pinned.size();
                values.putAll(pinned);
                return true;
            } catch (OrtException e) {
                stats.pinnedRefused++;
                return false;
            }
        } finally {
            outs.values().forEach(OnnxTensor::close);
        }
    }

    private OrtSession createSession(ExecutionPlan.Region r, Map<String, HostTensor> values) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("region_" + r.index());
        for (String name : r.inputs()) {
            HostTensor t = values.get(name);
            g.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(t.type().code()))));
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (NodeProto n : r.nodes()) {
            g.addNode(n);
            used.addAll(ExecutionPlan.consumed(n));
        }
        for (String name : used) {
            TensorProto t = initializers.get(name);
            if (t != null && !r.inputs().contains(name)) {
                g.addInitializer(t);
            }
        }
        for (String o : r.outputs()) {
            ValueInfoProto info = infos.get(o);
            g.addOutput(info != null ? info : ValueInfoProto.newBuilder().setName(o).build());
        }
        ModelProto m = model.toBuilder().setGraph(g).build();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            return env.createSession(m.toByteArray(), opts);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused region " + r.index() + " (" + r.nodes().size()
                    + " nodes, first " + r.nodes().get(0).getName() + "): " + e.getMessage(), e);
        }
    }

    private HostTensor value(String name, Map<String, HostTensor> values) {
        HostTensor t = values.get(name);
        if (t == null) {
            t = initializerTensor(name);
            if (t == null) {
                throw new IllegalStateException("value '" + name + "' was not computed before it is read");
            }
            values.put(name, t);
        }
        return t;
    }

    private HostTensor initializerTensor(String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            return null;
        }
        ElementType type = ElementType.fromCode(t.getDataType());
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        byte[] raw = t.getRawData().toByteArray();
        if (raw.length != type.storageBytes(HostTensor.count(dims))) {
            // the exporter writes every numeric tensor as raw_data; strings never reach a kernel or a graph output here
            throw new IllegalStateException("initializer '" + name + "' has no raw data");
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.length).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(raw).flip();
        return new HostTensor(type, dims, direct);
    }

    private ElementType elementType(String name) {
        ValueInfoProto v = infos.get(name);
        if (v == null || !v.hasType() || !v.getType().hasTensorType()) {
            return null;
        }
        return ElementType.fromCode(v.getType().getTensorType().getElemType());
    }

    @Override
    public void close() throws OrtException {
        for (OrtSession s : sessions.values()) {
            s.close();
        }
    }
}
