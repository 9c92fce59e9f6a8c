#include "predictions_view.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QVBoxLayout>

#include "replace_chart.h"
#include "top_k_chart.h"

namespace levit::ui {

PredictionsView::PredictionsView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    headline_ = new QLabel(tr("No image yet"), this);
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    headline_->setFont(big);
    headline_->setWordWrap(true);
    latency_ = new QLabel(this);
    chart_view_ = new QChartView(this);
    chart_view_->setRenderHint(QPainter::Antialiasing);
    chart_view_->setMinimumHeight(220);
    layout->addWidget(headline_);
    layout->addWidget(chart_view_, 1);
    layout->addWidget(latency_);
}

void PredictionsView::setTopK(int k) {
    top_k_ = std::max(1, k);
    if (last_) showResult(last_);
}

void PredictionsView::clearResult(const QString& message) {
    last_.reset();
    labels_.clear();
    probabilities_.clear();
    headline_->setText(message);
    latency_->clear();
    replaceChart(chart_view_, new QChart());
}

void PredictionsView::showResult(const InferenceResultPtr& result) {
    last_ = result;
    // The worker ranks every class, so any k is shown without running the model again.
    const std::vector<levit::Prediction>& ranking = result->classification.top_k;
    const std::vector<levit::Prediction> top(ranking.begin(), ranking.begin() + std::min(top_k_, int(ranking.size())));
    labels_.clear();
    probabilities_.clear();
    for (const auto& p : top) {
        labels_ << QString::fromStdString(p.label);
        probabilities_ << p.probability;
    }
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QChart* chart = makeTopKChart(tr("Top %1 (mean of both heads)").arg(top.size()), ranking, top_k_, QColor("#31688e"), dark);
    replaceChart(chart_view_, chart);
    if (!top.empty())
        headline_->setText(tr("%1 — %2%").arg(QString::fromStdString(top[0].label)).arg(top[0].probability * 100.0, 0, 'f', 1));
    const auto& t = result->probe.timings;
    QString stages;
    for (size_t i = 0; i < t.stage_ms.size(); ++i) stages += tr(", stage %1 %2").arg(i).arg(t.stage_ms[i], 0, 'f', 2);
    latency_->setText(tr("%1 ms in all (model %2 ms: patch embedding %3%4, heads %5)")
                          .arg(result->latency_ms, 0, 'f', 1)
                          .arg(t.total_ms, 0, 'f', 2)
                          .arg(t.patch_embedding_ms, 0, 'f', 2)
                          .arg(stages)
                          .arg(t.heads_ms, 0, 'f', 2));
    latency_->setWordWrap(true);
}

}  // namespace levit::ui
