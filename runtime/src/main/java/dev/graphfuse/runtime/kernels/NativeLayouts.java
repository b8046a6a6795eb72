// GENERATED from the compiled layout report of runtime/native/include/graphfuse_kernels.h (gf_abi_layout)
// by NativeLayoutsTest. Do not edit: change the header's field lists, then run
//   mvn -B -o test -pl runtime -am -Dtest=NativeLayoutsTest -Dsurefire.failIfNoSpecifiedTests=false -Dgraphfuse.abi.update=true
package dev.graphfuse.runtime.kernels;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The argument structs of graphfuse_kernels.h as FFM layouts, field for field, and the header's ABI version.
 * Their sizes are checked against the library's gf_args_size() when it loads.
 */
final class NativeLayouts {
    /** GF_ABI_VERSION of the header these layouts were generated from. */
    static final int ABI_VERSION = 2;

    static final StructLayout ROPE_ARGS = MemoryLayout.structLayout(
            JAVA_LONG.withName("struct_size"),
            JAVA_INT.withName("dtype"),
            JAVA_INT.withName("weight_dtype"),
            JAVA_LONG.withName("batch"),
            JAVA_LONG.withName("seq"),
            JAVA_INT.withName("num_q_heads"),
            JAVA_INT.withName("num_k_heads"),
            JAVA_INT.withName("head_dim"),
            JAVA_INT.withName("rotary_dim"),
            JAVA_INT.withName("interleaved"),
            JAVA_INT.withName("has_norm"),
            JAVA_FLOAT.withName("epsilon"),
            JAVA_FLOAT.withName("weight_offset"),
            ADDRESS.withName("q"),
            ADDRESS.withName("q_out"),
            ADDRESS.withName("k"),
            ADDRESS.withName("k_out"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("q_stride"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("q_out_stride"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("k_stride"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("k_out_stride"),
            ADDRESS.withName("q_weight"),
            ADDRESS.withName("k_weight"),
            ADDRESS.withName("q_bias"),
            ADDRESS.withName("k_bias"),
            JAVA_LONG.withName("weight_head_stride"),
            JAVA_LONG.withName("bias_head_stride"),
            JAVA_INT.withName("angle_source"),
            JAVA_INT.withName("table_dtype"),
            ADDRESS.withName("cos"),
            ADDRESS.withName("sin"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("table_stride"),
            JAVA_INT.withName("table_width"),
            JAVA_INT.withName("position_rows"),
            JAVA_INT.withName("position_dtype"),
            JAVA_INT.withName("mrope_interleaved"),
            ADDRESS.withName("positions"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("position_stride"),
            JAVA_LONG.withName("max_position"),
            ADDRESS.withName("inv_freq"),
            JAVA_FLOAT.withName("attention_scaling"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("mrope_section"),
            ADDRESS.withName("status"));

    static final StructLayout NORM_ARGS = MemoryLayout.structLayout(
            JAVA_LONG.withName("struct_size"),
            JAVA_INT.withName("dtype"),
            JAVA_INT.withName("out_dtype"),
            JAVA_INT.withName("weight_dtype"),
            JAVA_INT.withName("gated"),
            JAVA_LONG.withName("rows"),
            JAVA_LONG.withName("n"),
            JAVA_FLOAT.withName("epsilon"),
            JAVA_FLOAT.withName("weight_offset"),
            ADDRESS.withName("x"),
            ADDRESS.withName("z"),
            ADDRESS.withName("out"),
            ADDRESS.withName("weight"),
            JAVA_LONG.withName("x_row_stride"),
            JAVA_LONG.withName("z_row_stride"),
            JAVA_LONG.withName("out_row_stride"));

    private NativeLayouts() {
    }

    /** Byte offset of a named field (array fields: of element 0). */
    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
