// Packed vectors: EPL elements of T loaded or stored as one 4-, 8- or 16-byte access.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

namespace gf {

template <int BYTES> struct VecOf;
template <> struct VecOf<4> { using type = uint32_t; };
template <> struct VecOf<8> { using type = uint2; };
template <> struct VecOf<16> { using type = uint4; };

template <typename T, int EPL> struct Packed {
    using V = typename VecOf<EPL * sizeof(T)>::type;
    union {
        V v;
        T e[EPL];
    };
};

} // namespace gf
