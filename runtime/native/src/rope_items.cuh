// How the split and wide kernels share a launch's tokens out among warps: one item per warp, an item being
// a token's steps [lo, hi) (a step is the heads one warp access covers; Q steps first, then K steps).
//
// Many tokens: a warp takes a whole token, so that the token's angles are read once for all its heads. But
// whole tokens end the grid unevenly: the last blocks start while others are mid-token, and the SMs idle
// for up to one token's time at the end. So the last `tail_pct` % of a wave's worth of tokens are split into
// `tail_items` shorter items each, placed last, and optionally the first `head_pct` % too, so that the first
// wave's warps do not all finish at once. Few tokens: every token is split, into as many items as the
// resident warps need.
#pragma once

#include <stdint.h>

#include "rope_common.cuh"

namespace gf::rope {

struct ItemPlan {
    int total;            // steps of a token
    int steps_per_item;   // of a split token's items (its last item may be shorter)
    int items_per_token;  // of a split token: ceil(total / steps_per_item)
    int64_t head_tokens;  // tokens [0, head_tokens) are split,
    int64_t whole_tokens; // [head_tokens, whole_tokens) are whole, [whole_tokens, tokens) split
    int64_t items;

    // Item -> its token and steps [lo, hi). Split tokens first, whole ones, then split ones again.
    __host__ __device__ __forceinline__ void locate(int64_t item, int64_t& tok, int& lo, int& hi) const {
        const int64_t head_items = head_tokens * items_per_token;
        const int64_t first = item < head_items ? 0 : whole_tokens;
        const int64_t r = item < head_items ? item : item - head_items - (whole_tokens - head_tokens);
        if (item < head_items || r >= 0) {
            tok = first + div_index(r, items_per_token);
            lo = static_cast<int>(r - (tok - first) * items_per_token) * steps_per_item;
            hi = lo + steps_per_item < total ? lo + steps_per_item : total;
        } else {
            tok = item - head_items + head_tokens;
            lo = 0;
            hi = total;
        }
    }
};

// The plan for `tokens` tokens of `total` steps, `spi` steps an item as the kernel asked (spi == total: whole
// tokens), `want` the resident warps. Whole tokens get the split ends described above; `head_pct` applies
// only where there is a tail.
inline ItemPlan plan_items(int64_t tokens, int total, int64_t spi, int64_t want, int tail_pct, int tail_items,
                           int head_pct) {
    ItemPlan p{};
    p.total = total;
    p.items_per_token = static_cast<int>((total + spi - 1) / spi);
    if (p.items_per_token == 1 && tail_pct > 0) {
        const int64_t tail = want * tail_pct / 100;
        p.whole_tokens = tokens > tail ? tokens - tail : 0;
        p.items_per_token = tail_items < total ? tail_items : total;
        if (head_pct > 0 && p.whole_tokens > 0) {
            const int64_t head = want * head_pct / 100;
            p.head_tokens = head < p.whole_tokens ? head : p.whole_tokens;
        }
    }
    // then as many items as those steps need: 4 items of a 5-step token are 2 + 2 + 1, and no empty fourth
    p.steps_per_item = (total + p.items_per_token - 1) / p.items_per_token;
    p.items_per_token = (total + p.steps_per_item - 1) / p.steps_per_item;
    p.items = p.head_tokens * p.items_per_token + (p.whole_tokens - p.head_tokens) +
              (tokens - p.whole_tokens) * p.items_per_token;
    return p;
}

} // namespace gf::rope
