// Issue "classroom window" 9: in the dark palette both heads' bars turned green (Qt's dark theme replaced the
// series colours), the scatter changed colours, and the main chart stayed white until the next classification.
// Series colours now belong to what they show, in every palette; backgrounds and text follow a palette change
// at once.
#include <QtTest/QtTest>

#include <QChart>
#include <QChartView>
#include <QScatterSeries>

#include "view_test_helpers.h"
#include "widgets/chart_style.h"
#include "widgets/heads_comparison_view.h"
#include "widgets/palettes.h"
#include "widgets/predictions_view.h"
#include "widgets/top_k_chart.h"

using namespace levit::ui;

namespace {

// How many pixels of `image` have exactly `color`.
int pixelsOf(const QImage& image, const QColor& color) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x) n += QColor(rgb.pixel(x, y)) == color;
    return n;
}

QColor scatterColour(const QChart* chart, const QString& name_start) {
    for (QAbstractSeries* s : chart->series())
        if (s->name().startsWith(name_start)) return static_cast<QScatterSeries*>(s)->color();
    return {};
}

}  // namespace

class TestChartPalette : public QObject {
    Q_OBJECT
    InferenceResultPtr result;

private slots:
    void initTestCase() { result = view_test::classify(view_test::fashionModel(), view_test::fashionSample("sample_06_bag.png")); }

    void cleanup() { qApp->setPalette(lightPalette()); }

    void seriesKeepTheirRoleColourInEveryPalette() {
        const QColor cls = roleColor(SeriesRole::ClassificationHead), dist = roleColor(SeriesRole::DistillationHead),
                     avg = roleColor(SeriesRole::Averaged);
        QCOMPARE(QSet<QRgb>({cls.rgb(), dist.rgb(), avg.rgb()}).size(), 3);
        for (const QPalette& palette : {lightPalette(), darkPalette()}) {
            qApp->setPalette(palette);
            HeadsComparisonView heads;
            PredictionsView predictions;
            heads.resize(1000, 600);
            predictions.resize(400, 400);
            heads.showResult(result);
            predictions.showResult(result);
            QCOMPARE(heads.clsChart()->barColor(), cls);
            QCOMPARE(heads.distillationChart()->barColor(), dist);
            QCOMPARE(predictions.chart()->barColor(), avg);
            // As drawn: the classification head's bars in its colour and never in the other head's.
            const QImage cls_image = const_cast<TopKChart*>(heads.clsChart())->grab().toImage();
            QVERIFY(pixelsOf(cls_image, cls) > 100);
            QCOMPARE(pixelsOf(cls_image, dist), 0);
            const QImage dist_image = const_cast<TopKChart*>(heads.distillationChart())->grab().toImage();
            QVERIFY(pixelsOf(dist_image, dist) > 100);
            QCOMPARE(pixelsOf(dist_image, cls), 0);
            const QChart* scatter = heads.scatterView()->chart();
            QCOMPARE(scatterColour(scatter, "classification top 3"), cls);
            QCOMPARE(scatterColour(scatter, "distillation top 3"), dist);
            view_test::saveScreenshot(&heads, isDarkPalette(palette) ? "heads_dark" : "heads_light");
        }
    }

    // The window changes qApp's palette; without a new result the charts must follow.
    void chartsFollowAPaletteChangeAtOnce() {
        qApp->setPalette(lightPalette());
        HeadsComparisonView heads;
        PredictionsView predictions;
        heads.resize(1000, 600);
        predictions.resize(400, 400);
        heads.showResult(result);
        predictions.showResult(result);
        QCOMPARE(heads.scatterView()->chart()->backgroundBrush().color(), QColor(Qt::white));

        qApp->setPalette(darkPalette());
        QCoreApplication::processEvents();
        const QChart* scatter = heads.scatterView()->chart();
        QCOMPARE(scatter->backgroundBrush().color(), darkPalette().color(QPalette::Base));
        QCOMPARE(scatter->titleBrush().color(), darkPalette().color(QPalette::WindowText));
        for (const QAbstractAxis* axis : scatter->axes()) QCOMPARE(axis->labelsColor(), darkPalette().color(QPalette::WindowText));
        // The predictions chart is painted from the palette: its background is dark now.
        const QImage picture = const_cast<TopKChart*>(predictions.chart())->grab().toImage();
        QCOMPARE(QColor(picture.pixel(2, 2)), darkPalette().color(QPalette::Base));
        QVERIFY(pixelsOf(picture, Qt::white) == 0);
    }
};

QTEST_MAIN(TestChartPalette)
#include "test_chart_palette.moc"
