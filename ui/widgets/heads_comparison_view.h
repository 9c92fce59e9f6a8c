#pragma once
// The two heads of LeViT side by side: the classification head (trained on labels) and the distillation
// head (trained on a teacher's predictions): their top-k, a scatter of every logit of one against the
// other with the correlation, where they disagree, and the averaged prediction the model reports
// (the softmax of the mean of the two heads' logits).
#include <QHash>
#include <QPointF>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

#include "levit/gradients.h"
#include "model_view.h"

class QChartView;
class QPushButton;
class QLabel;
class QScatterSeries;

namespace levit::ui {

class TopKChart;

// Axis range and ticks at round numbers (steps of 1, 2 or 5 times a power of ten) that cover [low, high].
struct NiceScale {
    double min = 0, max = 1, step = 0.5;
    int tickCount() const;
    int decimals() const;  // enough to tell the ticks apart
};
NiceScale niceScale(double low, double high, int max_ticks = 9);

class HeadsComparisonView : public ModelView {
    Q_OBJECT
public:
    explicit HeadsComparisonView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override { return {}; }
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Classifier vs distillation"); }
    void setColormap(const QString&) {}
    // Class names by index to show instead of the config's (e.g. ImageNet-1k names); empty for the config's.
    void setClassNames(const QStringList& names);

    QVector<float> shownClsLogits() const { return cls_; }
    QVector<float> shownDistillationLogits() const { return distill_; }
    double correlation() const { return correlation_; }
    bool headsDisagree() const { return disagree_; }
    QString verdict() const;
    const TopKChart* clsChart() const { return cls_chart_; }
    const TopKChart* distillationChart() const { return distill_chart_; }
    QChartView* scatterView() const { return scatter_; }
    // The class drawn at `point` of the scatter's series (-1 if none) and the text hovering it shows.
    int classAt(const QScatterSeries* series, const QPointF& point) const;
    QString hoverText() const { return hover_text_; }
    QString legendText() const;

signals:
    // A bar of one head's chart was clicked: explain that class for that head (a scatter point: for their mean).
    void explainRequested(int class_index, levit::Head head);
    // "Where do the heads look differently?"
    void differenceRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    QString label(int index) const;
    void drawScatter(const std::vector<int>& cls_top3, const std::vector<int>& dist_top3, int averaged_best);
    QScatterSeries* addClassSeries(const QString& name, const std::vector<int>& classes);
    void restyleScatter();
    QString legendHtml(const QString& reported) const;
    void showHover(const QScatterSeries* series, const QPointF& point, bool entered);

    TopKChart* cls_chart_;
    TopKChart* distill_chart_;
    QChartView* scatter_ = nullptr;
    QLabel* verdict_;
    QLabel* hover_;
    QLabel* legend_;
    QPushButton* difference_button_;
    QString hover_text_;
    QVector<float> cls_, distill_;
    QStringList names_;
    std::vector<std::string> config_labels_;
    QHash<const QScatterSeries*, std::vector<int>> series_classes_;
    InferenceResultPtr last_;
    double correlation_ = 0;
    bool disagree_ = false;
};

// Pearson correlation of two equally long series (0 when either is constant).
double pearson(const QVector<float>& a, const QVector<float>& b);

}  // namespace levit::ui
