// The byte layout of the argument structs of graphfuse_kernels.h as this compiler lays them out.
#pragma once

namespace gf {

// One line per field, "struct field offset bytes" (an array field: its whole size), and one
// "struct sizeof 0 bytes" line per struct. The Java layouts (NativeLayouts) and the GPU scripts' ctypes
// structs are compared with it field by field, so a reordered, retyped or missing field is caught, not
// only a changed struct size.
const char* abi_layout_text();

} // namespace gf
