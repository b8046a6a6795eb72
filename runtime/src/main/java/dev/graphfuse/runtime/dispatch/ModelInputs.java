package dev.graphfuse.runtime.dispatch;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Graph inputs from {@code name=file.npy} arguments, or random ones for the inputs not given. */
public final class ModelInputs {
    private ModelInputs() {
    }

    /** Parses {@code name=path} pairs and reads each .npy, checking it against the graph input. */
    public static Map<String, Tensor> read(Model model, List<String> pairs) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--input", null, "expected NAME=FILE.npy, got '" + p + "'");
            }
            String name = p.substring(0, eq);
            Value v = graphInput(model, name, "--input");
            Tensor t = Npy.read(Path.of(p.substring(eq + 1)), name);
            if (v.type() instanceof ValueType.TensorType tt && tt.elementType() != t.elementType()) {
                throw new BadInputException(p.substring(eq + 1), null, "input '" + name + "' is "
                        + tt.elementType().shortName() + ", the file holds " + t.elementType().shortName());
            }
            out.put(name, t);
        }
        return out;
    }

    /** {@code --dim NAME=N} values by name; N must be a positive integer. */
    public static Map<String, Long> dimValues(List<String> pairs) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String d : pairs) {
            int eq = d.indexOf('=');
            long v;
            try {
                v = Long.parseLong(d.substring(eq + 1).strip());
            } catch (RuntimeException e) {
                v = -1;
            }
            if (eq <= 0 || v < 1 || v > Integer.MAX_VALUE) {
                throw new BadInputException("--dim", null, "expected NAME=N with N a positive integer, got '" + d + "'");
            }
            out.put(d.substring(0, eq), v);
        }
        return out;
    }

    /**
     * The symbolic dims' values from {@code --dim NAME=N} and {@code --input-shape INPUT=1x128} together, as
     * polygraphy, trtexec and ORT's perf tool take shapes: each shape is checked against the input's declared
     * rank and fixed dims, and gives its symbolic dims their values; two sources disagreeing on one dim are an
     * error.
     */
    public static Map<String, Long> dimValues(Model model, List<String> dimPairs, List<String> shapePairs) {
        Map<String, Long> out = dimValues(dimPairs);
        Map<String, String> from = new LinkedHashMap<>();
        out.keySet().forEach(k -> from.put(k, "--dim " + k + "=" + out.get(k)));
        for (String p : shapePairs) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                eq = p.indexOf(':');
            }
            long[] shape = eq <= 0 ? null : parseShape(p.substring(eq + 1));
            if (shape == null) {
                throw new BadInputException("--input-shape", null, "expected INPUT=D1xD2x… with positive integers "
                        + "(e.g. input_ids=1x128), got '" + p + "'");
            }
            String name = p.substring(0, eq);
            Value v = graphInput(model, name, "--input-shape");
            if (!(v.type() instanceof ValueType.TensorType tt) || tt.shape() == null || !tt.shape().hasRank()) {
                throw new BadInputException("--input-shape", null, "input '" + name + "' has no declared shape to match");
            }
            List<Dim> dims = tt.shape().dims();
            if (dims.size() != shape.length) {
                throw new BadInputException("--input-shape", null, "input '" + name + "' is " + tt.elementType().shortName()
                        + tt.shape() + " (rank " + dims.size() + "), --input-shape gives rank " + shape.length);
            }
            for (int i = 0; i < shape.length; i++) {
                Dim d = dims.get(i);
                if (d instanceof Dim.Fixed f) {
                    if (f.size() != shape[i]) {
                        throw new BadInputException("--input-shape", null, "input '" + name + "' dim " + i + " is "
                                + f.size() + " in the model, " + shape[i] + " in --input-shape");
                    }
                    continue;
                }
                String sym = d.toString();
                if (sym.isEmpty() || sym.equals("?")) {
                    throw new BadInputException("--input-shape", null, "input '" + name + "' dim " + i
                            + " is symbolic without a name; give the input with --input");
                }
                Long prev = out.putIfAbsent(sym, shape[i]);
                if (prev == null) {
                    from.put(sym, "--input-shape " + p);
                } else if (prev != shape[i]) {
                    throw new BadInputException("--input-shape", null, "dim '" + sym + "' is " + prev + " by "
                            + from.get(sym) + " but " + shape[i] + " by --input-shape " + p);
                }
            }
        }
        return out;
    }

    private static long[] parseShape(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        String[] parts = t.split("[x,]", -1);
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (shape[i] < 1 || shape[i] > Integer.MAX_VALUE) {
                return null;
            }
        }
        return shape;
    }

    /** Every graph input (initializers aside) must be given: ORT's own message would not say which is missing. */
    public static void requireAll(Model model, Map<String, Tensor> given) {
        for (Value v : model.graph().inputs()) {
            if (!v.isInitializer() && !given.containsKey(v.name())) {
                throw new BadInputException("inputs", null, "graph input '" + v.name() + "' was not given");
            }
        }
        symbolValues(model, given);
    }

    /**
     * Checks the given tensors against the graph inputs' declared shapes before ONNX Runtime sees them: the
     * rank, every fixed dim, and one value per symbolic dim across all inputs ({@code seq} of input_ids and
     * of position_ids). Returns the symbolic dims' values so found.
     */
    public static Map<String, Long> symbolValues(Model model, Map<String, Tensor> given) {
        Map<String, Long> values = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Value v : model.graph().inputs()) {
            Tensor t = given.get(v.name());
            if (t == null || !(v.type() instanceof ValueType.TensorType tt) || tt.shape() == null || !tt.shape().hasRank()) {
                continue;
            }
            List<Dim> dims = tt.shape().dims();
            long[] got = t.dims();
            if (got.length != dims.size()) {
                throw new BadInputException("--input", null, "input '" + v.name() + "' is " + tt.elementType().shortName()
                        + tt.shape() + " in the model (rank " + dims.size() + "), the tensor given is "
                        + java.util.Arrays.toString(got) + " (rank " + got.length + ")");
            }
            for (int i = 0; i < got.length; i++) {
                Dim d = dims.get(i);
                if (d instanceof Dim.Fixed f && f.size() != got[i]) {
                    throw new BadInputException("--input", null, "input '" + v.name() + "' dim " + i + " is " + f.size()
                            + " in the model, " + got[i] + " in the tensor given");
                }
                if (!(d instanceof Dim.Fixed)) {
                    String sym = d.toString();
                    if (sym.isEmpty() || sym.equals("?")) {
                        continue;
                    }
                    Long prev = values.putIfAbsent(sym, got[i]);
                    if (prev == null) {
                        from.put(sym, v.name());
                    } else if (prev != got[i]) {
                        throw new BadInputException("--input", null, "dim '" + sym + "' is " + prev + " in input '"
                                + from.get(sym) + "' but " + got[i] + " in input '" + v.name() + "'");
                    }
                }
            }
        }
        return values;
    }

    /**
     * Fresh random values for every graph input not in {@code given}: floats ~ N(0, 1), integers uniform in
     * [0, 8) (token ids and positions stay small enough for any vocabulary and cos/sin table). Symbolic
     * dims cannot be invented: such inputs must be given.
     */
    public static Map<String, Tensor> randomFor(Model model, Map<String, Tensor> given, Random rnd) {
        return randomFor(model, given, rnd, Map.of());
    }

    /** As {@link #randomFor(Model, Map, Random)}, with values for symbolic dims by name ({@code seq=512}). */
    public static Map<String, Tensor> randomFor(Model model, Map<String, Tensor> given, Random rnd, Map<String, Long> dimValues) {
        // the inputs given fix their symbolic dims for the random ones (a --dim of another value is a conflict)
        Map<String, Long> fromGiven = symbolValues(model, given);
        for (Map.Entry<String, Long> e : fromGiven.entrySet()) {
            Long asked = dimValues.get(e.getKey());
            if (asked != null && !asked.equals(e.getValue())) {
                throw new BadInputException("--dim", null, "--dim " + e.getKey() + "=" + asked + " but the inputs given have "
                        + e.getKey() + " = " + e.getValue());
            }
        }
        Map<String, Long> merged = new LinkedHashMap<>(fromGiven);
        merged.putAll(dimValues);
        dimValues = merged;
        Map<String, Tensor> out = new LinkedHashMap<>(given);
        for (Value v : model.graph().inputs()) {
            if (out.containsKey(v.name()) || v.isInitializer()) {
                continue;
            }
            if (!(v.type() instanceof ValueType.TensorType tt) || tt.shape() == null || !tt.shape().hasRank()) {
                throw new BadInputException("--random", null, "input '" + v.name() + "' has no known shape; give it with --input");
            }
            List<Dim> dims = tt.shape().dims();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (dims.get(i) instanceof Dim.Fixed f) {
                    shape[i] = f.size();
                } else if (dimValues.containsKey(dims.get(i).toString())) {
                    shape[i] = dimValues.get(dims.get(i).toString());
                } else {
                    throw new BadInputException("--random", null, "input '" + v.name() + "' has symbolic dim " + dims.get(i)
                            + "; give it with --input NAME=FILE.npy" + (dimValues.isEmpty() ? "" : " or --dim " + dims.get(i)
                            + "=N"));
                }
            }
            out.put(v.name(), random(v.name(), tt.elementType(), shape, rnd));
        }
        return out;
    }

    static Tensor random(String name, ElementType type, long[] shape, Random rnd) {
        long n = HostTensor.count(shape);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(type.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            switch (type) {
                case FLOAT -> b.putFloat((float) rnd.nextGaussian());
                case DOUBLE -> b.putDouble(rnd.nextGaussian());
                case FLOAT16 -> b.putShort(Float.floatToFloat16((float) rnd.nextGaussian()));
                case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
                case INT64 -> b.putLong(rnd.nextInt(8));
                case INT32 -> b.putInt(rnd.nextInt(8));
                case BOOL -> b.put((byte) 1);
                default -> throw new BadInputException("--random", null, "cannot make random " + type.shortName()
                        + " values for input '" + name + "'; give it with --input");
            }
        }
        return Tensor.of(name, type, shape, b.array());
    }

    private static Value graphInput(Model model, String name, String option) {
        for (Value v : model.graph().inputs()) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new BadInputException(option, null, "the model has no input '" + name + "' (inputs: "
                + model.graph().inputs().stream().map(Value::name).toList() + ")");
    }
}
