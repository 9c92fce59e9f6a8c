#include "heatmap_widget.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace levit::ui {

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

void HeatmapWidget::rebuildImage() {
    cells_ = QImage(std::max(cols_, 1), std::max(rows_, 1), QImage::Format_RGB32);
    cells_.fill(Qt::gray);
    for (int r = 0; r < rows_; ++r)
        for (int c = 0; c < cols_; ++c)
            cells_.setPixel(c, r, colormap_.map((values_[size_t(r) * cols_ + c] - low_) / (high_ - low_)));
    update();
}

QRect HeatmapWidget::plotRect() const {
    const int title_h = title_.isEmpty() ? 0 : fontMetrics().height() + 4;
    const QRect area = rect().adjusted(2, 2 + title_h, -2, -2);
    if (rows_ == 0 || cols_ == 0) return area;
    const double cell = std::min(area.width() / double(cols_), area.height() / double(rows_));
    const int w = int(cell * cols_), h = int(cell * rows_);
    return {area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h};
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

void HeatmapWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (!title_.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(rect().adjusted(2, 0, -2, 0), Qt::AlignHCenter | Qt::AlignTop, title_);
    }
    if (rows_ == 0) return;
    const QRect p = plotRect();
    if (!background_.isNull()) {
        painter.drawImage(p, background_);
        painter.setOpacity(opacity_);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawImage(p, cells_);
        painter.setOpacity(1.0);
    } else {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(p, cells_);
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
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0) emit cellHovered(cell.y(), cell.x(), value(cell.y(), cell.x()));
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0) emit cellClicked(cell.y(), cell.x());
}

}  // namespace levit::ui
