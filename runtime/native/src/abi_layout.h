// The byte layout of the argument structs of graphfuse_kernels.h as this compiler lays them out.
#pragma once

namespace gf {

// One line per field, "struct field offset bytes kind" (an array field: its whole size; kind ptr, i32, i64
// or f32, of an array its elements'), and one "struct sizeof 0 bytes -" line per struct, made from the
// header's field lists. The Java layouts (NativeLayouts, generated from this report) and the GPU scripts'
// ctypes structs (read from the header) are compared with it field by field, so a reordered, retyped or
// missing field is caught, not only a changed struct size.
const char* abi_layout_text();

} // namespace gf
