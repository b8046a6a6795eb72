package dev.graphfuse.cli;

import dev.graphfuse.runtime.kernels.Backends;
import dev.graphfuse.runtime.kernels.DeviceChoice;
import dev.graphfuse.runtime.kernels.Fallbacks;
import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by {@code run} and {@code verify}: where fused nodes run and what a fallback does. */
final class RuntimeOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cuda|cpu", converter = DeviceConverter.class,
            description = "where fused nodes run: auto (CUDA when a device is usable, else the CPU kernels, logged), "
                    + "cuda (an error without one), cpu")
    DeviceChoice device;

    @Option(names = "--no-fallback", description = "make every fallback (no library or GPU, a fused node the kernels "
            + "cannot take) an error instead of a logged warning")
    boolean noFallback;

    Fallbacks fallbacks(PrintWriter err) {
        return new Fallbacks(noFallback, err::println);
    }

    Backends.Selected select(Fallbacks fallbacks) {
        return Backends.select(device, fallbacks);
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
