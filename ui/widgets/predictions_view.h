#pragma once
// The answer: the averaged heads' best class in big type, which classes the model knows and what it was
// trained on (so a confident answer outside that domain reads as what it is), the top-k as bars, the latency.
#include <QWidget>

#include <memory>

#include "inference_result.h"

class QLabel;

namespace levit {
class Model;
}

namespace levit::ui {

class LabelSetPanel;
class TopKChart;

class PredictionsView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionsView(QWidget* parent = nullptr);
    // The model the next results come from and where it was loaded from (its folder's README.md is its card).
    void setModel(std::shared_ptr<const levit::Model> model, const QString& source);
    void setTopK(int k);
    int topK() const { return top_k_; }
    void showResult(const InferenceResultPtr& result);
    void clearResult(const QString& message);
    // Class names by index as shown (the config's, or the ImageNet-1k names the reader chose).
    QStringList classNames() const;
    // For tests and export: the labels shown, best first, and their probabilities.
    QStringList shownLabels() const { return labels_; }
    QVector<double> shownProbabilities() const { return probabilities_; }
    QString headline() const;
    const TopKChart* chart() const { return chart_; }
    LabelSetPanel* labelSet() const { return label_set_; }

signals:
    // The reader switched between the config's class names and the ImageNet-1k names (classNames()).
    void classNamesChanged(const QStringList& names);

private:
    void redraw();

    int top_k_ = 5;
    std::shared_ptr<const levit::Model> model_;
    QLabel* headline_;
    LabelSetPanel* label_set_;
    TopKChart* chart_;
    QLabel* latency_;
    QStringList labels_;
    QVector<double> probabilities_;
    InferenceResultPtr last_;
};

}  // namespace levit::ui
