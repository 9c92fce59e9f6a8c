#pragma once
// Shows a new chart in a QChartView and deletes the chart it replaces. QChartView::setChart only releases
// the old chart (it is no longer in the scene, so nothing deletes it): a view that draws a new chart per
// result would otherwise leak one per result, one per frame in live mode.
class QChart;
class QChartView;

namespace levit::ui {

void replaceChart(QChartView* view, QChart* chart);

}  // namespace levit::ui
