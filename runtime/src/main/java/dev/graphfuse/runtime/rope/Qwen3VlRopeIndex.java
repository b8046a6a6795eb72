package dev.graphfuse.runtime.rope;

/**
 * Qwen3-VL's multimodal RoPE position ids and rope deltas, identical to transformers'
 * {@code Qwen3VLModel.get_rope_index} (5.17 and 5.18 compute the same thing; see docs/rope-index.md).
 *
 * <p>Semantics, per row, over the attended tokens only (padding gets position 0 on every axis):
 * <ul>
 *   <li>A maximal run of attended tokens of one type is a group. A text group continues the running
 *       index on all three axes.</li>
 *   <li>Each image group takes the next {@code image_grid_thw} entry {@code (t, h, w)}; each video group
 *       takes the next frame of {@code video_grid_thw} (a video of {@code t} frames is {@code t} groups of
 *       grid {@code (1, h, w)}; frames are separated by timestamp text). With {@code m} the spatial merge
 *       size, the group must hold {@code t·(h/m)·(w/m)} tokens, ordered t-major then h then w; token
 *       {@code (ti, hi, wi)} gets {@code (start + ti, start + hi, start + wi)}.</li>
 *   <li>After a vision group the running index is {@code start + max(h, w)/m} — not {@code t}: an image
 *       with {@code t > max(h, w)/m} overlaps the next text, as in transformers.</li>
 *   <li>{@code rope_delta = max position + 1 − attended tokens}.</li>
 * </ul>
 *
 * <p>Where transformers would fail or silently misalign (grids left over, a group longer or shorter than its
 * grid, a merge size that does not divide a grid, a row with nothing attended), this class throws one
 * {@link RopeIndexException} that names the input and what was expected.
 *
 * <p>The computation is one pass over the token array with a few scalar counters; it allocates nothing but
 * the result of {@link #compute}, and {@link #computeInto} not even that. Instances are immutable and
 * thread-safe.
 */
public final class Qwen3VlRopeIndex {
    /** {@code <|image_pad|>} in Qwen3-VL's vocabulary ({@code config.image_token_id}). */
    public static final long IMAGE_TOKEN_ID = 151655;
    /** {@code <|video_pad|>} ({@code config.video_token_id}). */
    public static final long VIDEO_TOKEN_ID = 151656;
    /** {@code config.vision_config.spatial_merge_size} of every released Qwen3-VL. */
    public static final int SPATIAL_MERGE_SIZE = 2;

    private static final int TEXT = 0;
    private static final int IMAGE = 1;
    private static final int VIDEO = 2;
    private static final long[] NONE = {};

    private final int merge;
    private final long imageTokenId;
    private final long videoTokenId;

    public Qwen3VlRopeIndex(int spatialMergeSize, long imageTokenId, long videoTokenId) {
        if (spatialMergeSize < 1) {
            throw new RopeIndexException("spatial_merge_size", "expected an integer ≥ 1, got " + spatialMergeSize);
        }
        if (imageTokenId == videoTokenId) {
            throw new RopeIndexException("video_token_id", "must differ from image_token_id, both are " + imageTokenId);
        }
        this.merge = spatialMergeSize;
        this.imageTokenId = imageTokenId;
        this.videoTokenId = videoTokenId;
    }

    /** Qwen3-VL's released configuration: merge size 2, image token 151655, video token 151656. */
    public static Qwen3VlRopeIndex qwen3Vl() {
        return new Qwen3VlRopeIndex(SPATIAL_MERGE_SIZE, IMAGE_TOKEN_ID, VIDEO_TOKEN_ID);
    }

    public int spatialMergeSize() {
        return merge;
    }

    public long imageTokenId() {
        return imageTokenId;
    }

    public long videoTokenId() {
        return videoTokenId;
    }

    /** Computes position ids and deltas into new arrays. */
    public MropePositions compute(RopeIndexInput in) {
        long[] positions = new long[3 * in.batch() * in.seqLen()];
        long[] deltas = new long[in.batch()];
        computeInto(in, positions, deltas);
        return new MropePositions(in.batch(), in.seqLen(), positions, deltas);
    }

    /**
     * Computes into caller-owned arrays, overwriting every element ({@code positionIds}: {@code 3·batch·seqLen},
     * row-major {@code (3, batch, seqLen)}; {@code ropeDeltas}: {@code batch}), so a decode loop can reuse them.
     * On an exception their contents are unspecified.
     */
    public void computeInto(RopeIndexInput in, long[] positionIds, long[] ropeDeltas) {
        final int batch = in.batch();
        final int seqLen = in.seqLen();
        final int plane = batch * seqLen;
        if (positionIds.length != 3 * plane || ropeDeltas.length != batch) {
            throw new IllegalArgumentException("positionIds must hold 3 × " + batch + " × " + seqLen + " values and "
                    + "ropeDeltas " + batch + "; got " + positionIds.length + " and " + ropeDeltas.length);
        }
        final long[] tokens = in.tokens();
        final long[] mask = in.attentionMask();
        final long[] images = in.imageGridThw() == null ? NONE : in.imageGridThw();
        final long[] videos = in.videoGridThw() == null ? NONE : in.videoGridThw();
        checkGrids("image_grid_thw", images, seqLen, true);
        checkGrids("video_grid_thw", videos, seqLen, false);
        // Token types are input ids whose image and video "ids" are 1 and 2: one loop serves both kinds.
        final boolean typed = in.kind() == TokenKind.TOKEN_TYPES;
        final long imageId = typed ? IMAGE : imageTokenId;
        final long videoId = typed ? VIDEO : videoTokenId;
        final int m = merge;
        final int hOffset = plane;
        final int wOffset = 2 * plane;

        int nextImage = 0;      // image grids consumed, across the batch
        int nextVideo = 0;      // index of the video whose frames are being consumed
        long nextFrame = 0;     // frame of that video the next video group takes
        long videoGroups = 0;   // video groups seen, for error messages
        for (int b = 0; b < batch; b++) {
            final int row = b * seqLen;
            long next = 0;      // transformers' current_pos
            long max = -1;
            int attended = 0;
            int group = -1;     // type of the group the last attended token belongs to
            int left = 0;       // tokens the current vision group still owes its grid
            long start = 0;
            long ti = 0;
            int hi = 0;
            int wi = 0;
            int gh = 0;
            int gw = 0;
            int groupFirst = 0; // for error messages: where the group began, its grid, its frame
            int groupGrid = 0;
            long groupFrame = 0;
            for (int s = 0; s < seqLen; s++) {
                final int i = row + s;
                if (mask != null && mask[i] == 0) {
                    positionIds[i] = 0;
                    positionIds[hOffset + i] = 0;
                    positionIds[wOffset + i] = 0;
                    continue;
                }
                attended++;
                final long token = tokens[i];
                if (token == imageId || token == videoId) {
                    final int type = token == imageId ? IMAGE : VIDEO;
                    if (left == 0) {
                        if (type == group) {
                            // transformers groups consecutive tokens of one type: this token extends a full group
                            throw groupMismatch(in, b, groupFirst, type, groupGrid, groupFrame, images, videos);
                        }
                        long t;
                        if (type == IMAGE) {
                            if (nextImage * 3 == images.length) {
                                throw tooFewGrids(in, "image_grid_thw", images, nextImage, b, s);
                            }
                            groupGrid = nextImage++;
                            t = images[groupGrid * 3];
                            gh = (int) (images[groupGrid * 3 + 1] / m);
                            gw = (int) (images[groupGrid * 3 + 2] / m);
                        } else {
                            if (nextVideo * 3 == videos.length) {
                                throw tooFewGrids(in, "video_grid_thw", videos, videoGroups, b, s);
                            }
                            groupGrid = nextVideo;
                            groupFrame = nextFrame;
                            t = 1;
                            gh = (int) (videos[nextVideo * 3 + 1] / m);
                            gw = (int) (videos[nextVideo * 3 + 2] / m);
                            videoGroups++;
                            if (++nextFrame == videos[nextVideo * 3]) {
                                nextFrame = 0;
                                nextVideo++;
                            }
                        }
                        left = (int) (t * gh * gw);
                        start = next;
                        ti = 0;
                        hi = 0;
                        wi = 0;
                        int hw = Math.max(gh, gw);
                        next = start + hw;
                        max = Math.max(max, start + Math.max(t, hw) - 1);
                        group = type;
                        groupFirst = s;
                    } else if (type != group) {
                        throw groupMismatch(in, b, groupFirst, group, groupGrid, groupFrame, images, videos);
                    }
                    positionIds[i] = start + ti;
                    positionIds[hOffset + i] = start + hi;
                    positionIds[wOffset + i] = start + wi;
                    if (++wi == gw) {
                        wi = 0;
                        if (++hi == gh) {
                            hi = 0;
                            ti++;
                        }
                    }
                    left--;
                } else {
                    if (typed && token != TEXT) {
                        throw new RopeIndexException(in.kind().field() + "[" + b + "][" + s + "]",
                                "expected 0 (text), 1 (image) or 2 (video), got " + token);
                    }
                    if (left != 0) {
                        throw groupMismatch(in, b, groupFirst, group, groupGrid, groupFrame, images, videos);
                    }
                    positionIds[i] = next;
                    positionIds[hOffset + i] = next;
                    positionIds[wOffset + i] = next;
                    max = Math.max(max, next);
                    next++;
                    group = TEXT;
                }
            }
            if (left != 0) {
                throw groupMismatch(in, b, groupFirst, group, groupGrid, groupFrame, images, videos);
            }
            if (attended == 0) {
                throw new RopeIndexException(mask != null ? "attention_mask[" + b + "]" : in.kind().field() + "[" + b + "]",
                        "expected at least one attended token, the row has none");
            }
            ropeDeltas[b] = max + 1 - attended;
        }
        if (nextImage * 3 != images.length) {
            throw new RopeIndexException("image_grid_thw", "has " + count(images.length / 3, "grid") + ", but "
                    + in.kind().field() + " hold " + count(nextImage, "image block"));
        }
        if (nextVideo * 3 != videos.length) {
            throw new RopeIndexException("video_grid_thw", describeVideos(videos) + ", but " + in.kind().field()
                    + " hold " + count(videoGroups, "video block") + " (one per frame)");
        }
    }

    /** Checks every grid up front, so a bad grid is reported even when the tokens would never reach it. */
    private void checkGrids(String field, long[] grids, int seqLen, boolean image) {
        for (int g = 0; g < grids.length; g += 3) {
            long t = grids[g];
            long h = grids[g + 1];
            long w = grids[g + 2];
            String at = field + "[" + g / 3 + "]";
            if (t < 1 || h < 1 || w < 1) {
                throw new RopeIndexException(at, "expected t, h and w ≥ 1, got " + triple(grids, g));
            }
            if (h % merge != 0 || w % merge != 0) {
                throw new RopeIndexException(at, (h % merge != 0 ? "height " + h : "width " + w)
                        + " is not divisible by spatial_merge_size " + merge + " (grid " + triple(grids, g) + ")");
            }
            // A block longer than a row can never match; bounding by seq_len also keeps later counts in int range.
            long gh = h / merge;
            long gw = w / merge;
            boolean fits = gh <= seqLen && gw <= seqLen && gh * gw <= seqLen
                    && (!image || t <= seqLen && t * gh * gw <= seqLen);
            if (!fits) {
                throw new RopeIndexException(at, "grid " + triple(grids, g) + " with spatial_merge_size " + merge
                        + (image ? " needs t·(h/m)·(w/m) = " + t + "·" : " needs (h/m)·(w/m) = ") + gh + "·" + gw
                        + " tokens per block, more than seq_len " + seqLen);
            }
        }
    }

    private RopeIndexException groupMismatch(RopeIndexInput in, int b, int first, int type, int grid, long frame,
            long[] images, long[] videos) {
        // Error path only: rescan the group to report its true extent.
        long[] tokens = in.tokens();
        long[] mask = in.attentionMask();
        boolean typed = in.kind() == TokenKind.TOKEN_TYPES;
        long id = type == IMAGE ? (typed ? IMAGE : imageTokenId) : (typed ? VIDEO : videoTokenId);
        int row = b * in.seqLen();
        int count = 0;
        int last = first;
        for (int s = first; s < in.seqLen(); s++) {
            if (mask != null && mask[row + s] == 0) {
                continue;
            }
            if (tokens[row + s] != id) {
                break;
            }
            count++;
            last = s;
        }
        String where = in.kind().field() + "[" + b + "][" + first + ".." + last + "]";
        if (type == IMAGE) {
            long t = images[grid * 3];
            long gh = images[grid * 3 + 1] / merge;
            long gw = images[grid * 3 + 2] / merge;
            return new RopeIndexException(where, "image block of " + count + " tokens, but image_grid_thw[" + grid + "] = "
                    + triple(images, grid * 3) + " with spatial_merge_size " + merge + " needs t·(h/m)·(w/m) = "
                    + t + "·" + gh + "·" + gw + " = " + t * gh * gw);
        }
        long gh = videos[grid * 3 + 1] / merge;
        long gw = videos[grid * 3 + 2] / merge;
        return new RopeIndexException(where, "video block of " + count + " tokens, but frame " + frame
                + " of video_grid_thw[" + grid + "] = " + triple(videos, grid * 3) + " with spatial_merge_size " + merge
                + " needs (h/m)·(w/m) = " + gh + "·" + gw + " = " + gh * gw + " (each frame is one block)");
    }

    private static RopeIndexException tooFewGrids(RopeIndexInput in, String field, long[] grids, long used, int b, int s) {
        String what = field.startsWith("image")
                ? "has " + count(grids.length / 3, "grid") + ", but " + in.kind().field() + " hold more image blocks"
                : describeVideos(grids) + ", but " + in.kind().field() + " hold more video blocks (one per frame)";
        return new RopeIndexException(field, what + ": block " + (used + 1) + " starts at " + in.kind().field()
                + "[" + b + "][" + s + "]");
    }

    private static String describeVideos(long[] videos) {
        long frames = 0;
        for (int g = 0; g < videos.length; g += 3) {
            frames += videos[g];
        }
        return "has " + count(videos.length / 3, "video") + " with " + count(frames, "frame") + " in all";
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String triple(long[] grids, int g) {
        return "(" + grids[g] + ", " + grids[g + 1] + ", " + grids[g + 2] + ")";
    }
}
