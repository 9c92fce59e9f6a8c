#pragma once
// The two heads of LeViT side by side: the classification head (trained on labels) and the distillation
// head (trained on a teacher's predictions): their top-k, a scatter of every logit of one against the
// other with the correlation, where they disagree, and the averaged prediction the model reports.
#include <QVector>
#include <QWidget>

#include "model_view.h"

class QChartView;
class QLabel;

namespace levit::ui {

class HeadsComparisonView : public ModelView {
    Q_OBJECT
public:
    explicit HeadsComparisonView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override { return {}; }
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Classifier vs distillation"); }
    void setColormap(const QString&) {}

    QVector<float> shownClsLogits() const { return cls_; }
    QVector<float> shownDistillationLogits() const { return distill_; }
    double correlation() const { return correlation_; }
    bool headsDisagree() const { return disagree_; }

private:
    QChartView* cls_chart_;
    QChartView* distill_chart_;
    QChartView* scatter_;
    QLabel* verdict_;
    QVector<float> cls_, distill_;
    double correlation_ = 0;
    bool disagree_ = false;
};

// Pearson correlation of two equally long series (0 when either is constant).
double pearson(const QVector<float>& a, const QVector<float>& b);

}  // namespace levit::ui
