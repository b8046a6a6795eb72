package dev.graphfuse.dispatch;

import dev.graphfuse.runtime.kernels.HeadsView;
import java.util.Arrays;

/**
 * How one rotated tensor maps onto the kernels' [batch, seq, heads, head_dim] views: the input as
 * stored, the freshly allocated output (contiguous in {@code outShape}, the shape after an optional
 * transpose), the folded token axes, and where the head axis sits in the output.
 */
record Heads(HeadsView in, HeadsView out, TokenAxes tokens, HostTensor result, long[] outShape, int outHeadAxis,
             int heads) {

    /**
     * Q or K of a QkNorm-family node: x is [lead…, heads·hd] or [lead…, heads, hd]; the output is
     * [lead…, heads, hd], then transposed by {@code perm} when given (the head_dim axis must stay last).
     */
    static Heads of(String name, HostTensor x, int heads, int hd, long[] perm) throws Unsupported {
        long[] s = x.shape();
        int r = s.length;
        long[] lead;
        if (r >= 2 && s[r - 1] == hd && s[r - 2] == heads) {
            lead = Arrays.copyOf(s, r - 2);
        } else if (r >= 1 && s[r - 1] == (long) heads * hd) {
            lead = Arrays.copyOf(s, r - 1);
        } else {
            throw new Unsupported(name + " " + x + " is not [..., " + heads + " x " + hd + "]");
        }
        long[] logical = Arrays.copyOf(lead, lead.length + 2);
        logical[lead.length] = heads;
        logical[lead.length + 1] = hd;
        int rank = logical.length;
        long[] inStrides = FusedNodeDispatch.contiguousStrides(logical);
        int[] where = new int[rank]; // where[a] = output position of logical axis a
        long[] outShape = logical.clone();
        if (perm != null) {
            if (perm.length != rank || perm[rank - 1] != rank - 1) {
                throw new Unsupported("perm " + Arrays.toString(perm) + " does not keep head_dim last in a rank-" + rank
                        + " tensor");
            }
            boolean[] seen = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                int a = (int) perm[i];
                if (a < 0 || a >= rank || seen[a]) {
                    throw new Unsupported("perm " + Arrays.toString(perm) + " is not a permutation");
                }
                seen[a] = true;
                where[a] = i;
                outShape[i] = logical[a];
            }
        } else {
            for (int i = 0; i < rank; i++) {
                where[i] = i;
            }
        }
        long[] outStridesByPos = FusedNodeDispatch.contiguousStrides(outShape);
        long[] inTok = Arrays.copyOf(inStrides, lead.length);
        long[] outTok = new long[lead.length];
        for (int a = 0; a < lead.length; a++) {
            outTok[a] = outStridesByPos[where[a]];
        }
        TokenAxes ti = TokenAxes.fold(lead, inTok);
        TokenAxes to = TokenAxes.fold(lead, outTok);
        if (ti == null || to == null) {
            throw new Unsupported(name + ": perm " + Arrays.toString(perm) + " interleaves the token axes");
        }
        HostTensor result = HostTensor.allocate(x.type(), outShape);
        HeadsView in = new HeadsView(x.segment(), 0, ti.batchStride(), ti.seqStride(), hd);
        HeadsView out = new HeadsView(result.segment(), 0, to.batchStride(), to.seqStride(),
                outStridesByPos[where[lead.length]]);
        return new Heads(in, out, ti, result, outShape, where[lead.length], heads);
    }

    /** X of a Rope node: the head axis is {@code headAxis} (−1: none), every other non-last axis a token axis. */
    static Heads ofRope(HostTensor x, int headAxis) throws Unsupported {
        long[] s = x.shape();
        int r = s.length;
        long[] strides = FusedNodeDispatch.contiguousStrides(s);
        long[] sizes = new long[r - 1];
        long[] st = new long[r - 1];
        int j = 0;
        for (int i = 0; i < r - 1; i++) {
            if (i != headAxis) {
                sizes[j] = s[i];
                st[j++] = strides[i];
            }
        }
        TokenAxes t = TokenAxes.fold(Arrays.copyOf(sizes, j), Arrays.copyOf(st, j));
        if (t == null) {
            throw new Unsupported("X " + x + ": token axes do not fold into (batch, seq)");
        }
        int heads = headAxis < 0 ? 1 : Math.toIntExact(s[headAxis]);
        long headStride = headAxis < 0 ? 0 : strides[headAxis];
        HostTensor result = HostTensor.allocate(x.type(), s);
        HeadsView in = new HeadsView(x.segment(), 0, t.batchStride(), t.seqStride(), headStride);
        HeadsView out = new HeadsView(result.segment(), 0, t.batchStride(), t.seqStride(), headStride);
        return new Heads(in, out, t, result, s, headAxis < 0 ? r - 1 : headAxis, heads);
    }
}
