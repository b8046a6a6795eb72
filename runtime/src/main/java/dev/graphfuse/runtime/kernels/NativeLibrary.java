package dev.graphfuse.runtime.kernels;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;

/**
 * The FFM binding of libgraphfuse_kernels.so (graphfuse_kernels.h): downcall handles for every
 * function, resolved once. {@link #load()} finds the library (-Dgraphfuse.native=PATH, else the copy
 * packaged in the runtime jar), checks the ABI version and the struct sizes, and says why when it
 * cannot — the caller decides whether that is a logged fallback or an error.
 */
public final class NativeLibrary {
    /** GF_ABI_VERSION this binding was written against (the header's, with the generated layouts). */
    public static final int ABI_VERSION = NativeLayouts.ABI_VERSION;
    static final String RESOURCE = "/native/linux-x86_64/libgraphfuse_kernels.so";

    final MethodHandle deviceCount;
    final MethodHandle errorString;
    final MethodHandle setDevice;
    final MethodHandle malloc;
    final MethodHandle free;
    final MethodHandle memset;
    final MethodHandle memcpyH2d;
    final MethodHandle memcpyD2h;
    final MethodHandle memcpyD2d;
    final MethodHandle streamCreate;
    final MethodHandle streamDestroy;
    final MethodHandle streamSynchronize;
    final Map<FusedOp, MethodHandle> ops = new EnumMap<>(FusedOp.class);
    private final Path path;

    private NativeLibrary(Path path, SymbolLookup lib) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        deviceCount = handle(linker, lib, "gf_device_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorString = handle(linker, lib, "gf_error_string", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        setDevice = handle(linker, lib, "gf_set_device", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        malloc = handle(linker, lib, "gf_malloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = handle(linker, lib, "gf_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        memset = handle(linker, lib, "gf_memset", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS));
        FunctionDescriptor copy = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        memcpyH2d = handle(linker, lib, "gf_memcpy_h2d", copy);
        memcpyD2h = handle(linker, lib, "gf_memcpy_d2h", copy);
        memcpyD2d = handle(linker, lib, "gf_memcpy_d2d", copy);
        streamCreate = handle(linker, lib, "gf_stream_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        streamDestroy = handle(linker, lib, "gf_stream_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        streamSynchronize = handle(linker, lib, "gf_stream_synchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor op = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        for (FusedOp f : FusedOp.values()) {
            ops.put(f, handle(linker, lib, f.symbol(), op));
        }
    }

    /** Where the library was loaded from. */
    public Path path() {
        return path;
    }

    /**
     * Loads and checks the library.
     *
     * @throws KernelException (code NO_DEVICE) with the reason when there is none, or ABI when it does not match
     */
    public static NativeLibrary load() {
        Path path = locate();
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new KernelException(KernelException.NO_DEVICE, "cannot load " + path + ": " + e.getMessage());
        }
        Linker linker = Linker.nativeLinker();
        try {
            int abi = (int) handle(linker, lib, "gf_abi_version", FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (abi != ABI_VERSION) {
                throw new KernelException(KernelException.ABI, path + " has ABI version " + abi + ", this binding needs "
                        + ABI_VERSION);
            }
            MethodHandle size = handle(linker, lib, "gf_args_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
            long rope = (long) size.invokeExact(1);
            long norm = (long) size.invokeExact(2);
            if (rope != NativeLayouts.ROPE_ARGS.byteSize() || norm != NativeLayouts.NORM_ARGS.byteSize()) {
                throw new KernelException(KernelException.ABI, path + ": struct sizes " + rope + "/" + norm
                        + " bytes, the binding's layouts are " + NativeLayouts.ROPE_ARGS.byteSize() + "/"
                        + NativeLayouts.NORM_ARGS.byteSize());
            }
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException(KernelException.ABI, path + ": " + t);
        }
        return new NativeLibrary(path, lib);
    }

    private static Path locate() {
        String override = System.getProperty("graphfuse.native");
        if (override != null) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new KernelException(KernelException.NO_DEVICE, "-Dgraphfuse.native=" + override + ": no such file");
            }
            return p;
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new KernelException(KernelException.NO_DEVICE, "this build has no native kernels (" + RESOURCE
                        + " is not on the class path; it is built where nvcc is present)");
            }
            Path tmp = Files.createTempFile("graphfuse_kernels", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new KernelException(KernelException.NO_DEVICE, "cannot extract " + RESOURCE + " (set -Dgraphfuse.native="
                    + "PATH where the temp directory is noexec): " + e.getMessage());
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name).orElseThrow(
                () -> new KernelException(KernelException.ABI, "the native library has no symbol " + name));
        return linker.downcallHandle(symbol, fd);
    }

    /** The library's text for a return code (CUDA's or GF_ERR_*). */
    public String errorString(int code) {
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(code);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "error " + code;
        }
    }

    /** Number of CUDA devices; a KernelException carrying CUDA's reason when the driver or device is missing. */
    public int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            int rc = (int) deviceCount.invokeExact(n);
            if (rc != 0) {
                throw new KernelException(KernelException.NO_DEVICE, "no CUDA device: " + errorString(rc) + " (code " + rc + ")");
            }
            return n.get(JAVA_INT, 0);
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException(KernelException.NO_DEVICE, "gf_device_count failed: " + t);
        }
    }

    /** Throws a KernelException naming {@code what} unless rc is 0. */
    void check(int rc, String what) {
        if (rc != 0) {
            throw new KernelException(rc, what + ": " + errorString(rc) + " (code " + rc + ")");
        }
    }
}
