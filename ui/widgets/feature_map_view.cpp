#include "feature_map_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "color_bar.h"
#include "heatmap_widget.h"
#include "image_convert.h"

namespace levit::ui {

namespace {

// The values that map to the ends of a colormap; a diverging map centres 0.
ValueRange rangeOf(const float* begin, const float* end, bool diverging) {
    const auto [lo, hi] = std::minmax_element(begin, end);
    ValueRange r{*lo, *hi};
    if (diverging) {
        const float a = std::max(std::abs(r.low), std::abs(r.high));
        r = {-a, a};
    }
    if (!(r.high > r.low)) r.high = r.low + 1;  // a constant map: one colour, no division by zero
    return r;
}

// The stage number (0-based) of a hidden state named "stage<N>..."; -1 for the patch embedding.
int stageNumber(const std::string& name) {
    if (name.rfind("stage", 0) != 0) return -1;
    return std::atoi(name.c_str() + 5);
}

}  // namespace

// All channels of one stage as small tiles in a grid, each channel with its colour range, the selected tile
// outlined.
class ChannelGrid : public QWidget {
public:
    std::function<void(int)> on_click;
    std::function<void(int, int, int, float)> on_hover;  // channel, y, x, value

    explicit ChannelGrid(QWidget* parent) : QWidget(parent) {
        setMouseTracking(true);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    // ranges[c]: the values of channel c that map to the two ends of the colormap.
    void set(const levit::FeatureMaps* maps, std::vector<int> order, const std::vector<ValueRange>& ranges, const Colormap& cm, int selected) {
        maps_ = maps;
        order_ = std::move(order);
        selected_ = selected;
        tiles_.clear();
        if (!maps_) return update();
        const int h = maps_->height, w = maps_->width;
        for (int c : order_) {
            QImage tile(w, h, QImage::Format_RGB32);
            const float* v = maps_->values.data() + size_t(c) * h * w;
            const ValueRange r = ranges[c];
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) tile.setPixel(x, y, cm.map((v[y * w + x] - r.low) / (r.high - r.low)));
            tiles_.push_back(tile);
        }
        update();
    }
    QImage tileOf(int channel) const {
        const auto it = std::find(order_.begin(), order_.end(), channel);
        return it == order_.end() ? QImage() : tiles_[it - order_.begin()];
    }
    void select(int channel) {
        selected_ = channel;
        update();
    }

protected:
    void layoutTiles(int& cols, double& size) const {
        const int n = std::max<int>(1, tiles_.size());
        double best = 0;
        int best_cols = 1;
        for (int c = 1; c <= n; ++c) {
            const int rows = (n + c - 1) / c;
            const double s = std::min(width() / double(c), height() / double(rows));
            if (s > best) {
                best = s;
                best_cols = c;
            }
        }
        cols = best_cols;
        size = best;
    }
    int tileAt(const QPoint& p, int& y, int& x) const {
        int cols;
        double size;
        layoutTiles(cols, size);
        const int col = int(p.x() / size), row = int(p.y() / size);
        const int i = row * cols + col;
        if (col >= cols || i < 0 || i >= int(tiles_.size())) return -1;
        const double inner = size - 2;
        y = std::clamp(int((p.y() - row * size - 1) / inner * maps_->height), 0, maps_->height - 1);
        x = std::clamp(int((p.x() - col * size - 1) / inner * maps_->width), 0, maps_->width - 1);
        return i;
    }
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        int cols;
        double size;
        layoutTiles(cols, size);
        for (size_t i = 0; i < tiles_.size(); ++i) {
            const QRectF r((i % cols) * size + 1, (i / cols) * size + 1, size - 2, size - 2);
            painter.drawImage(r, tiles_[i]);
            if (order_[i] == selected_) {
                painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
                painter.drawRect(r.adjusted(1, 1, -1, -1));
            }
        }
    }
    void mousePressEvent(QMouseEvent* e) override {
        int y, x;
        const int i = tileAt(e->position().toPoint(), y, x);
        if (i >= 0 && on_click) on_click(order_[i]);
    }
    void mouseMoveEvent(QMouseEvent* e) override {
        int y, x;
        const int i = tileAt(e->position().toPoint(), y, x);
        if (i >= 0 && on_hover) {
            const int c = order_[i];
            on_hover(c, y, x, maps_->values[(size_t(c) * maps_->height + y) * maps_->width + x]);
        }
    }

private:
    const levit::FeatureMaps* maps_ = nullptr;
    std::vector<int> order_;
    std::vector<QImage> tiles_;
    int selected_ = -1;
};

FeatureMapView::FeatureMapView(QWidget* parent) : ModelView(parent) {
    auto* top = new QHBoxLayout();
    stage_box_ = new QComboBox(this);
    stage_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    sort_box_ = new QComboBox(this);
    sort_box_->addItems({tr("channel order"), tr("strongest mean first"), tr("strongest peak first")});
    scale_box_ = new QComboBox(this);
    scale_box_->addItems({tr("automatic"), tr("per channel"), tr("whole stage")});
    scale_box_->setToolTip(tr("automatic: each channel on its own range for the stage outputs, one range for the patch embedding.\n"
                              "Deep stages have small grids whose channels differ in range: on one shared range every tile is\n"
                              "one flat colour. On its own range, each tile shows where its channel is strong."));
    overlay_ = new QCheckBox(tr("overlay on image"), this);
    overlay_->setChecked(true);
    opacity_ = new QSlider(Qt::Horizontal, this);
    opacity_->setRange(10, 100);
    opacity_->setValue(60);
    opacity_->setMaximumWidth(140);
    top->addWidget(new QLabel(tr("Stage:"), this));
    top->addWidget(stage_box_);
    top->addWidget(new QLabel(tr("Sort:"), this));
    top->addWidget(sort_box_);
    top->addWidget(new QLabel(tr("Colours:"), this));
    top->addWidget(scale_box_);
    top->addWidget(overlay_);
    top->addWidget(opacity_);
    top->addStretch(1);

    grid_ = new ChannelGrid(this);
    enlarged_ = new HeatmapWidget(this);
    enlarged_->setMinimumSize(280, 280);
    color_bar_ = new ColorBar(this);
    bar_caption_ = new QLabel(this);
    bar_caption_->setWordWrap(true);
    bar_caption_->setAlignment(Qt::AlignCenter);
    hover_ = new QLabel(tr("Hover over a map to read its values; click one to enlarge it."), this);
    hint_ = new QLabel(tr("Classify an image to see what each stage computes."), this);
    hint_->setAlignment(Qt::AlignCenter);

    auto* right = new QVBoxLayout();
    right->addWidget(enlarged_, 1);
    right->addWidget(bar_caption_);
    auto* body = new QHBoxLayout();
    body->addWidget(grid_, 3);
    body->addLayout(right, 2);
    body->addWidget(color_bar_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(hint_);
    layout->addLayout(body, 1);
    layout->addWidget(hover_);

    grid_->on_click = [this](int c) { selectChannel(c); };
    grid_->on_hover = [this](int c, int y, int x, float v) {
        hover_->setText(tr("%1 · channel %2, row %3, column %4: %5").arg(stageTitle(stage_)).arg(c).arg(y).arg(x).arg(v, 0, 'g', 4));
    };
    connect(enlarged_, &HeatmapWidget::cellHovered, this, [this](int y, int x, float v) {
        hover_->setText(tr("%1 · channel %2, row %3, column %4: %5").arg(stageTitle(stage_)).arg(channel_).arg(y).arg(x).arg(v, 0, 'g', 4));
    });
    connect(stage_box_, qOverload<int>(&QComboBox::activated), this, &FeatureMapView::selectStage);
    connect(sort_box_, qOverload<int>(&QComboBox::activated), this, [this] { refresh(); });
    connect(scale_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) { setScale(Scale(i)); });
    connect(overlay_, &QCheckBox::toggled, this, [this] { refresh(); });
    connect(opacity_, &QSlider::valueChanged, this, [this] { refresh(); });
    clearResult();
}

levit::Probe FeatureMapView::probeNeeded() const {
    levit::Probe p;
    p.hidden_states = true;
    return p;
}

void FeatureMapView::setColormap(const QString& name) {
    colormap_ = Colormap(name);
    refresh();
}

int FeatureMapView::stageCount() const { return result_ ? int(result_->probe.hidden_states.size()) : 0; }

QSize FeatureMapView::currentGrid() const {
    if (!result_ || stage_ >= stageCount()) return {};
    const auto& m = result_->probe.hidden_states[stage_];
    return {m.width, m.height};
}

void FeatureMapView::showResult(const InferenceResultPtr& result) {
    if (result->probe.hidden_states.empty()) return clearResult();
    const bool same_model = result_ && result_->model == result->model;
    result_ = result;
    if (!same_model) {
        stage_box_->clear();
        // The channel count is in the enlarged map's title; the combo stays narrow enough for a 1280 px window.
        for (int i = 0; i < stageCount(); ++i) {
            stage_box_->addItem(stageTitle(i));
            stage_box_->setItemData(i, tr("%1 channels").arg(result->probe.hidden_states[i].channels), Qt::ToolTipRole);
        }
        stage_ = std::min(stage_, stageCount() - 1);
    }
    stage_box_->setCurrentIndex(stage_);
    hint_->hide();
    refresh();
}

void FeatureMapView::clearResult() {
    result_.reset();
    hint_->show();
    grid_->set(nullptr, {}, {}, colormap_, -1);
    bar_caption_->clear();
    enlarged_->setData(0, 0, {});
}

void FeatureMapView::selectStage(int index) {
    if (index < 0) return;
    if (!result_) {  // before any result (the model graph opening a stage): the first result clamps it
        stage_ = index;
        return;
    }
    if (index >= stageCount()) return;
    stage_ = index;
    stage_box_->setCurrentIndex(index);
    hover_->clear();  // a readout of the previous stage's grid would name coordinates this grid may not have
    channel_ = std::min(channel_, result_->probe.hidden_states[index].channels - 1);
    refresh();
}

void FeatureMapView::selectChannel(int channel) {
    channel_ = channel;
    grid_->select(channel);
    refresh();
}

QString FeatureMapView::stageTitle(int index) const {
    if (!result_ || index < 0 || index >= stageCount()) return {};
    const levit::FeatureMaps& m = result_->probe.hidden_states[index];
    const int stage = stageNumber(m.name);
    // A stage's hidden state is its output: after the subsampling that ends stages 1 and 2 (as in the attention
    // tab, where "Stage 1" lists that subsampling block), so its grid is the next stage's.
    const QString name = stage < 0 ? tr("Patch embedding") : tr("Stage %1 output").arg(stage + 1);
    return tr("%1 · %2×%3 tokens").arg(name).arg(m.height).arg(m.width);
}

bool FeatureMapView::deepStage(int index) const {
    // Every stage output is subsampled or late (7×7 and smaller grids for the published models, 4×4 and 2×2 for
    // the bundled one); only the patch embedding keeps the image's layout on a large grid.
    return result_ && index >= 0 && index < stageCount() && stageNumber(result_->probe.hidden_states[index].name) >= 0;
}

bool FeatureMapView::perChannelScale() const {
    return scale_ == Scale::PerChannel || (scale_ == Scale::Automatic && deepStage(stage_));
}

void FeatureMapView::setScale(Scale scale) {
    scale_ = scale;
    scale_box_->setCurrentIndex(int(scale));
    refresh();
}

QImage FeatureMapView::tileImage(int channel) const { return grid_->tileOf(channel); }

QString FeatureMapView::hoverText() const { return hover_->text(); }

QString FeatureMapView::colorBarCaption() const { return bar_caption_->text(); }

void FeatureMapView::refresh() {
    if (!result_ || stage_ >= stageCount()) return;
    const levit::FeatureMaps& m = result_->probe.hidden_states[stage_];
    const size_t plane = size_t(m.height) * m.width;
    const float* values = m.values.data();  // image 0 of the batch
    const bool per_channel = perChannelScale();
    const ValueRange stage_range = rangeOf(values, values + m.channels * plane, colormap_.diverging());
    std::vector<ValueRange> ranges(m.channels, stage_range);
    if (per_channel)
        for (int c = 0; c < m.channels; ++c) ranges[c] = rangeOf(values + c * plane, values + (c + 1) * plane, colormap_.diverging());
    std::vector<int> order(m.channels);
    std::iota(order.begin(), order.end(), 0);
    if (sort_box_->currentIndex() > 0) {
        std::vector<float> key(m.channels);
        for (int c = 0; c < m.channels; ++c) {
            const float* v = values + c * plane;
            key[c] = sort_box_->currentIndex() == 1 ? std::accumulate(v, v + plane, 0.0f) / plane : *std::max_element(v, v + plane);
        }
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key[a] > key[b]; });
    }
    grid_->set(&m, order, ranges, colormap_, channel_);
    const ValueRange shown = ranges[channel_];
    std::vector<float> one(values + channel_ * plane, values + (channel_ + 1) * plane);
    enlarged_->setColormap(colormap_);
    enlarged_->setData(m.height, m.width, std::move(one), shown.low, shown.high);
    enlarged_->setTitle(tr("%1 · channel %2 of %3").arg(stageTitle(stage_)).arg(channel_).arg(m.channels));
    enlarged_->setBackground(overlay_->isChecked() ? toQImage(result_->model_input) : QImage(), opacity_->value() / 100.0);
    bar_low_ = shown.low;
    bar_high_ = shown.high;
    color_bar_->setColormap(colormap_);
    color_bar_->setRange(shown.low, shown.high);
    bar_caption_->setText(per_channel ? tr("Each tile on its own range; the colour bar: channel %1, %2 to %3")
                                            .arg(channel_).arg(shown.low, 0, 'g', 3).arg(shown.high, 0, 'g', 3)
                                      : tr("One range for all %1 channels: %2 to %3")
                                            .arg(m.channels).arg(shown.low, 0, 'g', 3).arg(shown.high, 0, 'g', 3));
}

}  // namespace levit::ui
