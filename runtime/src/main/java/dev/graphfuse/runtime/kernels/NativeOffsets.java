package dev.graphfuse.runtime.kernels;

/** Byte offsets of every field of the header's argument structs, computed once from {@link NativeLayouts}. */
final class NativeOffsets {
    static final long ROPE_STRUCT_SIZE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "struct_size");
    static final long ROPE_DTYPE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "dtype");
    static final long ROPE_WEIGHT_DTYPE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "weight_dtype");
    static final long ROPE_BATCH = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "batch");
    static final long ROPE_SEQ = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "seq");
    static final long ROPE_NUM_Q_HEADS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "num_q_heads");
    static final long ROPE_NUM_K_HEADS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "num_k_heads");
    static final long ROPE_HEAD_DIM = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "head_dim");
    static final long ROPE_ROTARY_DIM = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "rotary_dim");
    static final long ROPE_INTERLEAVED = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "interleaved");
    static final long ROPE_HAS_NORM = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "has_norm");
    static final long ROPE_EPSILON = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "epsilon");
    static final long ROPE_WEIGHT_OFFSET = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "weight_offset");
    static final long ROPE_Q = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "q");
    static final long ROPE_Q_OUT = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "q_out");
    static final long ROPE_K = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "k");
    static final long ROPE_K_OUT = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "k_out");
    static final long ROPE_Q_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "q_stride");
    static final long ROPE_Q_OUT_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "q_out_stride");
    static final long ROPE_K_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "k_stride");
    static final long ROPE_K_OUT_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "k_out_stride");
    static final long ROPE_Q_WEIGHT = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "q_weight");
    static final long ROPE_K_WEIGHT = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "k_weight");
    static final long ROPE_ANGLE_SOURCE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "angle_source");
    static final long ROPE_TABLE_DTYPE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "table_dtype");
    static final long ROPE_COS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "cos");
    static final long ROPE_SIN = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "sin");
    static final long ROPE_TABLE_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "table_stride");
    static final long ROPE_TABLE_WIDTH = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "table_width");
    static final long ROPE_POSITION_ROWS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "position_rows");
    static final long ROPE_POSITION_DTYPE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "position_dtype");
    static final long ROPE_MROPE_INTERLEAVED = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "mrope_interleaved");
    static final long ROPE_POSITIONS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "positions");
    static final long ROPE_POSITION_STRIDE = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "position_stride");
    static final long ROPE_MAX_POSITION = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "max_position");
    static final long ROPE_INV_FREQ = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "inv_freq");
    static final long ROPE_ATTENTION_SCALING = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "attention_scaling");
    static final long ROPE_MROPE_SECTION = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "mrope_section");
    static final long ROPE_STATUS = NativeLayouts.offset(NativeLayouts.ROPE_ARGS, "status");

    static final long NORM_STRUCT_SIZE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "struct_size");
    static final long NORM_DTYPE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "dtype");
    static final long NORM_OUT_DTYPE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "out_dtype");
    static final long NORM_WEIGHT_DTYPE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "weight_dtype");
    static final long NORM_GATED = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "gated");
    static final long NORM_ROWS = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "rows");
    static final long NORM_N = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "n");
    static final long NORM_EPSILON = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "epsilon");
    static final long NORM_WEIGHT_OFFSET = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "weight_offset");
    static final long NORM_X = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "x");
    static final long NORM_Z = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "z");
    static final long NORM_OUT = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "out");
    static final long NORM_WEIGHT = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "weight");
    static final long NORM_X_ROW_STRIDE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "x_row_stride");
    static final long NORM_Z_ROW_STRIDE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "z_row_stride");
    static final long NORM_OUT_ROW_STRIDE = NativeLayouts.offset(NativeLayouts.NORM_ARGS, "out_row_stride");

    private NativeOffsets() {
    }
}
