package dev.graphfuse.cli;

import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import dev.graphfuse.runtime.dispatch.ProviderChoice;
import dev.graphfuse.runtime.kernels.DeviceChoice;
import dev.graphfuse.runtime.kernels.Fallbacks;
import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by {@code run}, {@code verify} and {@code bench}: the execution provider and what a fallback does. */
final class RuntimeOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cuda|cpu", converter = DeviceConverter.class,
            description = "ONNX Runtime's execution provider for the whole model: auto (CUDA when ORT's CUDA provider, "
                    + "a CUDA build of the op library and a device are all there, else the CPU, logged), cuda (an error "
                    + "without them), cpu")
    DeviceChoice device;

    @Option(names = "--no-fallback", description = "make every fallback (no CUDA provider or GPU under auto, a graphfuse "
            + "node ORT placed on another provider) an error instead of a logged warning")
    boolean noFallback;

    Fallbacks fallbacks(PrintWriter err) {
        return new Fallbacks(noFallback, err::println);
    }

    ExecutionProvider provider(Fallbacks fallbacks) {
        return ProviderChoice.resolve(device, fallbacks);
    }

    /** A bad --device is a usage error (exit 2) found while parsing, before any model is read. */
    static final class DeviceConverter implements ITypeConverter<DeviceChoice> {
        @Override
        public DeviceChoice convert(String value) {
            try {
                return DeviceChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected auto, cuda or cpu, got '" + value + "'");
            }
        }
    }
}
