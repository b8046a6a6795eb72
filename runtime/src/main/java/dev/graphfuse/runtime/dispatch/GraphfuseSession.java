package dev.graphfuse.runtime.dispatch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.ort.OrtLibraryException;
import dev.graphfuse.runtime.ort.OrtOpLibrary;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One ONNX Runtime session over a whole model, with graphfuse's op library registered: standard ops run in
 * ORT's kernels, graphfuse nodes in ours, on one execution provider, and on the CUDA EP every tensor stays
 * on the device between nodes (ORT plans the memory; our kernels launch on ORT's stream). Profiled runs say
 * which EP each node ran on.
 */
public final class GraphfuseSession implements AutoCloseable {
    /**
     * ORT's run-time warnings (ScatterND's "indices not duplicated", …) would drown the CLI's own report, and its
     * error lines repeat what the exception that follows them says (the CLI prints that, once).
     */
    private static volatile OrtLoggingLevel logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment(logLevel);

    /** With {@code verbose}, sessions opened from now on log ORT's warnings and errors (the CLI's --verbose). */
    public static void setVerbose(boolean verbose) {
        logLevel = verbose ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }
    private final SessionOptionsSpec spec;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Path profileDir;

    private GraphfuseSession(SessionOptionsSpec spec, OrtSession.SessionOptions options, OrtSession session,
                             Path profileDir) {
        this.spec = spec;
        this.options = options;
        this.session = session;
        this.profileDir = profileDir;
    }

    /** Opens the model file (external data beside it is found by ORT itself; no 2 GB limit). */
    public static GraphfuseSession open(Path model, SessionOptionsSpec spec) throws OrtException {
        return create(spec, (env, opts) -> {
            try (var task = dev.graphfuse.util.Progress.current().start("load " + model.getFileName() + " in ONNX Runtime", -1,
                    dev.graphfuse.util.Progress.Unit.STEPS)) {
                return env.createSession(model.toString(), opts);
            }
        });
    }

    /** Opens a serialized model held in memory (under 2 GB, external data inlined). */
    public static GraphfuseSession open(byte[] model, SessionOptionsSpec spec) throws OrtException {
        return create(spec, (env, opts) -> env.createSession(model, opts));
    }

    /** Whether ORT's natives in this process have the CUDA execution provider (a GPU build of ORT). */
    public static boolean cudaProviderAvailable() {
        return OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
    }

    private interface Opener {
        OrtSession open(OrtEnvironment env, OrtSession.SessionOptions opts) throws OrtException;
    }

    private static GraphfuseSession create(SessionOptionsSpec spec, Opener opener) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment(logLevel);
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        Path profileDir = null;
        try {
            opts.setSessionLogLevel(logLevel);
            if (spec.withOpLibrary()) {
                opts.registerCustomOpLibrary(OrtOpLibrary.load().path().toString());
            }
            if (spec.provider() == ExecutionProvider.CUDA) {
                if (!cudaProviderAvailable()) {
                    throw new OrtLibraryException("the ONNX Runtime natives in this process have no CUDA execution provider "
                            + "(providers: " + OrtEnvironment.getAvailableProviders() + "); run with a GPU build of ORT: "
                            + "-Donnxruntime.native.path=DIR (bin/ort-cuda-natives, docs/runtime.md)");
                }
                if (spec.withOpLibrary() && !OrtOpLibrary.load().hasCuda()) {
                    throw new OrtLibraryException(OrtOpLibrary.load().path() + " was built without CUDA (no nvcc at build "
                            + "time): its ops run on the CPU execution provider only");
                }
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(spec.deviceId())) {
                    if (spec.cudaGraph()) {
                        cuda.add("enable_cuda_graph", "1");
                    }
                    if (!spec.tf32()) {
                        cuda.add("use_tf32", "0");
                    }
                    opts.addCUDA(cuda);
                }
            }
            if (spec.profile()) {
                profileDir = Files.createTempDirectory("graphfuse-profile");
                opts.enableProfiling(profileDir.resolve("ort").toString());
            }
            return new GraphfuseSession(spec, opts, opener.open(env, opts), profileDir);
        } catch (IOException e) {
            opts.close();
            throw new OrtLibraryException("cannot create a folder for ORT's profile: " + e.getMessage());
        } catch (OrtException | RuntimeException e) {
            opts.close();
            deleteQuietly(profileDir);
            throw e;
        }
    }

    public SessionOptionsSpec spec() {
        return spec;
    }

    public OrtSession ortSession() {
        return session;
    }

    /** ORT tensors of the inputs, owned by the caller (close them). */
    public Map<String, OnnxTensor> feed(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                HostTensor h = HostTensor.of(e.getValue());
                feed.put(e.getKey(), OnnxTensor.createTensor(env, h.data().order(ByteOrder.nativeOrder()), h.shape(),
                        OrtTypes.javaType(h.type())));
            }
            return feed;
        } catch (OrtException | RuntimeException e) {
            feed.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    /** One run; every output copied back to the host, in the model's output order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feed = feed(inputs);
        try (var task = dev.graphfuse.util.Progress.current().start("run", -1, dev.graphfuse.util.Progress.Unit.STEPS);
                OrtSession.Result r = session.run(feed)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                java.nio.ByteBuffer b = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.put(e.getKey(), Tensor.of(e.getKey(), OrtTypes.elementOf(t), t.getInfo().getShape(), bytes));
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Ends profiling and returns where each node ran, in the order of first appearance. Only for a session
     * opened with {@code profile}.
     */
    public List<NodePlacement> placements() throws OrtException {
        if (profileDir == null) {
            throw new IllegalStateException("this session was not opened with profiling");
        }
        Path file = Path.of(session.endProfiling());
        if (!file.isAbsolute()) {
            file = profileDir.resolve(file.getFileName());
        }
        try {
            return parseProfile(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new OrtLibraryException("cannot read ORT's profile " + file + ": " + e.getMessage());
        }
    }

    /** ORT's profile (Chrome trace events): node events are "<node>_kernel_time" with op_name and provider. */
    static List<NodePlacement> parseProfile(JsonNode events) {
        Map<String, NodePlacement> byNode = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String name = e.path("name").asText();
            if (!"Node".equals(e.path("cat").asText()) || !name.endsWith("_kernel_time")) {
                continue;
            }
            String node = name.substring(0, name.length() - "_kernel_time".length());
            JsonNode args = e.path("args");
            NodePlacement prev = byNode.get(node);
            long us = e.path("dur").asLong();
            byNode.put(node, new NodePlacement(node, args.path("op_name").asText(), args.path("provider").asText(),
                    prev == null ? 1 : prev.calls() + 1, prev == null ? us : prev.micros() + us));
        }
        return new ArrayList<>(byNode.values());
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
            deleteQuietly(profileDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless; the run's result is what matters
        }
    }
}
