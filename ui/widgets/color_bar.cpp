#include "color_bar.h"

#include <QPainter>

namespace levit::ui {

ColorBar::ColorBar(QWidget* parent) : QWidget(parent) { setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding); }

void ColorBar::setRange(float low, float high) {
    low_ = low;
    high_ = high;
    update();
}

void ColorBar::setColormap(const Colormap& colormap) {
    colormap_ = colormap;
    update();
}

void ColorBar::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const int text_h = fontMetrics().height();
    const QRect bar(4, text_h, 18, height() - 2 * text_h);
    for (int y = 0; y < bar.height(); ++y) {
        painter.setPen(QColor(colormap_.map(1.0 - double(y) / std::max(1, bar.height() - 1))));
        painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawRect(bar);
    const QString hi = QString::number(high_, 'g', 3), lo = QString::number(low_, 'g', 3),
                  mid = QString::number((low_ + high_) / 2, 'g', 3);
    painter.drawText(QRect(bar.right() + 4, bar.top() - text_h / 2, width(), text_h), Qt::AlignLeft, hi);
    painter.drawText(QRect(bar.right() + 4, bar.center().y() - text_h / 2, width(), text_h), Qt::AlignLeft, mid);
    painter.drawText(QRect(bar.right() + 4, bar.bottom() - text_h / 2, width(), text_h), Qt::AlignLeft, lo);
}

}  // namespace levit::ui
