// The split and wide kernels' item plan (src/rope_items.cuh), run on the host: for launch shapes around every
// boundary the planner has (few tokens, whole tokens, split ends, split heads), each (token, step) belongs to
// exactly one item, items' steps lie inside their token, and no item is empty. A wrong plan shows on a GPU
// only as heads left unwritten or written twice; here it fails without one.
#include <cstdio>
#include <vector>

#include "rope_items.cuh"

using gf::rope::ItemPlan;
using gf::rope::plan_items;
using gf::rope::steps_per_warp;

static int check(int64_t tokens, int total, int64_t want, bool one_wave, int tail_pct, int tail_items,
                 int head_pct) {
    const int64_t spi = steps_per_warp(tokens, total, want, one_wave);
    const ItemPlan p = plan_items(tokens, total, spi, want, tail_pct, tail_items, head_pct);
    std::vector<int> seen(static_cast<size_t>(tokens * total), 0);
    for (int64_t item = 0; item < p.items; item++) {
        int64_t tok;
        int lo, hi;
        p.locate(item, tok, lo, hi);
        if (tok < 0 || tok >= tokens || lo < 0 || hi > total || lo >= hi) {
            std::printf("FAIL tokens=%lld total=%d want=%lld tail=%d/%d head=%d: item %lld -> token %lld [%d, %d)\n",
                        (long long)tokens, total, (long long)want, tail_pct, tail_items, head_pct, (long long)item,
                        (long long)tok, lo, hi);
            return 1;
        }
        for (int st = lo; st < hi; st++) seen[static_cast<size_t>(tok * total + st)]++;
    }
    for (int64_t i = 0; i < tokens * total; i++) {
        if (seen[static_cast<size_t>(i)] != 1) {
            std::printf("FAIL tokens=%lld total=%d want=%lld tail=%d/%d head=%d: token %lld step %lld taken %d times\n",
                        (long long)tokens, total, (long long)want, tail_pct, tail_items, head_pct,
                        (long long)(i / total), (long long)(i % total), seen[static_cast<size_t>(i)]);
            return 1;
        }
    }
    return 0;
}

int main() {
    int fails = 0, runs = 0;
    const int64_t tokens[] = {1, 2, 7, 31, 32, 33, 255, 1000, 3167, 3168, 3169, 4097, 9001, 20000};
    const int totals[] = {1, 2, 3, 5, 10, 20, 21};
    const int64_t wants[] = {1, 96, 3168};
    const int tails[][3] = {{0, 2, 0}, {25, 2, 0}, {25, 2, 25}, {50, 4, 0}, {100, 4, 25}, {1000000, 4, 0}, {25, 64, 0}};
    for (int64_t t : tokens)
        for (int total : totals)
            for (int64_t w : wants)
                for (const auto& tl : tails)
                    for (int one_wave = 0; one_wave < 2; one_wave++) {
                        fails += check(t, total, w, one_wave != 0, tl[0], tl[1], tl[2]);
                        runs++;
                    }
    std::printf("%d of %d item plans cover every (token, step) once\n", runs - fails, runs);
    return fails == 0 ? 0 : 1;
}
