// Issue "classroom window" 13 (charts): the heads scatter hid the points in both heads' top 3 (one marker drawn
// over the other), named no class on hover, had ticks such as -3.1 / 0.1 / 3.4, did not mark the averaged
// prediction, and called it the heads' "mean" where the model reports the softmax of the mean logits.
#include <QtTest/QtTest>

#include <QChart>
#include <QChartView>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

#include "view_test_helpers.h"
#include "widgets/heads_comparison_view.h"

using namespace levit::ui;

namespace {

// Logits chosen so the heads share two of their top 3 classes and differ in the third.
InferenceResultPtr craftedResult() {
    auto result = std::make_shared<InferenceResult>();
    result->model = view_test::fashionModel();
    auto& c = result->classification;
    c.cls_logits = {0.1f, -1.0f, 2.0f, -0.5f, 3.0f, -2.0f, 1.5f, 0.3f, 4.0f, -3.1f};           // top 3: 8, 4, 2
    c.distillation_logits = {0.2f, -1.2f, 1.0f, -0.4f, 2.5f, -2.2f, 3.5f, 0.1f, 9.97f, -3.0f};  // top 3: 8, 6, 4
    for (size_t i = 0; i < 10; ++i) c.logits.push_back((c.cls_logits[i] + c.distillation_logits[i]) / 2);
    c.top_k = levit::topK(c.logits.data(), 10, 10, result->model->config().id2label);
    return result;
}

QScatterSeries* seriesNamed(const QChart* chart, const QString& start) {
    for (QAbstractSeries* s : chart->series())
        if (s->name().startsWith(start)) return qobject_cast<QScatterSeries*>(s);
    return nullptr;
}

bool isNiceStep(double step) {
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    for (double m : {1.0, 2.0, 5.0})
        if (std::abs(mantissa - m) < 1e-6) return true;
    return false;
}

}  // namespace

class TestHeadsScatter : public QObject {
    Q_OBJECT

private slots:
    void niceScalesCoverTheDataWithRoundTicks() {
        for (auto [lo, hi] : {std::pair{-3.1, 9.97}, {-0.013, 0.021}, {120.0, 480.0}, {2.0, 2.0}, {-7.3, -7.1}}) {
            const NiceScale s = niceScale(lo, hi);
            QVERIFY(s.min <= lo && s.max >= hi);
            QVERIFY2(isNiceStep(s.step), qPrintable(QString::number(s.step)));
            QVERIFY(std::abs(s.min / s.step - std::round(s.min / s.step)) < 1e-6);
            QVERIFY(s.tickCount() >= 2 && s.tickCount() <= 9);
        }
        QCOMPARE(niceScale(-3.1, 9.97).step, 2.0);
        QCOMPARE(niceScale(-3.1, 9.97).min, -4.0);
        QCOMPARE(niceScale(-3.1, 9.97).max, 10.0);
    }

    void everyTopClassIsDrawnOnceAndTheReportedOneIsMarked() {
        const InferenceResultPtr result = craftedResult();
        HeadsComparisonView view;
        view.resize(1000, 600);
        view.showResult(result);
        const QChart* chart = view.scatterView()->chart();
        const auto pointOf = [&](int c) { return QPointF(result->classification.cls_logits[c], result->classification.distillation_logits[c]); };
        const QScatterSeries* both = seriesNamed(chart, "in both top 3");
        const QScatterSeries* cls = seriesNamed(chart, "classification top 3");
        const QScatterSeries* dist = seriesNamed(chart, "distillation top 3");
        const QScatterSeries* rest = seriesNamed(chart, "other classes");
        QVERIFY(both && cls && dist && rest);
        QCOMPARE(both->points(), (QList<QPointF>{pointOf(4), pointOf(8)}));
        QCOMPARE(cls->points(), QList<QPointF>{pointOf(2)});
        QCOMPARE(dist->points(), QList<QPointF>{pointOf(6)});
        QCOMPARE(rest->points().size(), 10 - 4);  // each class in exactly one series: none hides another
        QVERIFY(both->markerShape() != cls->markerShape() && both->markerShape() != dist->markerShape());
        const QScatterSeries* reported = seriesNamed(chart, "reported");
        QVERIFY(reported);
        QCOMPARE(reported->points(), QList<QPointF>{pointOf(result->classification.top_k[0].index)});
        QVERIFY(view.legendText().contains("softmax of the mean logits"));
        QVERIFY2(view.verdict().contains("softmax of the mean of the two heads' logits"), qPrintable(view.verdict()));

        // Both axes on one round scale.
        for (QAbstractAxis* a : chart->axes()) {
            auto* axis = qobject_cast<QValueAxis*>(a);
            QVERIFY(axis);
            QCOMPARE(axis->min(), -4.0);  // -3.1 and 9.97, with a margin for the markers
            QCOMPARE(axis->max(), 12.0);
            QCOMPARE(axis->tickCount(), 9);
        }
        view_test::saveScreenshot(&view, "heads_scatter_crafted");
    }

    void hoveringAPointNamesItsClass() {
        const InferenceResultPtr result = craftedResult();
        HeadsComparisonView view;
        view.showResult(result);
        QScatterSeries* dist = seriesNamed(view.scatterView()->chart(), "distillation top 3");
        emit dist->hovered(dist->points().first(), true);
        QVERIFY2(view.hoverText().startsWith("Shirt (class 6)"), qPrintable(view.hoverText()));
        QScatterSeries* rest = seriesNamed(view.scatterView()->chart(), "other classes");
        const QPointF trouser(result->classification.cls_logits[1], result->classification.distillation_logits[1]);
        QCOMPARE(view.classAt(rest, trouser + QPointF(0.01, -0.01)), 1);
        emit rest->hovered(trouser, true);
        QVERIFY(view.hoverText().startsWith("Trouser"));
    }
};

QTEST_MAIN(TestHeadsScatter)
#include "test_heads_scatter.moc"
