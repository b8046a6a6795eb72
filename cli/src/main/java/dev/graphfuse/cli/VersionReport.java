package dev.graphfuse.cli;

import dev.graphfuse.runtime.kernels.KernelException;
import dev.graphfuse.runtime.kernels.NativeLibrary;
import dev.graphfuse.runtime.ort.OrtLibraryException;
import dev.graphfuse.runtime.ort.OrtOpLibrary;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code graphfuse --version}: what a bug report needs, namely which ONNX Runtime, JDK and native libraries
 * this process would use and whether a GPU was seen; each part that is missing says why, none of them fails.
 */
final class VersionReport implements IVersionProvider {
    static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("graphfuse " + VERSION);
        lines.add("JDK: " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        lines.add("ONNX Runtime: " + ortLine());
        lines.add("op library: " + opLibraryLine());
        lines.add("CUDA kernels: " + kernelsLine());
        return lines.toArray(String[]::new);
    }

    private static String ortLine() {
        try {
            ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
            return env.getVersion() + " (providers: " + ai.onnxruntime.OrtEnvironment.getAvailableProviders() + ")";
        } catch (Throwable t) {
            return "unavailable (" + t.getMessage() + ")";
        }
    }

    private static String opLibraryLine() {
        try {
            OrtOpLibrary lib = OrtOpLibrary.load();
            long ops = lib.contract().lines().filter(l -> !l.isBlank()).count();
            return lib.path() + ", " + ops + " ops, CUDA kernels " + (lib.hasCuda() ? "included" : "not built");
        } catch (OrtLibraryException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String kernelsLine() {
        try {
            NativeLibrary lib = NativeLibrary.load();
            int n = lib.deviceCount();
            return "ABI " + NativeLibrary.ABI_VERSION + ", " + (n > 0 ? n + " GPU(s) seen" : "no GPU seen");
        } catch (KernelException e) {
            return "no GPU seen (" + e.getMessage() + ")";
        }
    }
}
