#pragma once
// A horizontal bar chart of the k most probable classes of one row of logits, best on top.
#include <QColor>
#include <QString>

#include <string>
#include <vector>

class QChart;

namespace levit::ui {

QChart* makeTopKChart(const QString& title, const float* logits, int n, int k, const std::vector<std::string>& labels,
                      const QColor& color, bool dark);

}  // namespace levit::ui
