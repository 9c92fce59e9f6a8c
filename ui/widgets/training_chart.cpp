#include "training_chart.h"

#include <QChart>
#include <QEvent>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

#include "chart_style.h"
#include "replace_chart.h"

namespace levit::ui {

TrainingChart::TrainingChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    auto* chart = new QChart();
    loss_ = new QLineSeries(chart);
    loss_->setName(tr("training loss"));
    train_ = new QLineSeries(chart);
    train_->setName(tr("training accuracy"));
    validation_ = new QLineSeries(chart);
    validation_->setName(tr("validation accuracy"));
    loss_->setColor(roleColor(SeriesRole::Averaged));
    train_->setColor(roleColor(SeriesRole::ClassificationHead));
    validation_->setColor(roleColor(SeriesRole::DistillationHead));
    for (QLineSeries* s : {loss_, train_, validation_}) {
        QPen pen = s->pen();
        pen.setWidth(2);
        s->setPen(pen);
        s->setPointsVisible(true);
        chart->addSeries(s);
    }
    epochs_ = new QValueAxis(chart);
    epochs_->setTitleText(tr("epoch"));
    epochs_->setLabelFormat("%d");
    loss_axis_ = new QValueAxis(chart);
    loss_axis_->setTitleText(tr("loss"));
    accuracy_axis_ = new QValueAxis(chart);
    accuracy_axis_->setTitleText(tr("accuracy (%)"));
    accuracy_axis_->setRange(0, 100);
    accuracy_axis_->setLabelFormat("%d");
    chart->addAxis(epochs_, Qt::AlignBottom);
    chart->addAxis(loss_axis_, Qt::AlignLeft);
    chart->addAxis(accuracy_axis_, Qt::AlignRight);
    for (QLineSeries* s : {loss_, train_, validation_}) s->attachAxis(epochs_);
    loss_->attachAxis(loss_axis_);
    train_->attachAxis(accuracy_axis_);
    validation_->attachAxis(accuracy_axis_);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    replaceChart(this, chart);  // the view's own first chart is deleted too (setChart only releases it)
    styleChart(chart, palette());
    setMinimumHeight(200);
    clear(10);
}

void TrainingChart::clear(int epochs) {
    for (QLineSeries* s : {loss_, train_, validation_}) s->clear();
    max_loss_ = 1;
    epochs_->setRange(1, std::max(2, epochs));
    epochs_->setTickCount(std::min(std::max(2, epochs), 11));
    loss_axis_->setRange(0, max_loss_);
}

void TrainingChart::addEpoch(const levit::EpochMetrics& m) {
    loss_->append(m.epoch, m.loss);
    train_->append(m.epoch, 100 * m.train_accuracy);
    if (m.val_accuracy >= 0) validation_->append(m.epoch, 100 * m.val_accuracy);
    max_loss_ = std::max(max_loss_, m.loss * 1.1);
    loss_axis_->setRange(0, max_loss_);
}

int TrainingChart::points() const { return int(loss_->count()); }

void TrainingChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && chart()) styleChart(chart(), palette());
    QChartView::changeEvent(event);
}

}  // namespace levit::ui
