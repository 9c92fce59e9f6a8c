#pragma once
// A horizontal bar chart of the first k classes of a ranking (best first, as levit::Classifier and
// levit::topK give them), best on top.
#include <QColor>
#include <QString>

#include <vector>

#include "levit/classify.h"

class QChart;

namespace levit::ui {

QChart* makeTopKChart(const QString& title, const std::vector<levit::Prediction>& ranking, int k, const QColor& color, bool dark);

}  // namespace levit::ui
