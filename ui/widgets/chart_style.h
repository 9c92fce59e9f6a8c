#pragma once
// Colours of the charts. A series keeps its colour in every palette, chosen by what it shows (a head, or the
// average the model reports), so a reader can follow "the distillation head" from chart to chart; a chart's
// background, text and grid follow the widget palette (light or dark) and change with it.
#include <QColor>
#include <QPalette>

class QChart;

namespace levit::ui {

enum class SeriesRole { ClassificationHead, DistillationHead, Averaged };

QColor roleColor(SeriesRole role);
bool isDarkPalette(const QPalette& palette);
// Background, plot area, title, legend, axis labels, titles and grid lines of `chart` from `palette`.
// Series colours are left alone (Qt's themes would overwrite them).
void styleChart(QChart* chart, const QPalette& palette);

}  // namespace levit::ui
