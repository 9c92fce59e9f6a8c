#include "chart_style.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>

namespace levit::ui {

QColor roleColor(SeriesRole role) {
    // Readable on white and on near-black, told apart by hue and lightness (also by most colour-blind readers).
    switch (role) {
        case SeriesRole::ClassificationHead: return QColor(0x3b, 0x7d, 0xc4);  // blue
        case SeriesRole::DistillationHead: return QColor(0xe0, 0x6c, 0x1f);    // orange
        case SeriesRole::Averaged: return QColor(0x8e, 0x5c, 0xc9);            // violet, between the two
    }
    return Qt::gray;
}

bool isDarkPalette(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

void styleChart(QChart* chart, const QPalette& palette) {
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(50);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(text);
        axis->setGridLineColor(grid);
    }
}

}  // namespace levit::ui
