package dev.graphfuse.ir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A whole model: header fields, opset imports, the main graph and model-local functions. */
public final class Model {
    private long irVersion;
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private final Map<String, Long> opsetImports = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Function> functions = new ArrayList<>();
    private Graph graph;
    private byte[] unknownFields = new byte[0];
    private Path sourceDirectory;

    public Model(long irVersion, Graph graph) {
        this.irVersion = irVersion;
        this.graph = Objects.requireNonNull(graph, "graph is null");
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long v) {
        this.irVersion = v;
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String s) {
        this.producerName = s == null ? "" : s;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String s) {
        this.producerVersion = s == null ? "" : s;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String s) {
        this.domain = s == null ? "" : s;
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long v) {
        this.modelVersion = v;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String s) {
        this.docString = s == null ? "" : s;
    }

    /** Opset imports, domain ("" = ai.onnx) to version; mutable, insertion ordered. */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /** The imported version of the default ONNX opset, or -1 when not imported. */
    public long onnxOpset() {
        return opsetImports.getOrDefault("", -1L);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public List<Function> functions() {
        return functions;
    }

    /** The function a node calls, if the model defines one for its domain and op type. */
    public Function function(String domain, String name, String overload) {
        String d = Node.normalizeDomain(domain);
        String o = overload == null ? "" : overload;
        for (Function f : functions) {
            if (f.domain().equals(d) && f.name().equals(name) && f.overload().equals(o)) {
                return f;
            }
        }
        return null;
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph g) {
        this.graph = Objects.requireNonNull(g);
    }

    public byte[] unknownFields() {
        return unknownFields.clone();
    }

    public void setUnknownFields(byte[] bytes) {
        this.unknownFields = bytes == null ? new byte[0] : bytes.clone();
    }

    /** Directory the model was read from (external data resolves here), or null. */
    public Path sourceDirectory() {
        return sourceDirectory;
    }

    public void setSourceDirectory(Path dir) {
        this.sourceDirectory = dir;
    }

    /**
     * A deep copy to change without changing this model: its graphs (subgraphs and function bodies too),
     * nodes, values and functions are new. Tensors, types and attribute values other than subgraphs are
     * immutable and shared, so the copy costs no weight bytes; a change is made by replacing them.
     */
    public Model copy() {
        return ModelCopy.of(this);
    }
}
