#include "attention_view.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "heatmap_widget.h"
#include "image_convert.h"

namespace levit::ui {

namespace {

const levit::AttentionMaps* findMaps(const InferenceResult& r, int block) {
    for (const auto& a : r.probe.attention)
        if (a.block == block) return &a;
    return nullptr;
}

double range(const std::vector<float>& v) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return v.empty() ? 0.0 : double(*hi) - double(*lo);
}

}  // namespace

AttentionView::AttentionView(QWidget* parent) : ModelView(parent) {
    block_box_ = new QComboBox(this);
    head_box_ = new QComboBox(this);
    auto* top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Block:"), this));
    top->addWidget(block_box_, 1);
    top->addWidget(new QLabel(tr("Head:"), this));
    top->addWidget(head_box_);
    top->addStretch(1);

    query_image_ = new HeatmapWidget(this);
    query_image_->setTitle(tr("click a query position"));
    query_image_->setGrid(true);
    content_ = new HeatmapWidget(this);
    position_ = new HeatmapWidget(this);
    probabilities_ = new HeatmapWidget(this);
    content_->setTitle(tr("content  q·k / √d"));
    position_->setTitle(tr("position  (learned bias)"));
    probabilities_->setTitle(tr("attention  softmax(content + position)"));
    by_offset_ = new HeatmapWidget(this);
    by_offset_->setTitle(tr("bias by offset (|dy| down, |dx| across)"));
    full_matrix_ = new HeatmapWidget(this);
    full_matrix_->setTitle(tr("bias as query × key matrix"));
    share_ = new QLabel(this);
    share_->setWordWrap(true);
    share_->setToolTip(tr("position share = range(bias row) / (range(bias row) + range(content row)), "
                          "the ranges over the keys of the selected query"));
    QFont f = share_->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    share_->setFont(f);
    hint_ = new QLabel(tr("Classify an image to see where each query looks. The learned biases are shown for any model."), this);

    auto* grid = new QGridLayout();
    grid->addWidget(query_image_, 0, 0);
    grid->addWidget(content_, 0, 1);
    grid->addWidget(position_, 0, 2);
    grid->addWidget(probabilities_, 0, 3);
    grid->addWidget(by_offset_, 1, 0, 1, 2);
    grid->addWidget(full_matrix_, 1, 2, 1, 2);
    for (int c = 0; c < 4; ++c) grid->setColumnStretch(c, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(hint_);
    layout->addLayout(grid, 1);
    layout->addWidget(share_);

    connect(block_box_, qOverload<int>(&QComboBox::activated), this, &AttentionView::selectBlock);
    connect(head_box_, qOverload<int>(&QComboBox::activated), this, &AttentionView::selectHead);
    connect(query_image_, &HeatmapWidget::cellClicked, this, &AttentionView::selectQuery);
    for (HeatmapWidget* w : {content_, position_, probabilities_})
        connect(w, &HeatmapWidget::cellHovered, this, [this, w](int r, int c, float v) {
            share_->setToolTip(tr("%1 at key (%2, %3): %4").arg(w == content_ ? tr("content") : w == position_ ? tr("bias") : tr("attention")).arg(r).arg(c).arg(v, 0, 'g', 4));
        });
}

levit::Probe AttentionView::probeNeeded() const {
    levit::Probe p;
    p.attention = true;
    p.attention_blocks = {block_};
    return p;
}

void AttentionView::setColormap(const QString& name) {
    colormap_ = Colormap(name);
    refresh();
}

void AttentionView::rebuildSelectors() {
    block_box_->clear();
    if (!model_) return;
    for (const auto& b : model_->attentionBlocks()) {
        const QString kind = b.kind == levit::BlockKind::AttentionSubsample
                                 ? tr("subsample %1×%1 → %2×%2").arg(b.resolution_in).arg(b.resolution_out)
                                 : tr("attention %1×%1").arg(b.resolution_in);
        block_box_->addItem(tr("stage %1 · layer %2 · %3 · %4 heads").arg(b.stage).arg(b.layer).arg(kind).arg(b.heads));
    }
}

void AttentionView::showResult(const InferenceResultPtr& result) {
    if (result->model != model_) {
        model_ = result->model;
        block_ = head_ = query_row_ = query_col_ = 0;
        rebuildSelectors();
    }
    result_ = result;
    hint_->setVisible(!findMaps(*result, block_));
    refresh();
}

void AttentionView::clearResult() {
    result_.reset();
    hint_->show();
    refresh();
}

void AttentionView::selectBlock(int block) {
    if (!model_ || block < 0 || block >= int(model_->attentionBlocks().size())) return;
    const bool changed = block != block_;
    block_ = block;
    block_box_->setCurrentIndex(block);
    const auto& info = model_->attentionBlocks()[block];
    head_ = std::min(head_, info.heads - 1);
    query_row_ = std::min(query_row_, info.resolution_out - 1);
    query_col_ = std::min(query_col_, info.resolution_out - 1);
    refresh();
    if (changed) emit probeChanged();
}

void AttentionView::selectHead(int head) {
    if (!model_ || head < 0 || head >= model_->attentionBlocks()[block_].heads) return;
    head_ = head;
    refresh();
}

void AttentionView::selectQuery(int row, int col) {
    if (!model_) return;
    const int r = model_->attentionBlocks()[block_].resolution_out;
    if (row < 0 || col < 0 || row >= r || col >= r) return;
    query_row_ = row;
    query_col_ = col;
    refresh();
}

std::vector<float> AttentionView::shownContent() const { return content_->values(); }
std::vector<float> AttentionView::shownPosition() const { return position_->values(); }
std::vector<float> AttentionView::shownProbabilities() const { return probabilities_->values(); }

void AttentionView::refresh() {
    if (!model_) return;
    const auto& info = model_->attentionBlocks()[block_];
    if (head_box_->count() != info.heads) {
        head_box_->clear();
        for (int h = 0; h < info.heads; ++h) head_box_->addItem(tr("head %1").arg(h));
    }
    head_box_->setCurrentIndex(head_);
    block_box_->setCurrentIndex(block_);
    const levit::BiasTables bias = model_->biasTables(block_);
    const int nq = bias.queries, nk = bias.keys, ri = info.resolution_in, ro = info.resolution_out;
    const Colormap diverging("coolwarm");

    // Static: the learned bias of this head, by offset and as the whole matrix.
    std::vector<float> offsets(bias.by_offset.begin() + size_t(head_) * bias.offset_rows * bias.offset_cols,
                               bias.by_offset.begin() + size_t(head_ + 1) * bias.offset_rows * bias.offset_cols);
    by_offset_->setColormap(diverging);
    by_offset_->setData(bias.offset_rows, bias.offset_cols, std::move(offsets));
    std::vector<float> matrix(bias.expanded.begin() + size_t(head_) * nq * nk, bias.expanded.begin() + size_t(head_ + 1) * nq * nk);
    full_matrix_->setColormap(diverging);
    full_matrix_->setData(nq, nk, std::move(matrix));

    const int q = query_row_ * ro + query_col_;
    std::vector<float> position(bias.expanded.begin() + (size_t(head_) * nq + q) * nk,
                                bias.expanded.begin() + (size_t(head_) * nq + q + 1) * nk);
    const QImage image = result_ ? toQImage(result_->model_input) : QImage();
    query_image_->setBackground(image, 0.0);
    query_image_->setData(ro, ro, std::vector<float>(size_t(ro) * ro, 0.0f));
    query_image_->setMarker(query_row_, query_col_);
    position_->setColormap(diverging);
    position_->setData(ri, ri, position);
    position_->setBackground(image, 0.65);
    // The query's own cell on the key grid (a subsample query sits at stride x its position).
    const int key_row = query_row_ * info.stride, key_col = query_col_ * info.stride;
    position_->setMarker(key_row, key_col);

    const levit::AttentionMaps* maps = result_ ? findMaps(*result_, block_) : nullptr;
    if (!maps) {
        content_->setData(0, 0, {});
        probabilities_->setData(0, 0, {});
        share_->setText(result_ ? tr("Computing attention for this block…") : tr("No image yet: the position term is the learned bias alone."));
        return;
    }
    const size_t row = (size_t(head_) * nq + q) * nk;  // image 0
    std::vector<float> content(maps->content.begin() + row, maps->content.begin() + row + nk);
    std::vector<float> probs(maps->probabilities.begin() + row, maps->probabilities.begin() + row + nk);
    content_->setColormap(diverging);
    content_->setData(ri, ri, content);
    content_->setBackground(image, 0.65);
    content_->setMarker(key_row, key_col);
    probabilities_->setColormap(colormap_);
    probabilities_->setData(ri, ri, probs, 0.0f, *std::max_element(probs.begin(), probs.end()));
    probabilities_->setBackground(image, 0.7);
    probabilities_->setMarker(key_row, key_col);
    const double pr = range(position), cr = range(content);
    position_share_ = pr + cr > 0 ? pr / (pr + cr) : 0;
    share_->setText(tr("Query (%1, %2) of %3×%3, head %4: %5% of the logit range comes from position, %6% from content.")
                        .arg(query_row_).arg(query_col_).arg(ro).arg(head_)
                        .arg(position_share_ * 100, 0, 'f', 0).arg((1 - position_share_) * 100, 0, 'f', 0));
}

}  // namespace levit::ui
