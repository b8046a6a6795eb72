package dev.graphfuse.runtime.dispatch;

import dev.graphfuse.runtime.kernels.DeviceChoice;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.kernels.KernelException;
import dev.graphfuse.runtime.kernels.NativeLibrary;
import dev.graphfuse.runtime.ort.OrtLibraryException;
import dev.graphfuse.runtime.ort.OrtOpLibrary;

/**
 * --device as an execution provider. cuda needs three things: ORT natives with the CUDA EP, an op library
 * built with CUDA, and a device; without one of them, cuda is an error that says which is missing and auto
 * falls back to the CPU EP with that reason logged (an error under --no-fallback).
 */
public final class ProviderChoice {
    private ProviderChoice() {
    }

    public static ExecutionProvider resolve(DeviceChoice choice, Fallbacks fallbacks) {
        if (choice == DeviceChoice.CPU) {
            return ExecutionProvider.CPU;
        }
        String missing = missingForCuda();
        if (missing == null) {
            return ExecutionProvider.CUDA;
        }
        if (choice == DeviceChoice.CUDA) {
            throw new OrtLibraryException("--device cuda: " + missing);
        }
        fallbacks.fallBack("--device auto", "ONNX Runtime's CPU execution provider", missing);
        return ExecutionProvider.CPU;
    }

    /** Null when the CUDA EP can run graphfuse's ops here, else what is missing. */
    static String missingForCuda() {
        if (!GraphfuseSession.cudaProviderAvailable()) {
            return "the ONNX Runtime natives in this process have no CUDA execution provider (set "
                    + "-Donnxruntime.native.path to a GPU build, see docs/runtime.md)";
        }
        if (!OrtOpLibrary.load().hasCuda()) {
            return OrtOpLibrary.load().path() + " was built without CUDA (no nvcc at build time)";
        }
        try {
            int n = NativeLibrary.load().deviceCount();
            return n > 0 ? null : "the CUDA driver reports 0 devices";
        } catch (KernelException e) {
            return e.getMessage();
        }
    }
}
