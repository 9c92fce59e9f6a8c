#include "heads_comparison_view.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

#include "levit/classify.h"
#include "replace_chart.h"
#include "top_k_chart.h"

namespace levit::ui {

double pearson(const QVector<float>& a, const QVector<float>& b) {
    const int n = std::min(a.size(), b.size());
    if (n < 2) return 0;
    double ma = 0, mb = 0;
    for (int i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

HeadsComparisonView::HeadsComparisonView(QWidget* parent) : ModelView(parent) {
    cls_chart_ = new QChartView(this);
    distill_chart_ = new QChartView(this);
    scatter_ = new QChartView(this);
    for (QChartView* v : {cls_chart_, distill_chart_, scatter_}) v->setRenderHint(QPainter::Antialiasing);
    verdict_ = new QLabel(tr("Classify an image to compare the two heads."), this);
    verdict_->setWordWrap(true);
    QFont f = verdict_->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    verdict_->setFont(f);
    auto* layout = new QGridLayout(this);
    layout->addWidget(verdict_, 0, 0, 1, 2);
    layout->addWidget(cls_chart_, 1, 0);
    layout->addWidget(distill_chart_, 2, 0);
    layout->addWidget(scatter_, 1, 1, 2, 1);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
}

void HeadsComparisonView::clearResult() {
    cls_.clear();
    distill_.clear();
    verdict_->setText(tr("Classify an image to compare the two heads."));
    for (QChartView* v : {cls_chart_, distill_chart_, scatter_}) replaceChart(v, new QChart());
}

void HeadsComparisonView::showResult(const InferenceResultPtr& result) {
    const levit::Classification& out = result->classification;
    const int n = int(out.logits.size());
    const auto& labels = result->model->config().id2label;
    cls_ = QVector<float>(out.cls_logits.begin(), out.cls_logits.begin() + n);
    distill_ = QVector<float>(out.distillation_logits.begin(), out.distillation_logits.begin() + n);
    correlation_ = pearson(cls_, distill_);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    // Each head ranked on its own (the classification ranks their mean).
    const auto cls_top = levit::topK(cls_.data(), n, std::min(5, n), labels);
    const auto dist_top = levit::topK(distill_.data(), n, std::min(5, n), labels);
    const auto& avg_top = out.top_k;
    replaceChart(cls_chart_, makeTopKChart(tr("classification head (trained on labels)"), cls_top, 5, QColor("#31688e"), dark));
    replaceChart(distill_chart_, makeTopKChart(tr("distillation head (trained on the teacher)"), dist_top, 5, QColor("#cd4071"), dark));
    disagree_ = cls_top[0].index != dist_top[0].index;

    // Every logit of one head against the other; the classes in either head's top 3 stand out.
    auto* all = new QScatterSeries();
    all->setName(tr("all classes"));
    all->setMarkerSize(n > 100 ? 6 : 12);
    all->setColor(QColor(128, 128, 128, 150));
    auto* top_cls = new QScatterSeries();
    top_cls->setName(tr("classification top 3"));
    top_cls->setColor(QColor("#31688e"));
    top_cls->setMarkerSize(16);
    auto* top_dist = new QScatterSeries();
    top_dist->setName(tr("distillation top 3"));
    top_dist->setColor(QColor("#cd4071"));
    top_dist->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    top_dist->setMarkerSize(12);
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; ++i) {
        all->append(cls_[i], distill_[i]);
        lo = std::min({lo, cls_[i], distill_[i]});
        hi = std::max({hi, cls_[i], distill_[i]});
    }
    for (int i = 0; i < std::min(3, int(cls_top.size())); ++i) top_cls->append(cls_[cls_top[i].index], distill_[cls_top[i].index]);
    for (int i = 0; i < std::min(3, int(dist_top.size())); ++i) top_dist->append(cls_[dist_top[i].index], distill_[dist_top[i].index]);
    auto* chart = new QChart();
    chart->addSeries(all);
    chart->addSeries(top_cls);
    chart->addSeries(top_dist);
    chart->createDefaultAxes();
    const float pad = (hi - lo) * 0.05f + 1e-3f;
    for (QAbstractAxis* axis : chart->axes()) static_cast<QValueAxis*>(axis)->setRange(lo - pad, hi + pad);
    chart->axes(Qt::Horizontal).first()->setTitleText(tr("classification head logit"));
    chart->axes(Qt::Vertical).first()->setTitleText(tr("distillation head logit"));
    chart->setTitle(tr("all %1 logits, correlation r = %2").arg(n).arg(correlation_, 0, 'f', 3));
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    replaceChart(scatter_, chart);

    const QString avg = QString::fromStdString(avg_top[0].label);
    verdict_->setText(disagree_ ? tr("The heads disagree: %1 (classification) vs %2 (distillation). The model reports their mean: %3 (%4%).")
                                      .arg(QString::fromStdString(cls_top[0].label), QString::fromStdString(dist_top[0].label), avg)
                                      .arg(avg_top[0].probability * 100, 0, 'f', 1)
                                : tr("Both heads say %1. The model reports their mean: %2 (%3%).")
                                      .arg(QString::fromStdString(cls_top[0].label), avg)
                                      .arg(avg_top[0].probability * 100, 0, 'f', 1));
    verdict_->setStyleSheet(disagree_ ? "color: #b40426;" : "");
}

}  // namespace levit::ui
