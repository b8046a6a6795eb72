package dev.graphfuse.runtime.rope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random valid batches (merge sizes 1–4, T > 1 images, adjacent image/video blocks, vision at either end,
 * right/left/in-row padding) agree with a literal transliteration of transformers' code. The committed
 * references remain the authority; this widens coverage beyond their eight cases.
 */
class Qwen3VlRopeIndexRandomTest {
    private static final long IMG = Qwen3VlRopeIndex.IMAGE_TOKEN_ID;
    private static final long VID = Qwen3VlRopeIndex.VIDEO_TOKEN_ID;
    private static final int BATCHES = 2_000;

    @Test
    void agreesWithTheTransliterationOnRandomBatches() {
        for (int seed = 0; seed < BATCHES; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int merge = 1 + rnd.nextInt(4);
            int batch = 1 + rnd.nextInt(4);
            List<long[]> rows = new ArrayList<>();
            List<Long> images = new ArrayList<>();
            List<Long> videos = new ArrayList<>();
            int longest = 1;
            for (int b = 0; b < batch; b++) {
                long[] row = row(rnd, merge, images, videos);
                rows.add(row);
                longest = Math.max(longest, row.length);
            }
            int seqLen = longest + rnd.nextInt(6);
            long[] ids = new long[batch * seqLen];
            long[] mask = new long[batch * seqLen];
            for (int b = 0; b < batch; b++) {
                layOut(rnd, rows.get(b), ids, mask, b * seqLen, seqLen);
            }
            boolean full = java.util.Arrays.stream(mask).allMatch(x -> x != 0);
            RopeIndexInput in = RopeIndexInput.ofInputIds(batch, seqLen, ids, full && rnd.nextBoolean() ? null : mask,
                    images.isEmpty() ? null : images.stream().mapToLong(Long::longValue).toArray(),
                    videos.isEmpty() ? null : videos.stream().mapToLong(Long::longValue).toArray());
            MropePositions want = TransformersTransliteration.getRopeIndex(in, merge, IMG, VID);
            MropePositions got = new Qwen3VlRopeIndex(merge, IMG, VID).compute(in);
            assertArrayEquals(want.positionIds(), got.positionIds(), "seed " + seed + ": position_ids");
            assertArrayEquals(want.ropeDeltas(), got.ropeDeltas(), "seed " + seed + ": rope_deltas");
        }
    }

    /** One row's attended tokens; appends the grids its vision blocks use. */
    private static long[] row(SplittableRandom rnd, int merge, List<Long> images, List<Long> videos) {
        List<Long> out = new ArrayList<>();
        int items = rnd.nextInt(5);
        text(rnd, out, rnd.nextInt(4));
        for (int k = 0; k < items; k++) {
            long h = merge * (1L + rnd.nextInt(4));
            long w = merge * (1L + rnd.nextInt(4));
            long perFrame = (h / merge) * (w / merge);
            long last = out.isEmpty() ? -1 : out.getLast();
            if (rnd.nextBoolean()) {
                long t = 1 + rnd.nextInt(3);
                if (last == IMG) {
                    text(rnd, out, 1);   // two image blocks must not touch, or transformers sees one group
                }
                images.addAll(List.of(t, h, w));
                add(out, IMG, t * perFrame);
            } else {
                long frames = 1 + rnd.nextInt(3);
                videos.addAll(List.of(frames, h, w));
                for (long f = 0; f < frames; f++) {
                    if (out.isEmpty() ? false : out.getLast() == VID) {
                        text(rnd, out, 1 + rnd.nextInt(3));   // timestamp text between frames
                    }
                    add(out, VID, perFrame);
                }
            }
            text(rnd, out, rnd.nextInt(3));
        }
        if (out.isEmpty()) {
            text(rnd, out, 1);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static void text(SplittableRandom rnd, List<Long> out, int n) {
        for (int i = 0; i < n; i++) {
            out.add((long) rnd.nextInt(151643));
        }
    }

    private static void add(List<Long> out, long token, long n) {
        for (long i = 0; i < n; i++) {
            out.add(token);
        }
    }

    /** Right, left or in-row padding; masked slots carry arbitrary ids, vision ones included. */
    private static void layOut(SplittableRandom rnd, long[] row, long[] ids, long[] mask, int base, int seqLen) {
        int pad = seqLen - row.length;
        int style = rnd.nextInt(3);
        int at = 0;
        int r = 0;
        for (int s = 0; s < seqLen; s++) {
            boolean padHere = switch (style) {
                case 0 -> r == row.length;                                       // right
                case 1 -> s < pad;                                               // left
                default -> r == row.length || (at < pad && rnd.nextInt(4) == 0); // holes, rest at the end
            };
            if (padHere) {
                ids[base + s] = switch (rnd.nextInt(3)) {
                    case 0 -> IMG;
                    case 1 -> VID;
                    default -> 151643;
                };
                mask[base + s] = 0;
                at++;
            } else {
                ids[base + s] = row[r++];
                mask[base + s] = 1 + rnd.nextInt(2);   // any non-zero value means attended
            }
        }
    }
}
