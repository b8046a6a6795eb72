package dev.graphfuse.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model-local function (ONNX FunctionProto). Its body is a graph whose inputs and outputs are the
 * function's formal parameters; attributes referenced by body nodes are listed by name, with optional
 * defaults.
 */
public final class Function {
    private final String domain;
    private final String name;
    private final String overload;
    private final Graph body;
    private final List<String> attributeNames;
    private final Map<String, Attribute> attributeDefaults;
    private final Map<String, Long> opsetImports;
    private String docString = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public Function(String domain, String name, String overload, Graph body, List<String> attributeNames,
                    Map<String, Attribute> attributeDefaults, Map<String, Long> opsetImports) {
        this.domain = Node.normalizeDomain(domain);
        this.name = Objects.requireNonNull(name, "name is null");
        this.overload = overload == null ? "" : overload;
        this.body = Objects.requireNonNull(body, "body is null");
        this.attributeNames = List.copyOf(attributeNames);
        this.attributeDefaults = new LinkedHashMap<>(attributeDefaults);
        this.opsetImports = new LinkedHashMap<>(opsetImports);
    }

    public String domain() {
        return domain;
    }

    public String name() {
        return name;
    }

    public String overload() {
        return overload;
    }

    /** {@code domain::name}, the identity a calling node uses. */
    public String qualifiedName() {
        return domain.isEmpty() ? name : domain + "::" + name;
    }

    public Graph body() {
        return body;
    }

    public List<String> attributeNames() {
        return attributeNames;
    }

    public Map<String, Attribute> attributeDefaults() {
        return java.util.Collections.unmodifiableMap(attributeDefaults);
    }

    public Map<String, Long> opsetImports() {
        return java.util.Collections.unmodifiableMap(opsetImports);
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String doc) {
        this.docString = doc == null ? "" : doc;
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}
