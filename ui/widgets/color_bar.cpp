#include "color_bar.h"

#include <QPainter>

#include <algorithm>

namespace levit::ui {

namespace {
constexpr int kBarWidth = 12;
constexpr int kGap = 4;
}  // namespace

ColorBar::ColorBar(QWidget* parent) : QWidget(parent) { setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding); }

void ColorBar::setRange(float low, float high) {
    low_ = low;
    high_ = high;
    updateGeometry();
    update();
}

void ColorBar::setColormap(const Colormap& colormap) {
    colormap_ = colormap;
    update();
}

void ColorBar::setLegend(const QString& high_meaning, const QString& low_meaning) {
    high_meaning_ = high_meaning;
    low_meaning_ = low_meaning;
    updateGeometry();
    update();
}

void ColorBar::setBarSpan(int top, int height) {
    span_top_ = top;
    span_height_ = height;
    update();
}

QStringList ColorBar::tickTexts() const {
    return {QString::number(high_, 'g', 3), QString::number((low_ + high_) / 2, 'g', 3), QString::number(low_, 'g', 3)};
}

QSize ColorBar::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    int numbers = 0;
    for (const QString& t : tickTexts()) numbers = std::max(numbers, fm.horizontalAdvance(t));
    const int legend = std::max(fm.horizontalAdvance(high_meaning_), fm.horizontalAdvance(low_meaning_));
    return {std::max(2 + kBarWidth + kGap + numbers + 2, legend + 2), 200};
}

QSize ColorBar::minimumSizeHint() const { return {sizeHint().width(), 4 * fontMetrics().height() + 20}; }

void ColorBar::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const int text_h = fontMetrics().height();
    const int room_top = high_meaning_.isEmpty() ? text_h / 2 : text_h + text_h / 2;
    const int room_bottom = low_meaning_.isEmpty() ? text_h / 2 : text_h + text_h / 2;
    int top = room_top, bottom = height() - room_bottom;
    if (span_height_ > 0) {
        top = std::max(top, span_top_);
        bottom = std::min(bottom, span_top_ + span_height_);
    }
    const QRect bar(2, top, kBarWidth, std::max(1, bottom - top));
    for (int y = 0; y < bar.height(); ++y) {
        painter.setPen(QColor(colormap_.map(1.0 - double(y) / std::max(1, bar.height() - 1))));
        painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawRect(bar);
    const QStringList ticks = tickTexts();
    const int x = bar.right() + kGap;
    const int ys[] = {bar.top(), bar.center().y(), bar.bottom()};
    for (int i = 0; i < 3; ++i) {
        painter.drawLine(bar.right(), ys[i], bar.right() + 2, ys[i]);
        painter.drawText(QRect(x, ys[i] - text_h / 2, width() - x, text_h), Qt::AlignLeft | Qt::AlignVCenter, ticks[i]);
    }
    if (!high_meaning_.isEmpty())
        painter.drawText(QRect(0, bar.top() - text_h - text_h / 2, width(), text_h), Qt::AlignLeft | Qt::AlignBottom, high_meaning_);
    if (!low_meaning_.isEmpty())
        painter.drawText(QRect(0, bar.bottom() + text_h / 2, width(), text_h), Qt::AlignLeft | Qt::AlignTop, low_meaning_);
}

}  // namespace levit::ui
