package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cheap, conservative stand-in for comparing {@link FunctionBody#canonicalText}s: true only when two
 * graphs hold the same things in the same insertion order, so that any printing of them is the same
 * text. Anything it does not model (initializers, subgraphs, external or string tensors, attribute
 * kinds beyond the plain ones) answers false, and the caller then compares the text. Printing every
 * new body only to find it equal to the first one cost more than the rest of a rewrite.
 */
final class SameBody {
    private SameBody() {
    }

    static boolean identical(Graph a, Graph b) {
        if (!a.name().equals(b.name()) || !a.docString().equals(b.docString())
                || !sameOrdered(a.metadata(), b.metadata()) || !Arrays.equals(a.unknownFields(), b.unknownFields())
                || !a.initializers().isEmpty() || !b.initializers().isEmpty()
                || a.nodeCount() != b.nodeCount() || a.values().size() != b.values().size()
                || !sameParams(a.inputs(), b.inputs()) || !sameParams(a.outputs(), b.outputs())) {
            return false;
        }
        Iterator<Node> bn = b.nodes().iterator();
        for (Node x : a.nodes()) {
            if (!sameNode(x, bn.next())) {
                return false;
            }
        }
        for (Value v : a.values()) {
            Value w = b.value(v.name());
            if (w == null || !v.docString().equals(w.docString()) || !sameOrdered(v.metadata(), w.metadata())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameParams(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameValue(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(Value a, Value b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.name().equals(b.name()) && Objects.equals(a.type(), b.type());
    }

    private static boolean sameNode(Node a, Node b) {
        if (!a.name().equals(b.name()) || !a.domain().equals(b.domain()) || !a.opType().equals(b.opType())
                || !a.overload().equals(b.overload()) || !a.docString().equals(b.docString())
                || !sameOrdered(a.metadata(), b.metadata()) || !Arrays.equals(a.unknownFields(), b.unknownFields())
                || a.inputCount() != b.inputCount() || a.outputs().size() != b.outputs().size()) {
            return false;
        }
        for (int i = 0; i < a.inputCount(); i++) {
            Value x = a.input(i);
            Value y = b.input(i);
            if (x == null ? y != null : y == null || !x.name().equals(y.name())) {
                return false;
            }
        }
        for (int i = 0; i < a.outputs().size(); i++) {
            if (!sameValue(a.output(i), b.output(i))) {
                return false;
            }
        }
        return sameAttributes(a.attributes(), b.attributes());
    }

    private static boolean sameAttributes(Map<String, Attribute> a, Map<String, Attribute> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.isEmpty()) {
            return true;
        }
        Iterator<Map.Entry<String, Attribute>> bi = b.entrySet().iterator();
        for (Map.Entry<String, Attribute> e : a.entrySet()) {
            Map.Entry<String, Attribute> f = bi.next();
            if (!e.getKey().equals(f.getKey()) || !sameAttribute(e.getValue(), f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAttribute(Attribute a, Attribute b) {
        return switch (a) {
            case Attribute.IntAttr x -> b instanceof Attribute.IntAttr y && x.value() == y.value();
            case Attribute.FloatAttr x -> b instanceof Attribute.FloatAttr y
                    && Float.floatToRawIntBits(x.value()) == Float.floatToRawIntBits(y.value());
            case Attribute.IntsAttr x -> b instanceof Attribute.IntsAttr y && Arrays.equals(x.values(), y.values());
            case Attribute.FloatsAttr x -> b instanceof Attribute.FloatsAttr y && sameBits(x.values(), y.values());
            case Attribute.StringAttr x -> b instanceof Attribute.StringAttr y && Arrays.equals(x.value(), y.value());
            case Attribute.TensorAttr x -> b instanceof Attribute.TensorAttr y && sameTensor(x.value(), y.value());
            default -> false;
        };
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameTensor(Tensor a, Tensor b) {
        return a.data() instanceof TensorData.Inline x && b.data() instanceof TensorData.Inline y
                && a.name().equals(b.name()) && a.elementType() == b.elementType() && Arrays.equals(a.dims(), b.dims())
                && a.docString().equals(b.docString()) && sameOrdered(a.orderedMetadata(), b.orderedMetadata())
                && x.bytes().equals(y.bytes());
    }

    /** Equal entries in the same order (printing follows insertion order; Map.equals ignores it). */
    private static boolean sameOrdered(Map<String, String> a, Map<String, String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.isEmpty()) {
            return true;
        }
        Iterator<Map.Entry<String, String>> bi = b.entrySet().iterator();
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!e.equals(bi.next())) {
                return false;
            }
        }
        return true;
    }
}
