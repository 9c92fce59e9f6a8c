#pragma once
// Training as it happens: the loss (left axis) and the training and validation accuracy (right axis, %) per
// epoch, in the palette's colours.
#include <QChartView>

#include "levit/trainer.h"

class QLineSeries;
class QValueAxis;

namespace levit::ui {

class TrainingChart : public QChartView {
    Q_OBJECT
public:
    explicit TrainingChart(QWidget* parent = nullptr);
    void clear(int epochs);
    void addEpoch(const levit::EpochMetrics& m);
    int points() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    QLineSeries* loss_;
    QLineSeries* train_;
    QLineSeries* validation_;
    QValueAxis* epochs_;
    QValueAxis* loss_axis_;
    QValueAxis* accuracy_axis_;
    double max_loss_ = 1;
};

}  // namespace levit::ui
