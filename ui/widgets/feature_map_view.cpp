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

// All channels of one stage as small tiles in a grid, one colour scale, the selected tile outlined.
class ChannelGrid : public QWidget {
public:
    std::function<void(int)> on_click;
    std::function<void(int, int, int, float)> on_hover;  // channel, y, x, value

    explicit ChannelGrid(QWidget* parent) : QWidget(parent) {
        setMouseTracking(true);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    void set(const levit::FeatureMaps* maps, std::vector<int> order, float low, float high, const Colormap& cm, int selected) {
        maps_ = maps;
        order_ = std::move(order);
        selected_ = selected;
        tiles_.clear();
        if (!maps_) return update();
        const int h = maps_->height, w = maps_->width;
        for (int c : order_) {
            QImage tile(w, h, QImage::Format_RGB32);
            const float* v = maps_->values.data() + size_t(c) * h * w;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) tile.setPixel(x, y, cm.map((v[y * w + x] - low) / (high - low)));
            tiles_.push_back(tile);
        }
        update();
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
    top->addWidget(overlay_);
    top->addWidget(opacity_);
    top->addStretch(1);

    grid_ = new ChannelGrid(this);
    enlarged_ = new HeatmapWidget(this);
    enlarged_->setMinimumSize(280, 280);
    color_bar_ = new ColorBar(this);
    hover_ = new QLabel(tr("Hover over a map to read its values; click one to enlarge it."), this);
    hint_ = new QLabel(tr("Classify an image to see what each stage computes."), this);
    hint_->setAlignment(Qt::AlignCenter);

    auto* right = new QVBoxLayout();
    right->addWidget(enlarged_, 1);
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
        hover_->setText(tr("channel %1, row %2, column %3: %4").arg(c).arg(y).arg(x).arg(v, 0, 'g', 4));
    };
    connect(enlarged_, &HeatmapWidget::cellHovered, this, [this](int y, int x, float v) {
        hover_->setText(tr("channel %1, row %2, column %3: %4").arg(channel_).arg(y).arg(x).arg(v, 0, 'g', 4));
    });
    connect(stage_box_, qOverload<int>(&QComboBox::activated), this, &FeatureMapView::selectStage);
    connect(sort_box_, qOverload<int>(&QComboBox::activated), this, [this] { refresh(); });
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
        for (const auto& m : result->probe.hidden_states) {
            const QString name = m.name == "patch_embedding" ? tr("patch embedding") : tr("stage %1").arg(QString::fromStdString(m.name).mid(5));
            stage_box_->addItem(tr("%1 — %2 channels, %3×%4").arg(name).arg(m.channels).arg(m.height).arg(m.width));
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
    grid_->set(nullptr, {}, 0, 1, colormap_, -1);
    enlarged_->setData(0, 0, {});
}

void FeatureMapView::selectStage(int index) {
    if (index < 0 || index >= stageCount()) return;
    stage_ = index;
    stage_box_->setCurrentIndex(index);
    channel_ = std::min(channel_, result_->probe.hidden_states[index].channels - 1);
    refresh();
}

void FeatureMapView::selectChannel(int channel) {
    channel_ = channel;
    grid_->select(channel);
    refresh();
}

void FeatureMapView::refresh() {
    if (!result_ || stage_ >= stageCount()) return;
    const levit::FeatureMaps& m = result_->probe.hidden_states[stage_];
    const size_t plane = size_t(m.height) * m.width;
    // One colour scale for the whole stage (image 0 of the batch): tiles are comparable.
    const auto [lo_it, hi_it] = std::minmax_element(m.values.begin(), m.values.begin() + m.channels * plane);
    float low = *lo_it, high = *hi_it;
    if (colormap_.diverging()) {
        const float a = std::max(std::abs(low), std::abs(high));
        low = -a;
        high = a;
    }
    if (high <= low) high = low + 1;
    std::vector<int> order(m.channels);
    std::iota(order.begin(), order.end(), 0);
    if (sort_box_->currentIndex() > 0) {
        std::vector<float> key(m.channels);
        for (int c = 0; c < m.channels; ++c) {
            const float* v = m.values.data() + c * plane;
            key[c] = sort_box_->currentIndex() == 1 ? std::accumulate(v, v + plane, 0.0f) / plane : *std::max_element(v, v + plane);
        }
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key[a] > key[b]; });
    }
    grid_->set(&m, order, low, high, colormap_, channel_);
    std::vector<float> one(m.values.begin() + channel_ * plane, m.values.begin() + (channel_ + 1) * plane);
    enlarged_->setColormap(colormap_);
    enlarged_->setData(m.height, m.width, std::move(one), low, high);
    enlarged_->setTitle(tr("channel %1 of %2").arg(channel_).arg(m.channels));
    enlarged_->setBackground(overlay_->isChecked() ? toQImage(result_->model_input) : QImage(), opacity_->value() / 100.0);
    color_bar_->setColormap(colormap_);
    color_bar_->setRange(low, high);
}

}  // namespace levit::ui
