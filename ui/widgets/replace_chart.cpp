#include "replace_chart.h"

#include <QChart>
#include <QChartView>

namespace levit::ui {

void replaceChart(QChartView* view, QChart* chart) {
    QChart* old = view->chart();
    if (old == chart) return;
    view->setChart(chart);
    delete old;
}

}  // namespace levit::ui
