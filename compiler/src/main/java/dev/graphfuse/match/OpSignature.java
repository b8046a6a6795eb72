package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import java.util.List;
import java.util.Map;

/**
 * What the pattern language knows about an op kind, declared once in an ops file: operand and
 * result ports, whether the first two operands commute, and the attribute schema with defaults.
 */
public record OpSignature(String domain, String name, List<Port> inputs, List<Port> outputs, boolean commutative,
                          Map<String, AttrSpec> attributes) {
    public OpSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** {@code type}: a type variable shared with the ports that must have the same element type, or null. */
    public record Port(String name, String type, boolean optional, boolean variadic) {
    }

    /** @param defaultValue null, or as a node's attribute compares: Long, Double, String, List */
    public record AttrSpec(String name, Attribute.Kind kind, boolean optional, Object defaultValue) {
    }

    public String qualifiedName() {
        return domain.isEmpty() ? name : domain + "." + name;
    }

    public int minInputs() {
        int n = 0;
        for (Port p : inputs) {
            if (!p.optional() && !p.variadic()) {
                n++;
            }
        }
        return n;
    }

    /** Max operand count, or -1 when the last port is variadic. */
    public int maxInputs() {
        return !inputs.isEmpty() && inputs.get(inputs.size() - 1).variadic() ? -1 : inputs.size();
    }

    public boolean variadicOutputs() {
        return !outputs.isEmpty() && outputs.get(outputs.size() - 1).variadic();
    }
}
