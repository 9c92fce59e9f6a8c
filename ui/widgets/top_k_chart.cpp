#include "top_k_chart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace levit::ui {

QChart* makeTopKChart(const QString& title, const std::vector<levit::Prediction>& ranking, int k, const QColor& color, bool dark) {
    const std::vector<levit::Prediction> top(ranking.begin(), ranking.begin() + std::clamp(k, 0, int(ranking.size())));
    auto* set = new QBarSet(title);
    set->setColor(color);
    QStringList categories;
    // Horizontal bars are drawn bottom-up: add the best last so it is on top.
    // The percentage goes into the category label: bar labels of tiny bars overflow and misread.
    // (No "<" in labels: Qt Charts would take them for rich text.)
    for (auto it = top.rbegin(); it != top.rend(); ++it) {
        const double percent = it->probability * 100.0;
        const QString value = percent < 0.1 ? QObject::tr("under 0.1%") : QString::number(percent, 'f', 1) + "%";
        categories << QString::fromStdString(it->label) + "  " + value;
        *set << percent;
    }
    auto* series = new QHorizontalBarSeries();
    series->append(set);
    auto* chart = new QChart();
    chart->addSeries(series);
    chart->setTitle(title);
    chart->legend()->hide();
    auto* y = new QBarCategoryAxis();
    y->append(categories);
    auto* x = new QValueAxis();
    x->setRange(0, 100);
    x->setTitleText(QObject::tr("probability (%)"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    QFont f = chart->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    y->setLabelsFont(f);
    return chart;
}

}  // namespace levit::ui
