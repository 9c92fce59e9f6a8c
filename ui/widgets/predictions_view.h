#pragma once
// The answer: top-k classes of the averaged heads as a bar chart, with the latency.
#include <QWidget>

#include "inference_result.h"

class QChart;
class QChartView;
class QLabel;

namespace levit::ui {

class PredictionsView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionsView(QWidget* parent = nullptr);
    void setTopK(int k);
    int topK() const { return top_k_; }
    void showResult(const InferenceResultPtr& result);
    void clearResult(const QString& message);
    // For tests and export: the labels shown, best first, and their probabilities.
    QStringList shownLabels() const { return labels_; }
    QVector<double> shownProbabilities() const { return probabilities_; }

private:
    int top_k_ = 5;
    QChartView* chart_view_;
    QLabel* headline_;
    QLabel* latency_;
    QStringList labels_;
    QVector<double> probabilities_;
    InferenceResultPtr last_;
};

}  // namespace levit::ui
