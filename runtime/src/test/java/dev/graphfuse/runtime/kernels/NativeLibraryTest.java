package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The FFM binding against the library this build made (the Maven profile that runs nvcc sets
 * graphfuse.native.expected, so a build that should have the library cannot skip this): it loads, its ABI
 * version and struct sizes equal the Java layouts, every entry point resolves, and without a GPU the
 * device count is CUDA's error text, never a crash.
 */
class NativeLibraryTest {

    private static NativeLibrary loadOrSkip() {
        boolean expected = Boolean.getBoolean("graphfuse.native.expected");
        if (!expected && NativeLibrary.class.getResource(NativeLibrary.RESOURCE) == null
                && System.getProperty("graphfuse.native") == null) {
            Assumptions.abort("built without nvcc: no native library to bind");
        }
        return NativeLibrary.load();
    }

    @Test
    void loadsWithMatchingAbiAndLayouts() {
        // load() refuses a library whose ABI version or gf_args_size() differ from the generated layouts (the
        // sizes are not typed again here: NativeLayoutsTest checks the layouts field by field)
        NativeLibrary lib = loadOrSkip();
        for (FusedOp op : FusedOp.values()) {
            assertNotNull(lib.ops.get(op), op.symbol());
        }
        assertEquals("graphfuse: a position is outside [0, max_position)", lib.errorString(KernelException.POSITION_RANGE));
    }

    @Test
    void deviceCountWithoutAGpuIsCudasReason() {
        NativeLibrary lib = loadOrSkip();
        int n;
        try {
            n = lib.deviceCount();
        } catch (KernelException e) {
            assertEquals(KernelException.NO_DEVICE, e.code());
            assertTrue(e.getMessage().startsWith("no CUDA device: "), e.getMessage());
            assertTrue(e.getMessage().contains("(code "), e.getMessage());
            return;
        }
        assertTrue(n > 0, "a device count of 0 must come back as an error");
    }

    @Test
    void aStructTheLibraryRefusesIsAnErrorNotACrash() {
        NativeLibrary lib = loadOrSkip();
        String text = lib.errorString(KernelException.ABI);
        assertTrue(!text.isBlank(), text);
        assertThrows(KernelException.class, () -> lib.check(KernelException.INVALID_ARGUMENT, "probe"));
    }
}
