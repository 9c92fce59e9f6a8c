// Attention rollout for LeViT (after Abnar and Zuidema 2020, "Quantifying attention flow in transformers").
//
// LeViT has no class token: the heads read the MEAN of the final tokens, and two kinds of attention block
// change the token grid. The rollout keeps a row-stochastic matrix R (current tokens x patch tokens of the
// patch embedding's grid, S/16 x S/16) that says how much of each current token comes from each patch token,
// starting from R = I, and composes, in forward order:
//   - LevitAttention (residual, queries = keys = the current grid): x + Attn(x). With A the attention
//     probabilities averaged over heads (rows sum to 1), the residual path counts as much as the attention
//     path, as in the original recipe: R <- (A + I) / 2 R.
//   - LevitAttentionSubsample (queries on every stride-th token of the key grid, keys on the full grid, no
//     residual: its output lives on the smaller grid and is made only of attention-weighted values):
//     R <- A R, with A of shape (queries on the strided grid) x (keys on the full grid). The query token's
//     own content only shapes the weights, so it gets no identity term.
//   - MLP blocks (residual, token-wise: they mix channels, never tokens): R unchanged.
//   - The final mean pooling: every final token counts 1/T: r = (1/T) 1^T R, a distribution over patch tokens.
// Assumptions (why rollout is a heuristic, and why its faithfulness is measured, not assumed): value vectors,
// projections, BatchNorms and MLPs are taken as mixing tokens in proportion to the attention weights only (their
// magnitudes and signs are ignored); heads count equally; the patch embedding's convolutions (whose receptive
// fields overlap the neighbouring 16 px cells) are treated as mapping each 16 px cell to its own token. The map
// depends on neither the class nor the head: it shows where the model gathers information, not what supports
// a class. r on the patch grid is upsampled bilinearly to S x S.
#include <Eigen/Core>

#include "explain_impl.h"
#include "levit/error.h"

namespace levit {

SquareMap Explainer::rollout(std::span<const float> pixels) {
    Probe probe;
    probe.attention = true;
    ProbeResult result;
    impl_->session.run(pixels, 1, probe, &result);
    const std::vector<AttentionBlockInfo>& blocks = impl_->model->attentionBlocks();
    const int side0 = config().image_size / config().patch_size;
    Eigen::MatrixXd rollout = Eigen::MatrixXd::Identity(side0 * side0, side0 * side0);
    for (const AttentionMaps& maps : result.attention) {
        const AttentionBlockInfo& info = blocks[size_t(maps.block)];
        if (maps.keys != rollout.rows()) throw Error("attention block " + info.name + " does not follow the token grid");
        Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(maps.queries, maps.keys);
        for (int h = 0; h < maps.heads; ++h)
            for (int q = 0; q < maps.queries; ++q)
                for (int k = 0; k < maps.keys; ++k)
                    mean(q, k) += maps.probabilities[(size_t(h) * maps.queries + q) * maps.keys + k] / maps.heads;
        if (info.kind == BlockKind::Attention) mean = 0.5 * (mean + Eigen::MatrixXd::Identity(maps.queries, maps.keys));
        rollout = mean * rollout;
    }
    const Eigen::VectorXd pooled = rollout.colwise().mean().transpose();
    SquareMap grid{side0, std::vector<float>(size_t(side0) * side0)};
    for (int i = 0; i < side0 * side0; ++i) grid.values[size_t(i)] = float(pooled(i));
    return upsampleGrid(grid, config().image_size);
}

}  // namespace levit
