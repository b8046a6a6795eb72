package dev.graphfuse.runtime.rope;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A deliberately literal, slow Java transliteration of transformers 5.18's {@code Qwen3VLModel.get_rope_index}
 * (boxed lists, groupby, meshgrid, cat), kept as an independent oracle for the randomized test. It
 * assumes valid input: where transformers would fail it throws {@link IllegalStateException}.
 */
final class TransformersTransliteration {
    private TransformersTransliteration() {
    }

    static MropePositions getRopeIndex(RopeIndexInput in, int spatialMergeSize, long imageTokenId, long videoTokenId) {
        int batch = in.batch();
        int seqLen = in.seqLen();
        // video_grid_thw = repeat_interleave(video_grid_thw, video_grid_thw[:, 0]); video_grid_thw[:, 0] = 1
        List<long[]> videoFrames = new ArrayList<>();
        long[] v = in.videoGridThw() == null ? new long[0] : in.videoGridThw();
        for (int g = 0; g < v.length; g += 3) {
            for (long f = 0; f < v[g]; f++) {
                videoFrames.add(new long[] {1, v[g + 1], v[g + 2]});
            }
        }
        List<long[]> imageGrids = new ArrayList<>();
        long[] im = in.imageGridThw() == null ? new long[0] : in.imageGridThw();
        for (int g = 0; g < im.length; g += 3) {
            imageGrids.add(new long[] {im[g], im[g + 1], im[g + 2]});
        }
        Iterator<long[]> images = imageGrids.iterator();
        Iterator<long[]> videos = videoFrames.iterator();
        long[] positionIds = new long[3 * batch * seqLen];
        long[] deltas = new long[batch];
        for (int b = 0; b < batch; b++) {
            List<Integer> kept = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int s = 0; s < seqLen; s++) {
                int i = b * seqLen + s;
                if (in.attentionMask() == null || in.attentionMask()[i] != 0) {
                    kept.add(s);
                    long t = in.tokens()[i];
                    types.add(in.kind() == TokenKind.TOKEN_TYPES ? (int) t : t == imageTokenId ? 1 : t == videoTokenId ? 2 : 0);
                }
            }
            List<int[]> groups = new ArrayList<>();   // itertools.groupby: (key, start, end)
            for (int k = 0; k < types.size(); k++) {
                if (groups.isEmpty() || groups.getLast()[0] != types.get(k)) {
                    groups.add(new int[] {types.get(k), k, k + 1});
                } else {
                    groups.getLast()[2] = k + 1;
                }
            }
            long currentPos = 0;
            List<long[]> llmPosIds = new ArrayList<>();   // columns (t, h, w)
            for (int[] g : groups) {
                if (g[0] == 0) {
                    for (int k = 0; k < g[2] - g[1]; k++) {
                        llmPosIds.add(new long[] {k + currentPos, k + currentPos, k + currentPos});
                    }
                    currentPos += g[2] - g[1];
                } else {
                    Iterator<long[]> it = g[0] == 1 ? images : videos;
                    if (!it.hasNext()) {
                        throw new IllegalStateException("StopIteration");
                    }
                    long[] thw = it.next();
                    long gt = thw[0];
                    long gh = thw[1] / spatialMergeSize;
                    long gw = thw[2] / spatialMergeSize;
                    for (long t = 0; t < gt; t++) {          // meshgrid(indexing="ij").reshape(3, -1)
                        for (long h = 0; h < gh; h++) {
                            for (long w = 0; w < gw; w++) {
                                llmPosIds.add(new long[] {t + currentPos, h + currentPos, w + currentPos});
                            }
                        }
                    }
                    currentPos += Math.max(thw[1], thw[2]) / spatialMergeSize;
                }
            }
            if (llmPosIds.size() != kept.size()) {
                throw new IllegalStateException("shape mismatch: " + llmPosIds.size() + " positions for " + kept.size());
            }
            long max = Long.MIN_VALUE;
            for (int k = 0; k < kept.size(); k++) {
                for (int axis = 0; axis < 3; axis++) {
                    positionIds[(axis * batch + b) * seqLen + kept.get(k)] = llmPosIds.get(k)[axis];
                    max = Math.max(max, llmPosIds.get(k)[axis]);
                }
            }
            deltas[b] = max + 1 - kept.size();
        }
        return new MropePositions(batch, seqLen, positionIds, deltas);
    }
}
