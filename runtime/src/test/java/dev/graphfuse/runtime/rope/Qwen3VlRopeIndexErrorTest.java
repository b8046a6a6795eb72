package dev.graphfuse.runtime.rope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each bad input gives one exception whose one-line message names the input and what was expected. */
class Qwen3VlRopeIndexErrorTest {
    private static final long TEXT = 7;
    private static final long IMG = Qwen3VlRopeIndex.IMAGE_TOKEN_ID;
    private static final long VID = Qwen3VlRopeIndex.VIDEO_TOKEN_ID;
    private static final Qwen3VlRopeIndex QWEN = Qwen3VlRopeIndex.qwen3Vl();

    /** A run of {@code n} copies of {@code token}. */
    private static long[] run(long token, int n) {
        return LongStream.generate(() -> token).limit(n).toArray();
    }

    private static long[] cat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    private static long[] grids(long... thw) {
        return thw;
    }

    private static RopeIndexInput one(long[] ids, long[] images, long[] videos) {
        return RopeIndexInput.ofInputIds(1, ids.length, ids, null, images, videos);
    }

    private static void fails(String message, Executable e) {
        RopeIndexException x = assertThrows(RopeIndexException.class, e);
        assertEquals(message, x.getMessage());
        assertEquals(x.field() + ": " + x.detail(), x.getMessage());
    }

    @Test
    void moreImageBlocksThanGrids() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 4), run(TEXT, 1), run(IMG, 4), run(TEXT, 1));
        fails("image_grid_thw: has 1 grid, but input_ids hold more image blocks: block 2 starts at input_ids[0][7]",
                () -> QWEN.compute(one(ids, grids(1, 4, 4), null)));
    }

    @Test
    void imageTokensWithoutGrids() {
        long[] ids = cat(run(TEXT, 3), run(IMG, 4));
        fails("image_grid_thw: has 0 grids, but input_ids hold more image blocks: block 1 starts at input_ids[0][3]",
                () -> QWEN.compute(one(ids, null, null)));
    }

    @Test
    void moreImageGridsThanBlocks() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 4), run(TEXT, 1));
        fails("image_grid_thw: has 2 grids, but input_ids hold 1 image block",
                () -> QWEN.compute(one(ids, grids(1, 4, 4, 1, 4, 4), null)));
    }

    @Test
    void imageBlockShorterThanItsGrid() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 3), run(TEXT, 1));
        fails("input_ids[0][2..4]: image block of 3 tokens, but image_grid_thw[0] = (1, 4, 4) with spatial_merge_size 2 "
                + "needs t·(h/m)·(w/m) = 1·2·2 = 4", () -> QWEN.compute(one(ids, grids(1, 4, 4), null)));
    }

    @Test
    void imageBlockShorterThanItsGridAtTheEndOfTheRow() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 7));
        fails("input_ids[0][2..8]: image block of 7 tokens, but image_grid_thw[0] = (2, 4, 4) with spatial_merge_size 2 "
                + "needs t·(h/m)·(w/m) = 2·2·2 = 8", () -> QWEN.compute(one(ids, grids(2, 4, 4), null)));
    }

    @Test
    void imageBlockLongerThanItsGrid() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 6), run(TEXT, 1));
        fails("input_ids[0][2..7]: image block of 6 tokens, but image_grid_thw[0] = (1, 4, 4) with spatial_merge_size 2 "
                + "needs t·(h/m)·(w/m) = 1·2·2 = 4", () -> QWEN.compute(one(ids, grids(1, 4, 4, 1, 2, 4), null)));
    }

    @Test
    void imageBlockCutShortByAVideoBlock() {
        long[] ids = cat(run(TEXT, 1), run(IMG, 2), run(VID, 4));
        fails("input_ids[0][1..2]: image block of 2 tokens, but image_grid_thw[0] = (1, 4, 4) with spatial_merge_size 2 "
                + "needs t·(h/m)·(w/m) = 1·2·2 = 4", () -> QWEN.compute(one(ids, grids(1, 4, 4), grids(1, 4, 4))));
    }

    @Test
    void maskedTokensDoNotCountTowardsABlock() {
        long[] ids = cat(run(TEXT, 1), run(IMG, 4), run(TEXT, 1));
        long[] mask = {1, 1, 0, 1, 1, 1};
        fails("input_ids[0][1..4]: image block of 3 tokens, but image_grid_thw[0] = (1, 4, 4) with spatial_merge_size 2 "
                + "needs t·(h/m)·(w/m) = 1·2·2 = 4",
                () -> QWEN.compute(RopeIndexInput.ofInputIds(1, 6, ids, mask, grids(1, 4, 4), null)));
    }

    @Test
    void videoFramesWithoutBlocks() {
        long[] ids = cat(run(TEXT, 2), run(VID, 4), run(TEXT, 1));
        fails("video_grid_thw: has 1 video with 3 frames in all, but input_ids hold 1 video block (one per frame)",
                () -> QWEN.compute(one(ids, null, grids(3, 4, 4))));
    }

    @Test
    void videoBlocksWithoutFrames() {
        long[] ids = cat(run(TEXT, 2), run(VID, 4), run(TEXT, 2), run(VID, 4), run(TEXT, 2), run(VID, 4));
        fails("video_grid_thw: has 1 video with 2 frames in all, but input_ids hold more video blocks (one per frame): "
                + "block 3 starts at input_ids[0][14]", () -> QWEN.compute(one(ids, null, grids(2, 4, 4))));
    }

    @Test
    void videoFrameBlockOfTheWrongSize() {
        long[] ids = cat(run(TEXT, 2), run(VID, 4), run(TEXT, 2), run(VID, 5), run(TEXT, 1));
        fails("input_ids[0][8..12]: video block of 5 tokens, but frame 1 of video_grid_thw[0] = (2, 4, 4) with "
                + "spatial_merge_size 2 needs (h/m)·(w/m) = 2·2 = 4 (each frame is one block)",
                () -> QWEN.compute(one(ids, null, grids(2, 4, 4))));
    }

    @Test
    void mergeSizeThatDoesNotDivideTheGrid() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 4));
        fails("image_grid_thw[0]: height 5 is not divisible by spatial_merge_size 2 (grid (1, 5, 4))",
                () -> QWEN.compute(one(ids, grids(1, 5, 4), null)));
        fails("video_grid_thw[1]: width 6 is not divisible by spatial_merge_size 4 (grid (2, 8, 6))",
                () -> new Qwen3VlRopeIndex(4, IMG, VID).compute(one(ids, null, grids(1, 4, 4, 2, 8, 6))));
    }

    @Test
    void zeroOrNegativeGrids() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 4));
        fails("image_grid_thw[1]: expected t, h and w ≥ 1, got (0, 4, 4)",
                () -> QWEN.compute(one(ids, grids(1, 4, 4, 0, 4, 4), null)));
        fails("video_grid_thw[0]: expected t, h and w ≥ 1, got (1, -2, 4)",
                () -> QWEN.compute(one(ids, grids(1, 4, 4), grids(1, -2, 4))));
    }

    @Test
    void gridLargerThanAnyRow() {
        long[] ids = cat(run(TEXT, 2), run(IMG, 4));
        fails("image_grid_thw[0]: grid (1, 4000000000, 4000000000) with spatial_merge_size 2 needs t·(h/m)·(w/m) = "
                + "1·2000000000·2000000000 tokens per block, more than seq_len 6",
                () -> QWEN.compute(one(ids, grids(1, 4_000_000_000L, 4_000_000_000L), null)));
    }

    @Test
    void shapes() {
        fails("input_ids: expected batch 2 × seq_len 4 = 8 values, got 7",
                () -> RopeIndexInput.ofInputIds(2, 4, new long[7], null, null, null));
        fails("attention_mask: expected the shape of mm_token_type_ids, batch 2 × seq_len 4 = 8 values, got 4",
                () -> RopeIndexInput.ofTokenTypes(2, 4, new long[8], new long[4], null, null));
        fails("video_grid_thw: expected (t, h, w) triples, got 4 values",
                () -> RopeIndexInput.ofInputIds(1, 4, new long[4], null, null, new long[4]));
        fails("input_ids: batch and seq_len must be ≥ 0, got -1 × 4",
                () -> RopeIndexInput.ofInputIds(-1, 4, new long[0], null, null, null));
    }

    @Test
    void tokenTypesOutsideZeroToTwo() {
        long[] types = {0, 0, 1, 1, 1, 1, 3};
        fails("mm_token_type_ids[0][6]: expected 0 (text), 1 (image) or 2 (video), got 3",
                () -> QWEN.compute(RopeIndexInput.ofTokenTypes(1, 7, types, null, grids(1, 4, 4), null)));
    }

    @Test
    void rowWithNothingAttended() {
        long[] ids = run(TEXT, 6);
        long[] mask = {1, 1, 1, 0, 0, 0};
        fails("attention_mask[1]: expected at least one attended token, the row has none",
                () -> QWEN.compute(RopeIndexInput.ofInputIds(2, 3, ids, mask, null, null)));
    }

    @Test
    void badConfiguration() {
        fails("spatial_merge_size: expected an integer ≥ 1, got 0", () -> new Qwen3VlRopeIndex(0, IMG, VID));
        fails("video_token_id: must differ from image_token_id, both are 5", () -> new Qwen3VlRopeIndex(2, 5, 5));
    }

    @Test
    void outputArraysOfTheWrongSize() {
        long[] ids = run(TEXT, 4);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> QWEN.computeInto(one(ids, null, null), new long[11], new long[1]));
        assertEquals("positionIds must hold 3 × 1 × 4 values and ropeDeltas 1; got 11 and 1", x.getMessage());
    }
}
