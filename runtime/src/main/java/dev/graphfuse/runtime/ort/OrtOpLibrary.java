package dev.graphfuse.runtime.ort;

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

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libgraphfuse_ort.so, the ONNX Runtime custom-op library of the graphfuse ops (runtime/native/ort):
 * where it is (-Dgraphfuse.ort.library=PATH, else the copy packaged in the runtime jar, extracted once),
 * and what it declares. ORT loads it itself ({@code SessionOptions.registerCustomOpLibrary(path)});
 * this class only reads its contract and whether it carries the CUDA kernels.
 */
public final class OrtOpLibrary {
    static final String RESOURCE = "/native/linux-x86_64/libgraphfuse_ort.so";
    private static OrtOpLibrary instance;

    private final Path path;
    private final String contract;
    private final String abiLayout;
    private final boolean cuda;

    private OrtOpLibrary(Path path, String contract, String abiLayout, boolean cuda) {
        this.path = path;
        this.contract = contract;
        this.abiLayout = abiLayout;
        this.cuda = cuda;
    }

    /** The library's file, for {@code registerCustomOpLibrary} (Java) or {@code register_custom_ops_library} (Python). */
    public Path path() {
        return path;
    }

    /** The registered ops in the .fuse signature syntax, one per line. */
    public String contract() {
        return contract;
    }

    /**
     * The kernels' argument structs as the native compiler laid them out: lines "struct field offset bytes"
     * (graphfuse_kernels.h's gf_abi_layout()), for checking a binding's layouts field by field.
     */
    public String abiLayout() {
        return abiLayout;
    }

    /** Whether this build registers CUDA execution provider kernels (it was built with nvcc). */
    public boolean hasCuda() {
        return cuda;
    }

    /**
     * Finds and reads the library once per process.
     *
     * @throws OrtLibraryException with the reason when there is none (a build without the native profile)
     */
    public static synchronized OrtOpLibrary load() {
        if (instance == null) {
            Path p = locate();
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(p, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new OrtLibraryException("cannot load " + p + ": " + e.getMessage());
            }
            Linker linker = Linker.nativeLinker();
            try {
                MemorySegment text = (MemorySegment) handle(linker, lib, "gf_ort_contract", FunctionDescriptor.of(ADDRESS))
                        .invokeExact();
                int cuda = (int) handle(linker, lib, "gf_ort_has_cuda", FunctionDescriptor.of(JAVA_INT)).invokeExact();
                MemorySegment layout = (MemorySegment) handle(linker, lib, "gf_ort_abi_layout",
                        FunctionDescriptor.of(ADDRESS)).invokeExact();
                instance = new OrtOpLibrary(p, text.reinterpret(1 << 20).getString(0),
                        layout.reinterpret(1 << 20).getString(0), cuda == 1);
            } catch (OrtLibraryException e) {
                throw e;
            } catch (Throwable t) {
                throw new OrtLibraryException(p + ": " + t);
            }
        }
        return instance;
    }

    private static Path locate() {
        String override = System.getProperty("graphfuse.ort.library");
        if (override != null) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new OrtLibraryException("-Dgraphfuse.ort.library=" + override + ": no such file");
            }
            return p.toAbsolutePath();
        }
        try (InputStream in = OrtOpLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new OrtLibraryException("this build has no ONNX Runtime op library (" + RESOURCE
                        + " is not on the class path: it was built with -Dgraphfuse.native.skip)");
            }
            Path tmp = Files.createTempFile("graphfuse_ort", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new OrtLibraryException("cannot extract " + RESOURCE + " (set -Dgraphfuse.ort.library=PATH where the "
                    + "temp directory is noexec): " + e.getMessage());
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name).orElseThrow(
                () -> new OrtLibraryException("the ONNX Runtime op library has no symbol " + name));
        return linker.downcallHandle(symbol, fd);
    }
}
