#include "heads_comparison_view.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "chart_style.h"
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

int NiceScale::tickCount() const { return int(std::lround((max - min) / step)) + 1; }

int NiceScale::decimals() const { return std::max(0, int(-std::floor(std::log10(step) + 1e-9))); }

NiceScale niceScale(double low, double high, int max_ticks) {
    if (!(high > low)) {
        low -= 0.5;
        high += 0.5;
    }
    const double rough = (high - low) / std::max(1, max_ticks - 1);
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    NiceScale s;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        s.step = m * power;
        s.min = std::floor(low / s.step) * s.step;
        s.max = std::ceil(high / s.step) * s.step;
        if (s.tickCount() <= max_ticks) break;
    }
    return s;
}

namespace {

QString verdictHint() { return HeadsComparisonView::tr("Classify an image to compare the two heads."); }

QString disagreementStyle(const QPalette& palette) {
    return QString("color: %1;").arg(isDarkPalette(palette) ? "#ff7b72" : "#b40426");
}

QScatterSeries* styledSeries(QScatterSeries* s, QScatterSeries::MarkerShape shape, double size, const QBrush& brush, const QPen& pen) {
    s->setMarkerShape(shape);
    s->setMarkerSize(size);
    s->setBrush(brush);
    s->setPen(pen);
    return s;
}

std::vector<int> indicesOf(const std::vector<levit::Prediction>& ranking, int count) {
    std::vector<int> out;
    for (int i = 0; i < std::min<int>(count, int(ranking.size())); ++i) out.push_back(ranking[i].index);
    return out;
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

HeadsComparisonView::HeadsComparisonView(QWidget* parent) : ModelView(parent) {
    cls_chart_ = new TopKChart(this);
    cls_chart_->setTitle(tr("classification head (trained on labels)"));
    cls_chart_->setBarColor(roleColor(SeriesRole::ClassificationHead));
    distill_chart_ = new TopKChart(this);
    distill_chart_->setTitle(tr("distillation head (trained on the teacher)"));
    distill_chart_->setBarColor(roleColor(SeriesRole::DistillationHead));
    scatter_ = new QChartView(this);
    scatter_->setRenderHint(QPainter::Antialiasing);
    verdict_ = new QLabel(verdictHint(), this);
    verdict_->setWordWrap(true);
    QFont f = verdict_->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    verdict_->setFont(f);
    hover_ = new QLabel(tr("Hover over a point to see its class; click it to see why."), this);
    legend_ = new QLabel(this);
    legend_->setWordWrap(true);
    difference_button_ = new QPushButton(tr("Where do the heads look differently? →"), this);
    difference_button_->setToolTip(tr("The Explain tab: each head's map and their difference, for this image"));
    connect(difference_button_, &QPushButton::clicked, this, &HeadsComparisonView::differenceRequested);
    connect(cls_chart_, &TopKChart::classClicked, this, [this](int k) { emit explainRequested(k, levit::Head::Cls); });
    connect(distill_chart_, &TopKChart::classClicked, this, [this](int k) { emit explainRequested(k, levit::Head::Distillation); });
    auto* layout = new QGridLayout(this);
    layout->addWidget(verdict_, 0, 0, 1, 2);
    layout->addWidget(cls_chart_, 1, 0);
    layout->addWidget(distill_chart_, 2, 0);
    layout->addWidget(scatter_, 1, 1, 2, 1);
    layout->addWidget(legend_, 3, 1);
    layout->addWidget(hover_, 4, 1);
    layout->addWidget(difference_button_, 3, 0, Qt::AlignLeft | Qt::AlignTop);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
    replaceChart(scatter_, new QChart());
    restyleScatter();
}

QString HeadsComparisonView::label(int index) const {
    if (index < names_.size()) return names_[index];
    if (index < int(config_labels_.size())) return QString::fromStdString(config_labels_[index]);
    return QString("LABEL_%1").arg(index);
}

QString HeadsComparisonView::verdict() const { return verdict_->text(); }

QString HeadsComparisonView::legendText() const { return legend_->text(); }

void HeadsComparisonView::setClassNames(const QStringList& names) {
    names_ = names;
    if (last_) showResult(last_);
}

void HeadsComparisonView::clearResult() {
    last_.reset();
    cls_.clear();
    distill_.clear();
    series_classes_.clear();
    verdict_->setText(verdictHint());
    verdict_->setStyleSheet({});
    legend_->clear();
    cls_chart_->clear();
    distill_chart_->clear();
    replaceChart(scatter_, new QChart());
    restyleScatter();
}

void HeadsComparisonView::showResult(const InferenceResultPtr& result) {
    last_ = result;
    const levit::Classification& out = result->classification;
    const int n = int(out.logits.size());
    config_labels_ = result->model->config().id2label;
    if (names_.size() != n) names_.clear();  // names for another model's classes
    cls_ = QVector<float>(out.cls_logits.begin(), out.cls_logits.begin() + n);
    distill_ = QVector<float>(out.distillation_logits.begin(), out.distillation_logits.begin() + n);
    correlation_ = pearson(cls_, distill_);
    // Each head ranked on its own (the classification ranks their mean).
    const auto cls_top = levit::topK(cls_.data(), n, std::min(5, n), config_labels_);
    const auto dist_top = levit::topK(distill_.data(), n, std::min(5, n), config_labels_);
    const auto& avg_top = out.top_k;
    cls_chart_->setRanking(cls_top, 5, names_);
    distill_chart_->setRanking(dist_top, 5, names_);
    disagree_ = cls_top[0].index != dist_top[0].index;
    drawScatter(indicesOf(cls_top, 3), indicesOf(dist_top, 3), avg_top[0].index);

    const QString avg = label(avg_top[0].index);
    const QString reported = tr("The model reports the softmax of the mean of the two heads' logits: %1 (%2%).")
                                 .arg(avg)
                                 .arg(avg_top[0].probability * 100, 0, 'f', 1);
    verdict_->setText(disagree_ ? tr("The heads disagree: %1 (classification) vs %2 (distillation). %3")
                                      .arg(label(cls_top[0].index), label(dist_top[0].index), reported)
                                : tr("Both heads say %1. %2").arg(label(cls_top[0].index), reported));
    verdict_->setStyleSheet(disagree_ ? disagreementStyle(palette()) : QString());
}

QString HeadsComparisonView::legendHtml(const QString& reported) const {
    const auto key = [](const QColor& color, const QString& symbol, const QString& text) {
        return QString("<span style=\"color:%1; font-size:large\">%2</span>&nbsp;%3").arg(color.name(), symbol, text.toHtmlEscaped());
    };
    const QColor cls = roleColor(SeriesRole::ClassificationHead), dist = roleColor(SeriesRole::DistillationHead);
    return QStringList{key(cls, "●", tr("classification top 3")), key(dist, "■", tr("distillation top 3")),
                       key(cls, "◆", tr("in both top 3 (outlined)")),
                       key(roleColor(SeriesRole::Averaged), "◯", tr("reported: softmax of the mean logits, %1").arg(reported)),
                       key(Qt::gray, "●", tr("other classes")), key(Qt::gray, "╱", tr("equal logits"))}
        .join(" &nbsp; ");
}

QScatterSeries* HeadsComparisonView::addClassSeries(const QString& name, const std::vector<int>& classes) {
    auto* s = new QScatterSeries();
    s->setName(name);
    for (int c : classes) s->append(cls_[c], distill_[c]);
    series_classes_.insert(s, classes);
    connect(s, &QScatterSeries::hovered, this, [this, s](const QPointF& p, bool entered) { showHover(s, p, entered); });
    // A point is a class: clicking it explains that class for both heads' mean.
    connect(s, &QScatterSeries::clicked, this, [this, s](const QPointF& p) {
        if (const int k = classAt(s, p); k >= 0) emit explainRequested(k, levit::Head::Mean);
    });
    return s;
}

void HeadsComparisonView::drawScatter(const std::vector<int>& cls_top3, const std::vector<int>& dist_top3, int averaged_best) {
    const int n = int(cls_.size());
    series_classes_.clear();
    std::vector<int> rest, only_cls, only_dist, both;
    for (int i = 0; i < n; ++i) {
        const bool in_cls = contains(cls_top3, i), in_dist = contains(dist_top3, i);
        (in_cls && in_dist ? both : in_cls ? only_cls : in_dist ? only_dist : rest).push_back(i);
    }
    const QColor cls_color = roleColor(SeriesRole::ClassificationHead), dist_color = roleColor(SeriesRole::DistillationHead);
    const QColor avg_color = roleColor(SeriesRole::Averaged);
    QColor grey(128, 128, 128, 150);
    auto* chart = new QChart();
    const double lo = std::min(*std::min_element(cls_.begin(), cls_.end()), *std::min_element(distill_.begin(), distill_.end()));
    const double hi = std::max(*std::max_element(cls_.begin(), cls_.end()), *std::max_element(distill_.begin(), distill_.end()));
    // A margin, so the markers of the extreme classes (the reported one's ring is 30 px) are not cut by the frame.
    const double pad = (hi - lo) * 0.04;
    const NiceScale scale = niceScale(lo - pad, hi + pad);
    // Where the heads would agree exactly: points off this line are classes the heads weigh differently.
    auto* diagonal = new QLineSeries();
    diagonal->setName(tr("equal logits"));
    diagonal->append(scale.min, scale.min);
    diagonal->append(scale.max, scale.max);
    chart->addSeries(diagonal);
    chart->addSeries(styledSeries(addClassSeries(tr("other classes"), rest), QScatterSeries::MarkerShapeCircle, n > 100 ? 6 : 10, grey, Qt::NoPen));
    chart->addSeries(styledSeries(addClassSeries(tr("classification top 3"), only_cls), QScatterSeries::MarkerShapeCircle, 15, cls_color, QPen(Qt::white, 1)));
    chart->addSeries(styledSeries(addClassSeries(tr("distillation top 3"), only_dist), QScatterSeries::MarkerShapeRectangle, 13, dist_color, QPen(Qt::white, 1)));
    chart->addSeries(styledSeries(addClassSeries(tr("in both top 3"), both), QScatterSeries::MarkerShapeRotatedRectangle, 19, cls_color, QPen(dist_color, 3)));
    chart->addSeries(styledSeries(addClassSeries(tr("reported (mean logits): %1").arg(label(averaged_best)), {averaged_best}),
                                  QScatterSeries::MarkerShapeCircle, 30, Qt::NoBrush, QPen(avg_color, 3)));
    auto* x = new QValueAxis();
    auto* y = new QValueAxis();
    for (QValueAxis* axis : {x, y}) {
        axis->setRange(scale.min, scale.max);
        axis->setTickCount(scale.tickCount());
        axis->setLabelFormat(QString("%.%1f").arg(scale.decimals()));
    }
    x->setTitleText(tr("classification head logit"));
    y->setTitleText(tr("distillation head logit"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart->setTitle(tr("all %1 logits, correlation r = %2").arg(n).arg(correlation_, 0, 'f', 3));
    // Qt's legend elides its entries to the chart's width; the label below the chart wraps instead.
    chart->legend()->hide();
    legend_->setText(legendHtml(label(averaged_best)));
    replaceChart(scatter_, chart);
    restyleScatter();
}

int HeadsComparisonView::classAt(const QScatterSeries* series, const QPointF& point) const {
    const auto it = series_classes_.find(series);
    if (it == series_classes_.end()) return -1;
    int best = -1;
    double best_distance = INFINITY;
    for (int c : *it) {
        const double d = std::hypot(cls_[c] - point.x(), distill_[c] - point.y());
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

void HeadsComparisonView::showHover(const QScatterSeries* series, const QPointF& point, bool entered) {
    const int c = entered ? classAt(series, point) : -1;
    if (c < 0) {
        QToolTip::hideText();
        return;
    }
    hover_text_ = tr("%1 (class %2): classification logit %3, distillation logit %4")
                      .arg(label(c))
                      .arg(c)
                      .arg(cls_[c], 0, 'f', 2)
                      .arg(distill_[c], 0, 'f', 2);
    hover_->setText(hover_text_);
    QToolTip::showText(QCursor::pos(), hover_text_, scatter_);
}

void HeadsComparisonView::restyleScatter() {
    QChart* chart = scatter_->chart();
    styleChart(chart, palette());
    QColor diagonal = palette().color(QPalette::WindowText);
    diagonal.setAlpha(90);
    for (QAbstractSeries* s : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s)) line->setPen(QPen(diagonal, 1, Qt::DashLine));
}

void HeadsComparisonView::changeEvent(QEvent* event) {
    // Follow a palette change at once, not at the next classification.
    if (event->type() == QEvent::PaletteChange && scatter_ && scatter_->chart()) {
        restyleScatter();
        if (disagree_ && last_) verdict_->setStyleSheet(disagreementStyle(palette()));
    }
    ModelView::changeEvent(event);
}

}  // namespace levit::ui
