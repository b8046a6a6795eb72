package dev.graphfuse.text;

import static dev.graphfuse.diag.Quote.quote;

import dev.graphfuse.diag.Quote;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.text.ast.Annotation;
import dev.graphfuse.text.ast.Attr;
import dev.graphfuse.text.ast.AttrValue;
import dev.graphfuse.text.ast.GraphDecl;
import dev.graphfuse.text.ast.Literal;
import dev.graphfuse.text.ast.TensorDataExpr;
import dev.graphfuse.text.ast.TensorLiteral;
import dev.graphfuse.text.ast.TypeExpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribute blocks and constant tensors of the text AST, as IR attributes and tensors.
 *
 * @param baseDir    where external tensor data resolves (null: the text was not read from a file)
 * @param subgraphs  builds a GRAPH attribute's value
 */
record AttributeReader(TokenDecoder tokens, Path baseDir, AttributeReader.SubgraphBuilder subgraphs) {
    /** Builds a GRAPH attribute's value as a subgraph of {@code owner}. */
    @FunctionalInterface
    interface SubgraphBuilder {
        Graph build(GraphDecl decl, Graph owner);
    }

    Map<String, Attribute> attributes(List<Attr> block, Graph owner) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (Attr a : block) {
            String n = tokens.name(a.name());
            Attribute.Kind kind = Attribute.Kind.fromKeyword(a.kind().text());
            if (kind == null) {
                throw tokens.error(a.kind().at(), "unknown attribute kind '" + a.kind().text()
                        + "' (expected float, int, string, tensor, graph, floats, ints, strings, tensors, graphs, type, types, sparse_tensor, sparse_tensors)");
            }
            if (out.containsKey(n)) {
                throw tokens.error(a.at(), "attribute " + quote(n) + " is given twice");
            }
            out.put(n, attributeValue(kind, a.value(), owner));
        }
        return out;
    }

    private Attribute attributeValue(Attribute.Kind kind, AttrValue v, Graph owner) {
        if (v instanceof AttrValue.Ref r) {
            return new Attribute.RefAttr(kind, tokens.name(r.name()));
        }
        return switch (kind) {
            case FLOAT -> new Attribute.FloatAttr(tokens.floatValue(scalar(v, kind)));
            case INT -> new Attribute.IntAttr(tokens.intLiteral(scalar(v, kind)));
            case STRING -> new Attribute.StringAttr(tokens.bytes(scalar(v, kind).value()));
            case TENSOR -> new Attribute.TensorAttr(tensorLiteral(v));
            case GRAPH -> new Attribute.GraphAttr(graphValue(v, owner));
            case TYPE -> new Attribute.TypeAttr(typeValue(v));
            case SPARSE_TENSOR -> new Attribute.SparseTensorAttr(tokens.base64(scalar(v, kind).value()));
            case FLOATS -> {
                List<AttrValue> items = items(v, kind);
                float[] fs = new float[items.size()];
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = tokens.floatValue(scalar(items.get(i), Attribute.Kind.FLOAT));
                }
                yield new Attribute.FloatsAttr(fs);
            }
            case INTS -> {
                List<AttrValue> items = items(v, kind);
                long[] is = new long[items.size()];
                for (int i = 0; i < is.length; i++) {
                    is[i] = tokens.intLiteral(scalar(items.get(i), Attribute.Kind.INT));
                }
                yield new Attribute.IntsAttr(is);
            }
            case STRINGS -> new Attribute.StringsAttr(items(v, kind).stream()
                    .map(i -> tokens.bytes(scalar(i, Attribute.Kind.STRING).value())).toList());
            case TENSORS -> new Attribute.TensorsAttr(items(v, kind).stream().map(this::tensorLiteral).toList());
            case GRAPHS -> new Attribute.GraphsAttr(items(v, kind).stream().map(i -> graphValue(i, owner)).toList());
            case TYPES -> new Attribute.TypesAttr(items(v, kind).stream().map(this::typeValue).toList());
            case SPARSE_TENSORS -> new Attribute.SparseTensorsAttr(items(v, kind).stream()
                    .map(i -> tokens.base64(scalar(i, Attribute.Kind.SPARSE_TENSOR).value())).toList());
        };
    }

    private Literal scalar(AttrValue v, Attribute.Kind kind) {
        if (v instanceof AttrValue.Scalar s) {
            Literal lit = s.literal();
            boolean ok = switch (kind) {
                case FLOAT -> !lit.is(Literal.Kind.STRING);
                case INT -> lit.is(Literal.Kind.INT);
                default -> lit.is(Literal.Kind.STRING);
            };
            if (ok) {
                return lit;
            }
        }
        throw tokens.error(v.at(), "expected " + article(kind.keyword()) + " value, found " + Quote.excerpt(v.text()));
    }

    private List<AttrValue> items(AttrValue v, Attribute.Kind kind) {
        if (v instanceof AttrValue.ListOf l) {
            return l.items();
        }
        throw tokens.error(v.at(), "expected a list for " + article(kind.keyword()) + " attribute, found "
                + Quote.excerpt(v.text()));
    }

    /** {@code "an int"}, {@code "a float"}: attribute-kind keywords in messages. */
    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private Tensor tensorLiteral(AttrValue v) {
        if (v instanceof AttrValue.TensorValue tv) {
            TensorLiteral t = tv.tensor();
            return tensor(t.name() == null ? "" : tokens.name(t.name()), t.type(), t.data(), t.annotations());
        }
        throw tokens.error(v.at(), "expected a tensor (tensor NAME: TYPE = DATA), found " + Quote.excerpt(v.text()));
    }

    private Graph graphValue(AttrValue v, Graph owner) {
        if (v instanceof AttrValue.GraphValue g) {
            return subgraphs.build(g.graph(), owner);
        }
        throw tokens.error(v.at(), "expected a graph, found " + Quote.excerpt(v.text()));
    }

    private ValueType typeValue(AttrValue v) {
        if (v instanceof AttrValue.TypeValue t) {
            return tokens.type(t.type());
        }
        if (v instanceof AttrValue.Scalar s && s.literal().is(Literal.Kind.ID) && s.literal().sign() == null) {
            return tokens.elementOnlyType(s.literal().value());
        }
        throw tokens.error(v.at(), "expected a type, found " + Quote.excerpt(v.text()));
    }

    /** A constant tensor: an initializer or a TENSOR attribute's value. */
    Tensor tensor(String name, TypeExpr typeExpr, TensorDataExpr data, List<Annotation> annotations) {
        ValueType vt = tokens.type(typeExpr);
        if (!(vt instanceof ValueType.TensorType tt) || !tt.shape().isStatic()) {
            throw tokens.error(typeExpr.at(), "a constant tensor needs an element type and static dims, e.g. f32[2,3]");
        }
        ElementType et = tt.elementType();
        if (et == ElementType.UNDEFINED) {
            throw tokens.error(typeExpr.at(), "a constant tensor needs a defined element type");
        }
        long[] dims = tt.shape().dims().stream().mapToLong(d -> ((Dim.Fixed) d).size()).toArray();
        long count;
        try {
            count = tt.shape().elementCount();
            Math.multiplyExact(count, (long) Math.max(et.bits(), 1));
        } catch (ArithmeticException e) {
            throw tokens.error(typeExpr.at(), "element count of " + tt.shape() + " overflows");
        }
        for (long d : dims) {
            if (d < 0) {
                throw tokens.error(typeExpr.at(), "a constant tensor cannot have negative dimension " + d);
            }
        }
        TensorData td = switch (data) {
            case TensorDataExpr.Values l -> values(l, et, count);
            case TensorDataExpr.Raw r -> {
                byte[] raw = tokens.base64(r.base64());
                if (raw.length != et.storageBytes(count)) {
                    throw tokens.error(r.base64().at(), "raw data has " + raw.length + " bytes, expected "
                            + et.storageBytes(count) + " for " + count + " " + et.shortName() + " elements");
                }
                yield TensorData.Inline.of(raw);
            }
            case TensorDataExpr.External e -> external(e, et, count);
            case TensorDataExpr.Elided e -> throw tokens.error(e.at(), "tensor data was elided ('...') when this "
                    + "text was printed; print it with full data to parse it");
        };
        String doc = "";
        Map<String, String> meta = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            if (a instanceof Annotation.Doc d) {
                doc = tokens.string(d.text());
            } else if (a instanceof Annotation.Metadata md) {
                meta.putAll(tokens.metadata(md.entries()));
            }
        }
        return new Tensor(name, et, dims, td, doc, meta);
    }

    private TensorData values(TensorDataExpr.Values l, ElementType et, long count) {
        List<Literal> lits = l.values();
        if (lits.size() != count) {
            throw tokens.error(l.at(), "expected " + count + " values, found " + lits.size());
        }
        if (et == ElementType.STRING) {
            List<byte[]> vals = new ArrayList<>();
            for (Literal lit : lits) {
                if (!lit.is(Literal.Kind.STRING)) {
                    throw tokens.error(lit.at(), "expected a string, found " + Quote.excerpt(lit.text()));
                }
                vals.add(tokens.bytes(lit.value()));
            }
            return new TensorData.Strings(vals);
        }
        List<String> texts = new ArrayList<>(lits.size());
        for (Literal lit : lits) {
            if (lit.is(Literal.Kind.STRING)) {
                throw tokens.error(lit.at(), "expected a number, found " + Quote.excerpt(lit.text()));
            }
            texts.add((lit.sign() != null ? "-" : "") + lit.value().text());
        }
        try {
            return TensorData.Inline.of(TensorValues.pack(et, texts));
        } catch (TensorValues.BadLiteral e) {
            throw tokens.error(lits.get(e.index).at(), e.getMessage());
        }
    }

    private TensorData external(TensorDataExpr.External e, ElementType et, long count) {
        String loc = tokens.string(e.location());
        long off = tokens.parseInt(e.offset());
        long len = tokens.parseInt(e.length());
        if (len != et.storageBytes(count)) {
            throw tokens.error(e.length().at(), "external length " + len + " does not match " + et.storageBytes(count)
                    + " bytes for " + count + " " + et.shortName() + " elements");
        }
        if (baseDir == null) {
            throw tokens.error(e.location().at(), "external data " + quote(loc)
                    + " cannot be resolved: the text was not read from a file");
        }
        try {
            // the ONNX importer's checks, confinement included: a text file from elsewhere must not
            // reach, by ../ or a link, what its own folder does not hold (converted back to ONNX, the
            // bytes would land in OUT.data)
            TensorData.External.checkReference(baseDir, loc, off, len, true);
        } catch (IllegalArgumentException ex) {
            throw tokens.error(e.location().at(), ex.getMessage());
        }
        Map<String, String> extra = e.extra() == null ? Map.of() : tokens.metadata(e.extra());
        return new TensorData.External(baseDir, loc, off, len, e.checksum() == null ? null : tokens.string(e.checksum()),
                extra);
    }
}
