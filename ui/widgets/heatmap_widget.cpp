#include "heatmap_widget.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace levit::ui {

namespace {

// For each output pixel along one axis of `n` values drawn in `pixels` pixels (pixels < n): the source
// values it covers, each with the covered length.
struct Coverage {
    int index;
    double weight;
};

std::vector<std::vector<Coverage>> coverage(int n, int pixels) {
    std::vector<std::vector<Coverage>> out(pixels);
    const double per_pixel = double(n) / pixels;
    for (int p = 0; p < pixels; ++p) {
        const double begin = p * per_pixel, end = (p + 1) * per_pixel;
        for (int i = int(std::floor(begin)); i < std::min(n, int(std::ceil(end))); ++i) {
            const double w = std::min(end, i + 1.0) - std::max(begin, double(i));
            if (w > 0) out[p].push_back({i, w});
        }
    }
    return out;
}

}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void HeatmapWidget::setData(int rows, int cols, std::vector<float> values, float low, float high) {
    rows_ = rows;
    cols_ = cols;
    values_ = std::move(values);
    if (low == high) {
        low = INFINITY;
        high = -INFINITY;
        for (float v : values_)
            if (!std::isnan(v)) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
        if (!std::isfinite(low)) low = high = 0;
        if (colormap_.diverging()) {
            const float m = std::max(std::abs(low), std::abs(high));
            low = -m;
            high = m;
        }
        if (low == high) high = low + 1;
    }
    low_ = low;
    high_ = high;
    rebuildImage();
    emit scaleChanged();
}

void HeatmapWidget::setColormap(const Colormap& colormap) {
    colormap_ = colormap;
    rebuildImage();
}

void HeatmapWidget::setTitle(const QString& title) {
    title_ = title;
    update();
}

void HeatmapWidget::setBackground(const QImage& image, double opacity) {
    background_ = image;
    opacity_ = opacity;
    update();
}

void HeatmapWidget::setMarker(int row, int col) {
    marker_ = {col, row};
    update();
}

void HeatmapWidget::setAxes(const QString& x_title, std::vector<Tick> x_ticks, const QString& y_title, std::vector<Tick> y_ticks) {
    x_title_ = x_title;
    y_title_ = y_title;
    x_ticks_ = std::move(x_ticks);
    y_ticks_ = std::move(y_ticks);
    shrunk_ = QImage();
    update();
}

void HeatmapWidget::rebuildImage() {
    cells_ = QImage(std::max(cols_, 1), std::max(rows_, 1), QImage::Format_RGB32);
    cells_.fill(Qt::gray);
    for (int r = 0; r < rows_; ++r)
        for (int c = 0; c < cols_; ++c)
            cells_.setPixel(c, r, colormap_.map((values_[size_t(r) * cols_ + c] - low_) / (high_ - low_)));
    shrunk_ = QImage();
    update();
}

// Each pixel is the mean of the values it covers (NaN left out), then coloured: the colour of the mean,
// not a blend of colours, so a fine checkerboard of +1/-1 reads as 0.
QImage HeatmapWidget::areaAveragedImage(int width, int height) const {
    const auto across = coverage(cols_, width), down = coverage(rows_, height);
    std::vector<double> sums(size_t(rows_) * width, 0.0), weights(size_t(rows_) * width, 0.0);
    for (int r = 0; r < rows_; ++r)
        for (int x = 0; x < width; ++x)
            for (const Coverage& c : across[x]) {
                const float v = values_[size_t(r) * cols_ + c.index];
                if (std::isnan(v)) continue;
                sums[size_t(r) * width + x] += c.weight * v;
                weights[size_t(r) * width + x] += c.weight;
            }
    QImage out(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            double s = 0, w = 0;
            for (const Coverage& c : down[y]) {
                s += c.weight * sums[size_t(c.index) * width + x];
                w += c.weight * weights[size_t(c.index) * width + x];
            }
            out.setPixel(x, y, colormap_.map(w > 0 ? (s / w - low_) / (high_ - low_) : NAN));
        }
    return out;
}

QRect HeatmapWidget::dataArea() const {
    const QFontMetrics fm = fontMetrics();
    const int title_h = title_.isEmpty() ? 0 : fm.height() + 4;
    int left = 2, bottom = 2;
    if (!y_ticks_.empty()) {
        int widest = 0;
        for (const Tick& t : y_ticks_) widest = std::max(widest, fm.horizontalAdvance(t.label));
        left += widest + 4 + (y_title_.isEmpty() ? 0 : fm.height() + 2);
    }
    if (!x_ticks_.empty()) bottom += fm.height() + 2 + (x_title_.isEmpty() ? 0 : fm.height());
    return rect().adjusted(left, 2 + title_h, -2, -bottom);
}

QRect HeatmapWidget::plotRect() const {
    const QRect area = dataArea();
    if (rows_ == 0 || cols_ == 0) return area;
    const double fit = std::min(area.width() / double(cols_), area.height() / double(rows_));
    // Whole pixels per value when there is room; otherwise every pixel averages the values it covers.
    const double cell = fit >= 1.0 && !fill_area_ ? std::floor(fit) : fit;
    const int w = std::max(1, int(cell * cols_)), h = std::max(1, int(cell * rows_));
    return {area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h};
}

int HeatmapWidget::widthForHeight(int height) const {
    if (rows_ == 0 || cols_ == 0) return QWIDGETSIZE_MAX;
    const QRect area = dataArea();
    const int margins = width() - area.width();
    const int plot_height = height - (this->height() - area.height());
    const double fit = plot_height / double(rows_);
    const double cell = fit >= 1.0 && !fill_area_ ? std::floor(fit) : fit;
    const int plot_width = std::max(1, int(std::ceil(cell * cols_)));
    // Room for the axis title under the plot too.
    const int title_width = x_title_.isEmpty() ? 0 : fontMetrics().horizontalAdvance(x_title_) + 4;
    return margins + std::max(plot_width, title_width);
}

void HeatmapWidget::setFillArea(bool fill, bool smooth) {
    fill_area_ = fill;
    smooth_ = smooth;
    shrunk_ = QImage();
    update();
    emit scaleChanged();
}

double HeatmapWidget::pixelsPerCell() const { return cols_ > 0 ? plotRect().width() / double(cols_) : 0.0; }

QString HeatmapWidget::scaleDescription() const {
    if (rows_ == 0) return {};
    const double ppc = pixelsPerCell();
    if (ppc >= 1.0) return tr("each value is %1×%1 pixels").arg(int(ppc));
    return tr("area-averaged: each pixel is the mean of %1×%1 values").arg(1.0 / ppc, 0, 'f', 1);
}

QPoint HeatmapWidget::cellAt(const QPoint& pos) const {
    const QRect p = plotRect();
    if (!p.contains(pos) || rows_ == 0) return {-1, -1};
    const int col = std::min(cols_ - 1, (pos.x() - p.x()) * cols_ / std::max(1, p.width()));
    const int row = std::min(rows_ - 1, (pos.y() - p.y()) * rows_ / std::max(1, p.height()));
    return {col, row};
}

QRect HeatmapWidget::cellRect(int row, int col) const {
    const QRect p = plotRect();
    const double cw = p.width() / double(std::max(cols_, 1)), ch = p.height() / double(std::max(rows_, 1));
    return QRectF(p.x() + col * cw, p.y() + row * ch, cw, ch).toAlignedRect();
}

void HeatmapWidget::paintAxes(QPainter& painter, const QRect& plot) const {
    const QFontMetrics fm = fontMetrics();
    painter.setPen(palette().color(QPalette::WindowText));
    const double cw = plot.width() / double(std::max(cols_, 1)), ch = plot.height() / double(std::max(rows_, 1));
    for (const Tick& t : x_ticks_) {
        const int x = plot.x() + int((t.index + 0.5) * cw);
        const int w = fm.horizontalAdvance(t.label);
        painter.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 3);
        painter.drawText(QRect(x - w / 2 - 1, plot.bottom() + 3, w + 2, fm.height()), Qt::AlignCenter, t.label);
    }
    if (!x_title_.isEmpty())
        painter.drawText(QRect(plot.x() - 40, plot.bottom() + 3 + fm.height(), plot.width() + 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop, x_title_);
    for (const Tick& t : y_ticks_) {
        const int y = plot.y() + int((t.index + 0.5) * ch);
        painter.drawLine(plot.x() - 3, y, plot.x() - 1, y);
        painter.drawText(QRect(0, y - fm.height() / 2, plot.x() - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, t.label);
    }
    if (!y_title_.isEmpty()) {
        painter.save();
        int widest = 0;
        for (const Tick& t : y_ticks_) widest = std::max(widest, fm.horizontalAdvance(t.label));
        painter.translate(std::max(2, plot.x() - 6 - widest - fm.height()), plot.center().y());
        painter.rotate(-90);
        painter.drawText(QRect(-plot.height() / 2 - 40, 0, plot.height() + 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop, y_title_);
        painter.restore();
    }
}

void HeatmapWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (!title_.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(rect().adjusted(2, 0, -2, 0), Qt::AlignHCenter | Qt::AlignTop,
                         fontMetrics().elidedText(title_, Qt::ElideMiddle, width() - 4));  // never clipped at both ends
    }
    if (rows_ == 0) return;
    const QRect p = plotRect();
    const QImage* cells = &cells_;
    if (pixelsPerCell() < 1.0) {
        if (shrunk_.size() != p.size()) shrunk_ = areaAveragedImage(p.width(), p.height());
        cells = &shrunk_;
    }
    // Nearest neighbour: token cells stay cells over the image (a 7x7 map is 49 squares, not a blur).
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (!background_.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawImage(p, background_);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, smooth_);
        painter.setOpacity(opacity_);
        painter.drawImage(p, *cells);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.setOpacity(1.0);
    } else {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, smooth_);
        painter.drawImage(p, *cells);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    }
    if (grid_ && rows_ <= 32) {
        painter.setPen(QColor(255, 255, 255, 60));
        for (int r = 1; r < rows_; ++r) painter.drawLine(p.left(), cellRect(r, 0).top(), p.right(), cellRect(r, 0).top());
        for (int c = 1; c < cols_; ++c) painter.drawLine(cellRect(0, c).left(), p.top(), cellRect(0, c).left(), p.bottom());
    }
    if (marker_.x() >= 0 && marker_.y() >= 0 && marker_.y() < rows_ && marker_.x() < cols_) {
        painter.setPen(QPen(Qt::white, 3));
        painter.drawRect(cellRect(marker_.y(), marker_.x()).adjusted(1, 1, -1, -1));
        painter.setPen(QPen(Qt::black, 1));
        painter.drawRect(cellRect(marker_.y(), marker_.x()));
    }
    if (!x_ticks_.empty() || !y_ticks_.empty()) paintAxes(painter, p);
}

void HeatmapWidget::resizeEvent(QResizeEvent*) { emit scaleChanged(); }

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0) emit cellHovered(cell.y(), cell.x(), value(cell.y(), cell.x()));
    else emit hoverLeft();
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0) emit cellClicked(cell.y(), cell.x());
}

void HeatmapWidget::leaveEvent(QEvent*) { emit hoverLeft(); }

}  // namespace levit::ui
