#include "predictions_view.h"

#include <QLabel>
#include <QVBoxLayout>

#include "chart_style.h"
#include "label_set_panel.h"
#include "levit/model.h"
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
    label_set_ = new LabelSetPanel(this);
    chart_ = new TopKChart(this);
    chart_->setBarColor(roleColor(SeriesRole::Averaged));
    latency_ = new QLabel(this);
    latency_->setWordWrap(true);
    QFont small = latency_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    latency_->setFont(small);
    // The left column is short at 1280x720: the chart gets the height margins would take.
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(headline_);
    layout->addWidget(label_set_);
    layout->addWidget(chart_, 1);
    layout->addWidget(latency_);
    connect(label_set_, &LabelSetPanel::namesChanged, this, [this] {
        redraw();
        emit classNamesChanged(classNames());
    });
}

void PredictionsView::setModel(std::shared_ptr<const levit::Model> model, const QString& source) {
    model_ = std::move(model);
    const bool had_other_names = label_set_->usingImagenetNames();
    if (model_) label_set_->setModel(model_->config(), readModelCard(source));
    else label_set_->clear();
    if (had_other_names) emit classNamesChanged(classNames());
}

QStringList PredictionsView::classNames() const { return label_set_->classNames(); }

QString PredictionsView::headline() const { return headline_->text(); }

void PredictionsView::setTopK(int k) {
    top_k_ = std::max(1, k);
    if (last_) redraw();
}

void PredictionsView::clearResult(const QString& message) {
    last_.reset();
    labels_.clear();
    probabilities_.clear();
    headline_->setText(message);
    latency_->clear();
    chart_->clear();
}

void PredictionsView::showResult(const InferenceResultPtr& result) {
    // A result from a model nobody announced (setModel) still gets its class list, without a card.
    if (result->model != model_) setModel(result->model, {});
    last_ = result;
    redraw();
    const auto& t = result->probe.timings;
    QString stages;
    for (size_t i = 0; i < t.stage_ms.size(); ++i) stages += tr(", stage %1 %2").arg(i + 1).arg(t.stage_ms[i], 0, 'f', 2);
    latency_->setText(tr("%1 ms in all (model %2 ms: patch embedding %3%4, heads %5)")
                          .arg(result->latency_ms, 0, 'f', 1)
                          .arg(t.total_ms, 0, 'f', 2)
                          .arg(t.patch_embedding_ms, 0, 'f', 2)
                          .arg(stages)
                          .arg(t.heads_ms, 0, 'f', 2));
}

void PredictionsView::redraw() {
    if (!last_) return;
    // The worker ranks every class, so any k is shown without running the model again.
    const std::vector<levit::Prediction>& ranking = last_->classification.top_k;
    const int shown = std::min(top_k_, int(ranking.size()));
    const QStringList names = classNames();
    labels_.clear();
    probabilities_.clear();
    for (int i = 0; i < shown; ++i) {
        const levit::Prediction& p = ranking[i];
        labels_ << (p.index < names.size() ? names[p.index] : QString::fromStdString(p.label));
        probabilities_ << p.probability;
    }
    chart_->setTitle(tr("Top %1 · softmax of the mean of both heads' logits").arg(shown));
    chart_->setRanking(ranking, top_k_, names);
    if (shown > 0) headline_->setText(tr("%1 — %2%").arg(labels_[0]).arg(probabilities_[0] * 100.0, 0, 'f', 1));
}

}  // namespace levit::ui
