package dev.graphfuse.runtime.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs a device backend on host memory: every distinct segment of a call is copied to the device
 * (a packed qkv shared by Q and K travels once), the op runs there, and the output segments are copied
 * back. The copies are counted by the {@link CudaBackend}; this is the path of host-resident tensors
 * (tests, and an executor whose neighbours run on the CPU).
 */
public final class HostStaging implements KernelBackend {
    private final CudaBackend device;

    public HostStaging(CudaBackend device) {
        this.device = device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public void rope(FusedOp op, RopeArgs a) {
        try (Staged st = new Staged()) {
            HeadsView q = st.heads(a.q());
            HeadsView k = st.heads(a.k());
            HeadsView qOut = st.heads(a.qOut());
            HeadsView kOut = st.heads(a.kOut());
            QkWeights n = a.norm() == null ? null : new QkWeights(a.norm().dtype(), st.in(a.norm().q()),
                    st.in(a.norm().k()), a.norm().epsilon(), a.norm().weightOffset());
            Angles angles = switch (a.angles()) {
                case null -> null;
                case Angles.Table t -> new Angles.Table(t.dtype(), st.in(t.cos()), st.in(t.sin()), t.batchStride(),
                        t.rowStride(), t.width());
                case Angles.InvFreq f -> new Angles.InvFreq(st.in(f.invFreq()), f.attentionScaling());
            };
            Positions p = a.positions();
            Positions positions = p == null ? null : new Positions(p.dtype(), st.in(p.data()), p.rows(), p.axisStride(),
                    p.batchStride(), p.seqStride(), p.maxPosition(), p.mropeSection(), p.mropeInterleaved());
            device.rope(op, new RopeArgs(a.dtype(), a.batch(), a.seq(), a.numQHeads(), a.numKHeads(), a.headDim(),
                    a.rotaryDim(), a.interleaved(), n, q, qOut, k, kOut, angles, positions));
            st.copyBack(a.qOut() == null ? null : a.qOut().data(), a.kOut() == null ? null : a.kOut().data());
        }
    }

    @Override
    public void norm(FusedOp op, NormArgs a) {
        try (Staged st = new Staged()) {
            RowsView x = st.rows(a.x());
            RowsView z = st.rows(a.z());
            RowsView out = st.rows(a.out());
            device.norm(op, new NormArgs(a.dtype(), a.outDtype(), a.weightDtype(), a.rows(), a.n(), a.epsilon(),
                    a.weightOffset(), x, z, out, st.in(a.weight())));
            st.copyBack(a.out().data());
        }
    }

    /** The device copies of one call's host segments, freed when the call ends. */
    private final class Staged implements AutoCloseable {
        private final Map<MemorySegment, MemorySegment> copies = new IdentityHashMap<>();
        private final Arena arena = Arena.ofConfined();

        MemorySegment in(MemorySegment host) {
            if (host == null) {
                return null;
            }
            return copies.computeIfAbsent(host, h -> {
                MemorySegment d = device.allocate(h.byteSize());
                device.toDevice(d, h.isNative() ? h : arena.allocate(h.byteSize()).copyFrom(h));
                return d;
            });
        }

        HeadsView heads(HeadsView v) {
            return v == null ? null : new HeadsView(in(v.data()), v.offset(), v.batchStride(), v.seqStride(), v.headStride());
        }

        RowsView rows(RowsView v) {
            return v == null ? null : new RowsView(in(v.data()), v.offset(), v.rowStride());
        }

        void copyBack(MemorySegment... outputs) {
            Set<MemorySegment> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (MemorySegment host : outputs) {
                if (host == null || !done.add(host)) {
                    continue;
                }
                MemorySegment staging = host.isNative() ? host : arena.allocate(host.byteSize());
                device.toHost(staging, copies.get(host));
                if (staging != host) {
                    host.copyFrom(staging);
                }
            }
        }

        @Override
        public void close() {
            copies.values().forEach(device::free);
            arena.close();
        }
    }
}
