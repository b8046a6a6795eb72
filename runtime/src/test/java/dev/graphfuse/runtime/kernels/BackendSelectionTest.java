package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backend selection never falls back silently: on a machine without a usable GPU (CI) --device auto
 * logs one line with the reason and runs the CPU kernels, --no-fallback turns that into an error, and
 * --device cuda is an error. Where a GPU is present, auto picks it and logs nothing.
 */
class BackendSelectionTest {

    @Test
    void autoLogsItsFallbackOrUsesTheGpu() {
        List<String> log = new ArrayList<>();
        Backends.Selected s = Backends.select(DeviceChoice.AUTO, new Fallbacks(false, log::add));
        if (s.cuda() != null) {
            assertEquals(List.of(), log);
            return;
        }
        assertInstanceOf(CpuKernels.class, s.host());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("graphfuse: --device auto: falling back to the CPU kernels: "), log.get(0));
        assertTrue(log.get(0).length() > "graphfuse: --device auto: falling back to the CPU kernels: ".length() + 10,
                "the reason is missing: " + log.get(0));
    }

    @Test
    void noFallbackMakesTheMissingGpuAnError() {
        Backends.Selected probe = Backends.select(DeviceChoice.AUTO, new Fallbacks(false, l -> { }));
        if (probe.cuda() != null) {
            return;
        }
        KernelException e = assertThrows(KernelException.class,
                () -> Backends.select(DeviceChoice.AUTO, new Fallbacks(true, l -> { })));
        assertTrue(e.getMessage().endsWith("(--no-fallback)"), e.getMessage());
        KernelException cuda = assertThrows(KernelException.class,
                () -> Backends.select(DeviceChoice.CUDA, new Fallbacks(false, l -> { })));
        assertTrue(cuda.getMessage().startsWith("--device cuda: "), cuda.getMessage());
    }

    @Test
    void cpuIsNeverAFallback() {
        List<String> log = new ArrayList<>();
        assertInstanceOf(CpuKernels.class, Backends.select(DeviceChoice.CPU, new Fallbacks(true, log::add)).host());
        assertEquals(List.of(), log);
    }

    @Test
    void deviceChoiceParsing() {
        assertEquals(DeviceChoice.CUDA, DeviceChoice.parse("CUDA"));
        assertEquals("--device: expected auto, cuda or cpu, got 'gpu'",
                assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("gpu")).getMessage());
    }
}
