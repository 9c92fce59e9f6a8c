#include "attention_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "attention_overview.h"
#include "color_bar.h"
#include "explained_heatmap.h"
#include "heatmap_widget.h"
#include "image_convert.h"

namespace levit::ui {

namespace {

// Results that may still arrive without the maps after the view asked for them: live frames already
// submitted with the previous probe. After that many the view stops saying "computing".
constexpr int kResultsInFlight = 4;

const levit::AttentionMaps* findMaps(const InferenceResult& r, int block) {
    for (const auto& a : r.probe.attention)
        if (a.block == block) return &a;
    return nullptr;
}

double range(const std::vector<float>& v) {
    if (v.empty()) return 0.0;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return double(*hi) - double(*lo);
}

// 1-based "row 3, col 5 of 14×14", as a person counts.
QString cellText(int row, int col, int side) {
    return QObject::tr("row %1, col %2 of %3×%3").arg(row + 1).arg(col + 1).arg(side);
}

// At most about `wanted` labelled ticks over `count` entries, `every` entries apart at least; labels 1-based.
std::vector<HeatmapWidget::Tick> gridTicks(int count, int every, int wanted, int label_base) {
    std::vector<HeatmapWidget::Tick> ticks;
    const int groups = (count + every - 1) / every;
    const int step = std::max(1, (groups + wanted - 1) / wanted);
    for (int g = 0; g < groups; g += step) ticks.push_back({g * every, QString::number(g + label_base)});
    return ticks;
}

}  // namespace

AttentionView::AttentionView(QWidget* parent) : ModelView(parent) {
    block_box_ = new QComboBox(this);
    block_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    head_box_ = new QComboBox(this);
    raw_content_ = new QCheckBox(tr("Raw content values"), this);
    raw_content_->setToolTip(tr("Off: the content term relative to the query's mean (what softmax responds to). On: q·k/√d as computed."));
    overview_button_ = new QToolButton(this);
    overview_button_->setText(tr("All blocks × heads"));
    overview_button_->setCheckable(true);
    overview_button_->setToolTip(tr("Every block and head of the model at once; click one to open it"));
    auto* top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Block:"), this));
    top->addWidget(block_box_);
    top->addWidget(new QLabel(tr("Head:"), this));
    top->addWidget(head_box_);
    top->addWidget(raw_content_);
    top->addStretch(1);
    top->addWidget(overview_button_);

    buildPanels();
    share_ = new QLabel(this);
    share_->setWordWrap(true);
    share_->setToolTip(tr("position share = range(bias row) / (range(bias row) + range(content row)), "
                          "the ranges over the keys of the selected query"));
    readout_ = new QLabel(this);
    readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hint_ = new QLabel(tr("Classify an image to see where each patch looks. The learned biases are shown for any model."), this);
    hint_->setWordWrap(true);

    overview_ = new AttentionOverview(this);
    auto* overview_scroll = new QScrollArea(this);
    overview_scroll->setWidget(overview_);
    overview_scroll->setWidgetResizable(true);
    overview_scroll->setFrameShape(QFrame::NoFrame);
    pages_ = new QStackedWidget(this);
    auto* details = new QWidget(this);
    auto* grid = new QGridLayout(details);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(query_image_, 0, 0);
    grid->addWidget(content_, 0, 1);
    grid->addWidget(position_, 0, 2);
    grid->addWidget(probabilities_, 0, 3);
    grid->addWidget(by_offset_, 1, 0, 1, 2);
    grid->addWidget(full_matrix_, 1, 2, 1, 2);
    for (int c = 0; c < 4; ++c) grid->setColumnStretch(c, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    pages_->addWidget(details);
    pages_->addWidget(overview_scroll);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(hint_);
    layout->addWidget(pages_, 1);
    layout->addWidget(share_);
    layout->addWidget(readout_);
    resetReadout();

    connect(block_box_, qOverload<int>(&QComboBox::activated), this, &AttentionView::selectBlock);
    connect(head_box_, qOverload<int>(&QComboBox::activated), this, &AttentionView::selectHead);
    connect(raw_content_, &QCheckBox::toggled, this, [this](bool raw) { setContentRelativeToMean(!raw); });
    connect(overview_button_, &QToolButton::toggled, this, &AttentionView::setOverviewShown);
    connect(overview_, &AttentionOverview::cellSelected, this, [this](int block, int head) {
        selectBlock(block);
        selectHead(head);
        setOverviewShown(false);
    });
    connect(query_image_->map(), &HeatmapWidget::cellClicked, this, &AttentionView::selectQuery);
    connectHover();
}

void AttentionView::buildPanels() {
    const QString more = tr("red: more"), less = tr("blue: less");
    query_image_ = new ExplainedHeatmap(this);
    query_image_->setTitle(tr("Click a patch: where does it look?"));
    query_image_->setExplanation(tr(
        "The model cuts the image into patches (tokens) on a grid, shown here. In an attention block every patch, "
        "the <i>query</i>, gathers information from all patches, the <i>keys</i>. Click a patch to see where it looks. "
        "In a subsample block (the grid shrinks, e.g. 14×14 → 7×7) the queries sit on the coarser grid and the keys "
        "on the finer one."));
    query_image_->setColorBarVisible(false);
    query_image_->map()->setGrid(true);

    content_ = new ExplainedHeatmap(this);
    content_->setTitle(tr("What the patch looks for, by content"));
    content_->setLegend(more, less);
    content_->setExplanation(tr(
        "The <b>content term</b> q·k/√d: the query vector q of the chosen patch times the key vector k of every patch, "
        "divided by √d (d = key_dim). It depends on the image. <b>softmax</b> ignores any constant added to all keys of "
        "one query, so by default each value is shown relative to this query's mean (the mean is 0): only the "
        "differences decide where the patch looks. Tick <i>Raw content values</i> to see q·k/√d itself. "
        "Red: a better match than average, blue: a worse one."));
    position_ = new ExplainedHeatmap(this);
    position_->setTitle(tr("Preference by position (learned)"));
    position_->setLegend(more, less);
    position_->setExplanation(tr(
        "The <b>position term</b>, LeViT's learned <b>attention bias</b>: one number per head for every relative "
        "offset (|dy|, |dx|) between the query and a key. It is added to the content term before softmax and does not "
        "depend on the image. Red raises the attention paid to that patch, blue lowers it."));
    probabilities_ = new ExplainedHeatmap(this);
    probabilities_->setTitle(tr("How much each image patch is looked at"));
    probabilities_->setLegend(tr("most"), tr("least"));
    probabilities_->setExplanation(tr(
        "The <b>attention weights</b> softmax(q·k/√d + bias) over all keys of the chosen query. They are positive and "
        "sum to 1 (100%): the share of each patch's value vector that the chosen patch mixes in. Bright: looked at a "
        "lot; dark: almost ignored. Scale from 0 to the largest weight."));
    by_offset_ = new ExplainedHeatmap(this);
    by_offset_->setTitle(tr("Preference by distance between patches"));
    by_offset_->setLegend(more, less);
    by_offset_->setExplanation(tr(
        "The learned <b>attention bias</b> of this head for every <b>relative offset</b>: |dy| rows down, |dx| columns "
        "across between query and key. Offset (0, 0) is the patch itself. Grey: no pair of patches is that far apart "
        "on this grid. This small table is the whole position term; the matrix beside it spreads it over every "
        "query/key pair."));
    full_matrix_ = new ExplainedHeatmap(this);
    full_matrix_->setTitle(tr("Every patch's preference for every other (query × key)"));
    full_matrix_->setLegend(more, less);
    full_matrix_->setShowScale(true);
    full_matrix_->setExplanation(tr(
        "The same <b>attention bias</b> as a <b>query × key matrix</b>: a row per query patch, a column per key patch, "
        "both numbered row by row across the grid (the ticks mark where each grid row starts). Repeating stripes "
        "appear because equal offsets get equal bias. Drawn with whole pixels per value, or <b>area-averaged</b> (each "
        "screen pixel is the mean of the values it covers) when the matrix has more values than the panel has pixels, "
        "so no moiré pattern appears; the note under the matrix says which."));
}

// Hovering any panel writes what is under the cursor, with its query, key or offset, into one readout line.
void AttentionView::connectHover() {
    for (ExplainedHeatmap* panel : panels())
        connect(panel->map(), &HeatmapWidget::hoverLeft, this, &AttentionView::resetReadout);
    connect(query_image_->map(), &HeatmapWidget::cellHovered, this, [this](int r, int c, float) {
        setReadout(tr("Patch %1: click to see where it looks.").arg(cellText(r, c, query_image_->map()->rows())));
    });
    struct KeyPanel {
        ExplainedHeatmap* panel;
        QString what;
    };
    for (const KeyPanel& k : {KeyPanel{content_, tr("Content term")}, KeyPanel{position_, tr("Position bias")},
                              KeyPanel{probabilities_, tr("Attention weight")}}) {
        connect(k.panel->map(), &HeatmapWidget::cellHovered, this, [this, k](int r, int c, float v) {
            const QString value = k.panel == probabilities_ ? tr("%1 (%2%)").arg(v, 0, 'g', 4).arg(v * 100.0, 0, 'f', 1)
                                                            : QString::number(v, 'g', 4);
            setReadout(tr("%1 from %2 to key patch %3: %4").arg(k.what, queryText(), cellText(r, c, k.panel->map()->rows()), value));
        });
    }
    connect(by_offset_->map(), &HeatmapWidget::cellHovered, this, [this](int r, int c, float v) {
        const QString value = std::isnan(v) ? tr("no two patches are this far apart") : QString::number(v, 'g', 4);
        setReadout(tr("Bias of head %1 for offset |dy| = %2, |dx| = %3: %4").arg(head_ + 1).arg(r).arg(c).arg(value));
    });
    connect(full_matrix_->map(), &HeatmapWidget::cellHovered, this, [this](int q, int k, float v) {
        if (!model_) return;
        const auto& info = model_->attentionBlocks()[size_t(block_)];
        const int ro = info.resolution_out, ri = info.resolution_in;
        setReadout(tr("Bias from query patch %1 (%2) to key patch %3 (%4): %5")
                       .arg(q + 1).arg(cellText(q / ro, q % ro, ro)).arg(k + 1).arg(cellText(k / ri, k % ri, ri)).arg(v, 0, 'g', 4));
    });
}

QList<ExplainedHeatmap*> AttentionView::panels() const {
    return {query_image_, content_, position_, probabilities_, by_offset_, full_matrix_};
}

const HeatmapWidget* AttentionView::queryImage() const { return query_image_->map(); }

QString AttentionView::hoverReadout() const { return readout_->text(); }

QString AttentionView::statusText() const { return share_->text(); }

void AttentionView::resetReadout() { readout_->setText(tr("Point at any map to read the value under the cursor.")); }

void AttentionView::setReadout(const QString& text) { readout_->setText(text); }

QString AttentionView::queryText() const {
    if (!model_) return {};
    return tr("query patch %1").arg(cellText(query_row_, query_col_, model_->attentionBlocks()[size_t(block_)].resolution_out));
}

QString AttentionView::blockName(int block) const {
    return model_ ? attentionBlockName(model_->attentionBlocks(), block) : QString();
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

void AttentionView::setContentRelativeToMean(bool relative) {
    content_relative_ = relative;
    raw_content_->setChecked(!relative);
    refresh();
}

void AttentionView::setOverviewShown(bool shown) {
    pages_->setCurrentIndex(shown ? 1 : 0);
    overview_button_->setChecked(shown);
}

bool AttentionView::overviewShown() const { return pages_->currentIndex() == 1; }

void AttentionView::rebuildSelectors() {
    block_box_->clear();
    if (!model_) return;
    const auto& blocks = model_->attentionBlocks();
    for (int b = 0; b < int(blocks.size()); ++b) {
        const auto& info = blocks[size_t(b)];
        const QString kind = info.kind == levit::BlockKind::AttentionSubsample
                                 ? tr("subsample %1×%1 → %2×%2 tokens").arg(info.resolution_in).arg(info.resolution_out)
                                 : tr("%1×%1 tokens").arg(info.resolution_in);
        block_box_->addItem(tr("%1 · %2 · %3 heads").arg(blockName(b), kind).arg(info.heads));
    }
}

// A new model: keep what the user chose where it still exists (the block clamped to the new model's last,
// the query at the same image point), and never wait for maps of a block the new model does not have.
void AttentionView::adoptModel(const std::shared_ptr<const levit::Model>& model) {
    model_ = model;
    const auto& blocks = model_->attentionBlocks();
    block_ = std::clamp(block_, 0, std::max(0, int(blocks.size()) - 1));
    if (!blocks.empty()) {
        head_ = std::clamp(head_, 0, blocks[size_t(block_)].heads - 1);
        moveQueryToGrid(blocks[size_t(block_)].resolution_out);
    }
    rebuildSelectors();
    overview_->setModel(model_);
    overview_->setSelection(block_, head_);
    resetReadout();
}

void AttentionView::showResult(const InferenceResultPtr& result) {
    if (result->model != model_) adoptModel(result->model);
    result_ = result;
    if (model_->attentionBlocks().empty()) return refresh();
    if (findMaps(*result, block_)) request_ = {};
    else askForMaps();
    refresh();
}

// The result lacks the selected block's maps (the model changed under the selection, or the request
// was made with another block): ask once; count the results that still come without them.
void AttentionView::askForMaps() {
    if (request_.model == model_.get() && request_.block == block_) {
        ++request_.results_without;
        return;
    }
    request_ = {model_.get(), block_, 0};
    emit probeChanged();
}

void AttentionView::clearResult() {
    result_.reset();
    refresh();
}

void AttentionView::placeQuery(int row, int col) {
    query_row_ = row;
    query_col_ = col;
    const int side = model_->attentionBlocks()[size_t(block_)].resolution_out;
    query_point_ = {(col + 0.5) / side, (row + 0.5) / side};
}

// The cell of `side` x `side` that holds the selected image point: the query stays on the same part of the
// picture when the grid changes (e.g. 14×14 → 7×7 at a subsample block), it is not clamped into a corner.
void AttentionView::moveQueryToGrid(int side) {
    query_row_ = std::clamp(int(std::floor(query_point_.y() * side)), 0, side - 1);
    query_col_ = std::clamp(int(std::floor(query_point_.x() * side)), 0, side - 1);
}

void AttentionView::selectBlock(int block) {
    if (block < 0) return;
    if (!model_) {  // before any result (the model graph opening a block): the first result's model clamps it
        block_ = block;
        return;
    }
    if (block >= int(model_->attentionBlocks().size())) return;
    const bool changed = block != block_;
    block_ = block;
    const auto& info = model_->attentionBlocks()[size_t(block)];
    head_ = std::min(head_, info.heads - 1);
    moveQueryToGrid(info.resolution_out);
    overview_->setSelection(block_, head_);
    resetReadout();
    const bool missing = result_ && !findMaps(*result_, block_);
    const bool ask = changed || (missing && request_.results_without >= kResultsInFlight);
    if (ask) request_ = {model_.get(), block_, 0};
    refresh();
    if (ask) emit probeChanged();
}

void AttentionView::selectHead(int head) {
    if (head < 0) return;
    if (!model_) {  // as selectBlock
        head_ = head;
        return;
    }
    if (head >= model_->attentionBlocks()[size_t(block_)].heads) return;
    head_ = head;
    overview_->setSelection(block_, head_);
    resetReadout();
    refresh();
}

void AttentionView::selectQuery(int row, int col) {
    if (!model_) return;
    const int r = model_->attentionBlocks()[size_t(block_)].resolution_out;
    if (row < 0 || col < 0 || row >= r || col >= r) return;
    placeQuery(row, col);
    refresh();
}

std::vector<float> AttentionView::shownContent() const { return content_->map()->values(); }
std::vector<float> AttentionView::shownPosition() const { return position_->map()->values(); }
std::vector<float> AttentionView::shownProbabilities() const { return probabilities_->map()->values(); }

void AttentionView::refresh() {
    hint_->setVisible(!result_);
    if (!model_ || model_->attentionBlocks().empty()) return;
    const auto& info = model_->attentionBlocks()[size_t(block_)];
    if (head_box_->count() != info.heads) {
        head_box_->clear();
        for (int h = 0; h < info.heads; ++h) head_box_->addItem(tr("Head %1").arg(h + 1));
    }
    head_box_->setCurrentIndex(head_);
    block_box_->setCurrentIndex(block_);
    const levit::BiasTables bias = model_->biasTables(block_);
    showBias(bias);
    showQueryAndPosition(bias);
    showImageTerms(bias);
}

// Static: the learned bias of this head, by offset and as the whole query x key matrix, with ticks.
void AttentionView::showBias(const levit::BiasTables& bias) {
    const Colormap diverging("coolwarm");
    const size_t per_head = size_t(bias.offset_rows) * bias.offset_cols;
    by_offset_->setColormap(diverging);
    by_offset_->setData(bias.offset_rows, bias.offset_cols,
                        std::vector<float>(bias.by_offset.begin() + head_ * per_head, bias.by_offset.begin() + (head_ + 1) * per_head));
    by_offset_->map()->setAxes(tr("|dx| (columns)"), gridTicks(bias.offset_cols, 1, 8, 0), tr("|dy| (rows)"),
                               gridTicks(bias.offset_rows, 1, 8, 0));

    const auto& info = model_->attentionBlocks()[size_t(block_)];
    const size_t nq = size_t(bias.queries), nk = size_t(bias.keys);
    full_matrix_->setColormap(diverging);
    full_matrix_->setData(bias.queries, bias.keys,
                          std::vector<float>(bias.expanded.begin() + head_ * nq * nk, bias.expanded.begin() + (head_ + 1) * nq * nk));
    full_matrix_->map()->setAxes(tr("key (grid row)"), gridTicks(bias.keys, info.resolution_in, 7, 1),
                                 tr("query (grid row)"), gridTicks(bias.queries, info.resolution_out, 7, 1));
}

void AttentionView::showQueryAndPosition(const levit::BiasTables& bias) {
    const auto& info = model_->attentionBlocks()[size_t(block_)];
    const int nq = bias.queries, nk = bias.keys, ri = info.resolution_in, ro = info.resolution_out;
    const QImage image = result_ ? toQImage(result_->model_input) : QImage();
    HeatmapWidget* picker = query_image_->map();
    picker->setBackground(image, 0.0);
    query_image_->setData(ro, ro, std::vector<float>(size_t(ro) * ro, 0.0f));
    picker->setMarker(query_row_, query_col_);
    query_image_->setNote(tr("%1×%1 query patches").arg(ro));

    const int q = query_row_ * ro + query_col_;
    const auto row = bias.expanded.begin() + (size_t(head_) * nq + q) * nk;
    position_->setColormap(Colormap("coolwarm"));
    position_->setData(ri, ri, std::vector<float>(row, row + nk));
    position_->map()->setBackground(image, 0.65);
    // The query's own cell on the key grid (a subsample query sits at stride x its position).
    position_->map()->setMarker(query_row_ * info.stride, query_col_ * info.stride);
}

void AttentionView::showImageTerms(const levit::BiasTables& bias) {
    const levit::AttentionMaps* maps = result_ ? findMaps(*result_, block_) : nullptr;
    if (!maps) return showMissingMaps();
    const auto& info = model_->attentionBlocks()[size_t(block_)];
    const int ri = info.resolution_in, ro = info.resolution_out, nk = bias.keys;
    const size_t row = (size_t(head_) * bias.queries + size_t(query_row_) * ro + query_col_) * nk;  // image 0
    const std::vector<float> raw(maps->content.begin() + row, maps->content.begin() + row + nk);
    const double mean = std::accumulate(raw.begin(), raw.end(), 0.0) / nk;
    std::vector<float> content = raw;
    if (content_relative_)
        for (float& v : content) v = float(v - mean);
    const QImage image = toQImage(result_->model_input);
    const int key_row = query_row_ * info.stride, key_col = query_col_ * info.stride;
    content_->setColormap(Colormap("coolwarm"));
    content_->setData(ri, ri, std::move(content));
    content_->setNote(content_relative_ ? tr("minus this query's mean %1 (softmax ignores it)").arg(mean, 0, 'g', 3)
                                        : tr("raw q·k/√d"));
    content_->map()->setBackground(image, 0.65);
    content_->map()->setMarker(key_row, key_col);
    std::vector<float> probs(maps->probabilities.begin() + row, maps->probabilities.begin() + row + nk);
    const float largest = *std::max_element(probs.begin(), probs.end());
    probabilities_->setColormap(colormap_);
    probabilities_->setData(ri, ri, std::move(probs), 0.0f, largest);
    probabilities_->map()->setBackground(image, 0.7);
    probabilities_->map()->setMarker(key_row, key_col);

    const size_t bias_row = (size_t(head_) * bias.queries + size_t(query_row_) * ro + query_col_) * nk;
    const double pr = range(std::vector<float>(bias.expanded.begin() + bias_row, bias.expanded.begin() + bias_row + nk)), cr = range(raw);
    position_share_ = pr + cr > 0 ? pr / (pr + cr) : 0;
    share_->setText(tr("%1, Head %2, %3: %4% of the logit range comes from position, %5% from content.")
                        .arg(blockName(block_)).arg(head_ + 1).arg(queryText())
                        .arg(position_share_ * 100, 0, 'f', 0).arg((1 - position_share_) * 100, 0, 'f', 0));
}

void AttentionView::showMissingMaps() {
    content_->setData(0, 0, {});
    content_->setNote({});
    probabilities_->setData(0, 0, {});
    position_share_ = 0;
    if (!result_)
        share_->setText(tr("No image yet: the position panels show the learned bias alone."));
    else if (request_.model == model_.get() && request_.block == block_ && request_.results_without >= kResultsInFlight)
        share_->setText(tr("The attention of %1 did not come with this image's result. Choose the block again to ask for it.").arg(blockName(block_)));
    else
        share_->setText(tr("Computing attention for %1…").arg(blockName(block_)));
}

}  // namespace levit::ui
