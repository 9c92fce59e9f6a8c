#include "levit/probe.h"

#include <algorithm>

namespace levit {

Probe mergeProbes(const Probe& a, const Probe& b) {
    Probe p;
    p.hidden_states = a.hidden_states || b.hidden_states;
    p.layer_outputs = a.layer_outputs || b.layer_outputs;
    p.patch_embed_convs = a.patch_embed_convs || b.patch_embed_convs;
    p.bias_tables = a.bias_tables || b.bias_tables;
    p.timings = a.timings || b.timings;
    p.attention = a.attention || b.attention;
    // An empty block list means "all blocks"; it wins over any explicit list. A probe that does not ask
    // for attention contributes no blocks.
    const bool a_all = a.attention && a.attention_blocks.empty();
    const bool b_all = b.attention && b.attention_blocks.empty();
    if (p.attention && !a_all && !b_all) {
        if (a.attention) p.attention_blocks = a.attention_blocks;
        if (b.attention) p.attention_blocks.insert(p.attention_blocks.end(), b.attention_blocks.begin(), b.attention_blocks.end());
        std::sort(p.attention_blocks.begin(), p.attention_blocks.end());
        p.attention_blocks.erase(std::unique(p.attention_blocks.begin(), p.attention_blocks.end()), p.attention_blocks.end());
    }
    return p;
}

}  // namespace levit
