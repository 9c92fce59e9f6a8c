#pragma once
// A model shape no published LeViT has, for tests that must follow the layers as built: two stages with other
// key dims, heads and ratios than the first, a stage with no blocks of its own (only its subsample), MLPs
// switched off in the last stage and after the second subsample.
#include "levit/config.h"

namespace levit_test {

inline levit::Config irregularConfig() {
    levit::Config c = levit::Config::preset("128S", 5);
    c.name = "irregular";
    c.image_size = 112;
    c.hidden_sizes = {48, 96, 160};
    c.num_attention_heads = {2, 3, 5};
    c.depths = {2, 0, 3};
    c.key_dim = {8, 12, 20};
    c.attention_ratio = {2, 3, 1};
    c.mlp_ratio = {3, 2, 0};
    c.down_ops = {levit::DownOp{8, 6, 4, 2, 2}, levit::DownOp{16, 4, 2, 0, 2}, std::nullopt};
    c.preprocess.shortest_edge = c.preprocess.crop_height = c.preprocess.crop_width = 112;
    return c;
}

}  // namespace levit_test
