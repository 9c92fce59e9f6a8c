#include "tour_figures.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "heatmap_widget.h"

namespace levit::ui {

namespace {

// The image fitted into `area`, centred, aspect kept.
QRect fitted(const QSize& image, const QRect& area) {
    if (image.isEmpty() || area.isEmpty()) return {};
    const QSize size = image.scaled(area.size(), Qt::KeepAspectRatio);
    return QRect(area.center() - QPoint(size.width() / 2, size.height() / 2), size);
}

// Pixels of a small image stay visible as squares (the 112-pixel model input shown at 400 pixels);
// photos are drawn smoothly.
void drawImage(QPainter& painter, const QRect& target, const QImage& image) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, target.width() < 2 * image.width());
    painter.drawImage(target, image);
}

QColor accentColor(const QPalette& palette) { return palette.color(QPalette::Highlight); }

// Black or white, whichever reads better on `background`.
QColor textOn(QColor background) { return qGray(background.rgb()) > 140 ? Qt::black : Qt::white; }

}  // namespace

TourPicture::TourPicture(QWidget* parent) : QWidget(parent) { setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding); }

void TourPicture::setImage(const QImage& image) {
    image_ = image;
    update();
}

void TourPicture::setKeptRect(const QRectF& rect, const QString& label) {
    kept_ = rect;
    kept_label_ = label;
    update();
}

void TourPicture::setGrid(int cols, int rows) {
    grid_cols_ = cols;
    grid_rows_ = rows;
    update();
}

void TourPicture::setMarker(const QPoint& pixel) {
    marker_ = pixel;
    update();
}

void TourPicture::setCaption(const QString& caption) {
    caption_ = caption;
    update();
}

QRect TourPicture::imageRect() const {
    const int caption_height = caption_.isEmpty() ? 0 : fontMetrics().height() + 6;
    const QRect image = fitted(image_.size(), rect().adjusted(2, 2, -2, -2 - caption_height));
    // Picture and caption together centred, the caption right under the picture.
    return image.isEmpty() ? image : QRect(QPoint(image.left(), (height() - image.height() - caption_height) / 2), image.size());
}

void TourPicture::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRect target = imageRect();
    if (!target.isEmpty()) {
        drawImage(painter, target, image_);
        const double sx = double(target.width()) / image_.width(), sy = double(target.height()) / image_.height();
        auto toWidget = [&](const QRectF& r) {
            return QRectF(target.left() + r.left() * sx, target.top() + r.top() * sy, r.width() * sx, r.height() * sy);
        };
        if (!kept_.isNull()) {
            const QRectF kept = toWidget(kept_);
            QPainterPath shade;
            shade.addRect(target);
            shade.addRect(kept);
            painter.fillPath(shade, QColor(0, 0, 0, 150));
            // The outline grows with the font: visible on a projector too.
            painter.setPen(QPen(accentColor(palette()), std::max(3, fontMetrics().height() / 6)));
            painter.drawRect(kept);
            if (!kept_label_.isEmpty()) {
                const QRectF text_rect = painter.fontMetrics().boundingRect(kept_label_).adjusted(-4, -2, 4, 2);
                const QRectF plate(kept.topLeft() + QPointF(4, 4), text_rect.size());
                painter.fillRect(plate, accentColor(palette()));
                painter.setPen(palette().color(QPalette::HighlightedText));
                painter.drawText(plate, Qt::AlignCenter, kept_label_);
            }
        }
        if (grid_cols_ > 0 && grid_rows_ > 0) {
            painter.setPen(QPen(QColor(255, 255, 255, 170), 1));
            for (int c = 1; c < grid_cols_; ++c) {
                const double x = target.left() + double(c) * target.width() / grid_cols_;
                painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom() + 1));
            }
            for (int r = 1; r < grid_rows_; ++r) {
                const double y = target.top() + double(r) * target.height() / grid_rows_;
                painter.drawLine(QPointF(target.left(), y), QPointF(target.right() + 1, y));
            }
        }
        if (marker_.x() >= 0) {
            // At least 12 screen pixels across, so a single pixel of the input can be found.
            const QRectF pixel = toWidget(QRectF(marker_, QSizeF(1, 1)));
            const double side = std::max(12.0, pixel.width());
            const QRectF ring(pixel.center() - QPointF(side / 2, side / 2), QSizeF(side, side));
            painter.setPen(QPen(Qt::black, 4));
            painter.drawRect(ring);
            painter.setPen(QPen(Qt::white, 2));
            painter.drawRect(ring);
        }
    }
    if (!caption_.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        const int y = target.isEmpty() ? height() - fontMetrics().height() - 4 : target.bottom() + 4;
        painter.drawText(QRect(0, y, width(), fontMetrics().height() + 2), Qt::AlignHCenter | Qt::AlignVCenter, caption_);
    }
}

FittedHeatmap::FittedHeatmap(QWidget* parent) : QWidget(parent), map_(new HeatmapWidget(this)) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void FittedHeatmap::resizeEvent(QResizeEvent*) { refit(); }

void FittedHeatmap::refit() {
    if (map_->rows() == 0 || map_->cols() == 0) return map_->setGeometry(rect());
    const int title = map_->fontMetrics().height() + 8;
    // The largest plot of the data's shape that fits, plus the title line above it.
    const double cell = std::min(double(width() - 4) / map_->cols(), double(height() - title - 4) / map_->rows());
    const int w = std::max(1, int(cell * map_->cols()) + 4), h = std::max(1, int(cell * map_->rows()) + title + 4);
    map_->setGeometry((width() - w) / 2, (height() - h) / 2, w, h);
}

HeatmapRow::HeatmapRow(int count, QWidget* parent) : QWidget(parent), legend_(new QLabel(this)) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    for (int i = 0; i < count; ++i) maps_.push_back(new HeatmapWidget(this));
    legend_->setWordWrap(true);
    legend_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
}

void HeatmapRow::setLegend(const QString& legend) {
    legend_->setText(legend);
    relayout();
}

void HeatmapRow::resizeEvent(QResizeEvent*) { relayout(); }

void HeatmapRow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) relayout();
    QWidget::changeEvent(event);
}

void HeatmapRow::relayout() {
    if (maps_.empty()) return;
    const int n = int(maps_.size());
    const int gap = std::max(6, fontMetrics().height() / 2);
    const int title = fontMetrics().height() + 8;
    const int legend = legend_->heightForWidth(width());
    const int side = std::max(20, std::min((width() - (n - 1) * gap) / n, height() - title - legend - gap));
    const int total = n * side + (n - 1) * gap;
    const int top = std::max(0, (height() - side - title - legend - gap) / 2);
    const int left = (width() - total) / 2;
    for (int i = 0; i < n; ++i) maps_[size_t(i)]->setGeometry(left + i * (side + gap), top, side, side + title);
    legend_->setGeometry(0, top + side + title + gap, width(), legend);
}

FilterWeightsFigure::FilterWeightsFigure(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void FilterWeightsFigure::setWeights(int channels, int kernel, std::vector<float> weights, const QStringList& channel_names) {
    channels_ = channels;
    kernel_ = kernel;
    weights_ = std::move(weights);
    names_ = channel_names;
    message_.clear();
    update();
}

void FilterWeightsFigure::setMessage(const QString& message) {
    weights_.clear();
    message_ = message;
    update();
}

void FilterWeightsFigure::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QColor text = palette().color(QPalette::WindowText);
    if (weights_.empty() || channels_ <= 0 || kernel_ <= 0) {
        painter.setPen(text);
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    const QFontMetrics metrics = fontMetrics();
    const int title_height = metrics.height() + 4;
    const int gap = std::max(8, metrics.height());
    const int side = std::max(1, std::min((width() - gap * (channels_ - 1)) / channels_, height() - title_height) / kernel_) * kernel_;
    const int cell = side / kernel_;
    const int total = channels_ * side + (channels_ - 1) * gap;
    const int left = (width() - total) / 2;
    const int top = (height() - side - title_height) / 2 + title_height;
    float extent = 0;
    for (float w : weights_) extent = std::max(extent, std::abs(w));
    if (extent <= 0) extent = 1;
    QFont value_font = font();
    value_font.setPixelSize(std::max(7, std::min(cell / 3, metrics.height())));
    for (int c = 0; c < channels_; ++c) {
        const int x0 = left + c * (side + gap);
        painter.setPen(text);
        painter.setFont(font());
        painter.drawText(QRect(x0, top - title_height, side, title_height), Qt::AlignCenter, names_.value(c));
        painter.setFont(value_font);
        for (int y = 0; y < kernel_; ++y)
            for (int x = 0; x < kernel_; ++x) {
                const float w = weights_[(size_t(c) * kernel_ + y) * kernel_ + x];
                const QColor fill = QColor::fromRgb(colormap_.map(0.5 + 0.5 * w / extent));
                const QRect r(x0 + x * cell, top + y * cell, cell, cell);
                painter.fillRect(r, fill);
                painter.setPen(palette().color(QPalette::Window));
                painter.drawRect(r.adjusted(0, 0, -1, -1));
                if (cell >= 24) {
                    painter.setPen(textOn(fill));
                    painter.drawText(r, Qt::AlignCenter, QString::number(w, 'f', 2));
                }
            }
    }
}

StageGridsFigure::StageGridsFigure(QWidget* parent) : QWidget(parent) { setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding); }

void StageGridsFigure::setStages(const QImage& picture, std::vector<Stage> stages) {
    picture_ = picture;
    stages_ = std::move(stages);
    update();
}

QStringList StageGridsFigure::lines(const Stage& stage) const {
    return {stage.label, tr("%1×%1 = %2 tokens").arg(stage.grid).arg(stage.grid * stage.grid),
            tr("%1 numbers per token").arg(stage.channels)};
}

StageGridsFigure::Layout StageGridsFigure::layout() const {
    // The widget's font, or a smaller one when the captions of all stages side by side need more room.
    QFont f = font();
    Layout l = layoutFor(f);
    while (!l.fits && QFontInfo(f).pixelSize() > 8) {
        f.setPixelSize(QFontInfo(f).pixelSize() - 1);
        l = layoutFor(f);
    }
    return l;
}

StageGridsFigure::Layout StageGridsFigure::layoutFor(const QFont& font) const {
    Layout l;
    l.font = font;
    const int n = int(stages_.size());
    if (n == 0) return l;
    const QFontMetrics metrics(font);
    QFont bold = font;
    bold.setBold(true);
    int text_width = 0;
    for (const Stage& s : stages_) {
        const QStringList t = lines(s);
        text_width = std::max({text_width, QFontMetrics(bold).horizontalAdvance(t[0]), metrics.horizontalAdvance(t[1]),
                               metrics.horizontalAdvance(t[2])});
    }
    text_width += 8;
    l.bar_height = std::max(8, metrics.height() / 2);
    const int below = 3 * metrics.height() + l.bar_height + 12;
    const int min_gap = std::max(24, metrics.height() * 2);
    const int by_height = height() - below;
    const int by_width = (width() - (n - 1) * min_gap) / n;
    int side = std::max(20, std::min(by_width, by_height));
    l.gap = min_gap;
    int overhang = 0;
    if (side < text_width) {
        // Captions wider than their squares: the gaps make room for them (n captions side by side then take
        // n * text_width plus 8 between them, whatever the squares' size).
        side = std::max(20, std::min(side, text_width + 8 - min_gap));
        l.gap = std::max(min_gap, text_width - side + 8);
        overhang = text_width - side;
    }
    const int total = n * side + (n - 1) * l.gap + overhang;
    l.fits = total <= width();
    const int left = overhang / 2 + std::max(0, (width() - total) / 2);
    const int top = std::max(0, (height() - side - below) / 2);
    for (int i = 0; i < n; ++i) {
        const QRect square(left + i * (side + l.gap), top, side, side);
        l.squares.push_back(square);
        const int caption_width = std::max(side, text_width);
        l.captions.push_back(QRect(square.left() - (caption_width - side) / 2, square.bottom() + 6, caption_width, below - 6));
    }
    return l;
}

void StageGridsFigure::paintEvent(QPaintEvent*) {
    if (stages_.empty()) return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::WindowText);
    const Layout l = layout();
    const QFontMetrics metrics(l.font);
    int max_channels = 1;
    for (const Stage& s : stages_) max_channels = std::max(max_channels, s.channels);
    for (size_t i = 0; i < stages_.size(); ++i) {
        const Stage& s = stages_[i];
        const QRect square = l.squares[i];
        if (!picture_.isNull()) painter.drawImage(square, picture_);
        else painter.fillRect(square, palette().color(QPalette::Mid));
        painter.setPen(QPen(QColor(255, 255, 255, 190), 1));
        for (int k = 1; k < s.grid; ++k) {
            const double d = double(k) * square.width() / s.grid;
            painter.drawLine(QPointF(square.left() + d, square.top()), QPointF(square.left() + d, square.bottom() + 1));
            painter.drawLine(QPointF(square.left(), square.top() + d), QPointF(square.right() + 1, square.top() + d));
        }
        painter.setPen(QPen(text, 1));
        painter.drawRect(square);
        const QStringList t = lines(s);
        const QRect caption = l.captions[i];
        int y = caption.top();
        QFont bold = l.font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(QRect(caption.left(), y, caption.width(), metrics.height()), Qt::AlignCenter, t[0]);
        painter.setFont(l.font);
        y += metrics.height();
        painter.drawText(QRect(caption.left(), y, caption.width(), metrics.height()), Qt::AlignCenter, t[1]);
        y += metrics.height() + 2;
        // The width of a token as a bar: the same scale for every stage.
        const int bar = std::max(2, square.width() * s.channels / max_channels);
        painter.fillRect(QRect(square.left(), y, bar, l.bar_height), accentColor(palette()));
        y += l.bar_height + 2;
        painter.drawText(QRect(caption.left(), y, caption.width(), metrics.height()), Qt::AlignCenter, t[2]);
        if (i + 1 < stages_.size()) {
            const int ax = square.right() + 6, ay = square.center().y(), length = l.gap - 12;
            painter.setPen(QPen(text, 2));
            painter.drawLine(ax, ay, ax + length, ay);
            painter.drawLine(ax + length, ay, ax + length - 8, ay - 6);
            painter.drawLine(ax + length, ay, ax + length - 8, ay + 6);
        }
    }
}

}  // namespace levit::ui
