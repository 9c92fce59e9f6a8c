// Issue "classroom window" 8: the deep stages' feature maps (4×4 and 2×2 tiles) were each one flat colour,
// because one colour scale spanned the whole stage and the channels' ranges differ widely. The deep stages now
// default to a range per channel, a shared range stays an option, the colour bar shows the range in use, and
// stages are named as in the attention tab, with their grid: "Stage 2 output · 2×2 tokens".
#include <QtTest/QtTest>

#include <algorithm>

#include "view_test_helpers.h"
#include "widgets/colormap.h"
#include "widgets/feature_map_view.h"
#include "widgets/heatmap_widget.h"

using namespace levit::ui;

namespace {

QSet<QRgb> coloursOf(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) colours.insert(image.pixel(x, y) | 0xff000000u);
    return colours;
}

std::pair<float, float> rangeOf(const levit::FeatureMaps& m, int channel) {
    const auto* v = m.values.data() + size_t(channel) * m.height * m.width;
    const auto [lo, hi] = std::minmax_element(v, v + m.height * m.width);
    return {*lo, *hi};
}

}  // namespace

class TestFeatureMapScale : public QObject {
    Q_OBJECT
    InferenceResultPtr result;
    FeatureMapView* view = nullptr;

private slots:
    void init() {
        FeatureMapView probe_owner;
        result = view_test::classify(view_test::fashionModel(), view_test::fashionSample("sample_00_ankle_boot.png"),
                                     probe_owner.probeNeeded());
        view = new FeatureMapView();
        view->resize(1000, 600);
        view->setColormap("viridis");
        view->showResult(result);
    }
    void cleanup() { delete view; }

    void stagesAreNamedAsInTheAttentionTab() {
        QCOMPARE(view->stageCount(), 4);
        QCOMPARE(view->stageTitle(0), QString("Patch embedding · 7×7 tokens"));
        // The hidden state of a stage is its output, after the subsampling that ends stages 1 and 2.
        QCOMPARE(view->stageTitle(1), QString("Stage 1 output · 4×4 tokens"));
        QCOMPARE(view->stageTitle(2), QString("Stage 2 output · 2×2 tokens"));
        QCOMPARE(view->stageTitle(3), QString("Stage 3 output · 2×2 tokens"));
    }

    // Issue item 13: the value readout names the stage it reads, and a stage switch clears it instead of
    // keeping the previous grid's coordinates.
    void theHoverReadoutBelongsToTheStageShown() {
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        auto* enlarged = view->findChild<HeatmapWidget*>();
        QVERIFY(enlarged);
        view->selectStage(0);
        QTest::mouseMove(enlarged, enlarged->plotRect().center());
        QTRY_VERIFY(view->hoverText().startsWith("Patch embedding · 7×7 tokens · channel"));
        view->selectStage(2);
        QVERIFY2(view->hoverText().isEmpty(), qPrintable(view->hoverText()));
        QTest::mouseMove(enlarged, enlarged->plotRect().center() + QPoint(1, 1));
        QTRY_VERIFY(view->hoverText().startsWith("Stage 2 output · 2×2 tokens · channel"));
    }

    // By default a deep stage's tiles each span the whole colormap: no varying channel is one flat colour.
    void deepStagesDefaultToOneRangePerChannel() {
        const Colormap viridis("viridis");
        for (int stage : {1, 2, 3}) {
            view->selectStage(stage);
            QVERIFY(view->perChannelScale());
            const levit::FeatureMaps& m = result->probe.hidden_states[stage];
            int checked = 0;
            for (int c = 0; c < m.channels; ++c) {
                const auto [lo, hi] = rangeOf(m, c);
                if (!(hi > lo)) continue;
                const QSet<QRgb> colours = coloursOf(view->tileImage(c));
                QVERIFY2(colours.contains(viridis.map(0.0) | 0xff000000u) && colours.contains(viridis.map(1.0) | 0xff000000u),
                         qPrintable(QString("stage %1 channel %2").arg(stage).arg(c)));
                ++checked;
            }
            QVERIFY(checked > m.channels / 2);
            // The colour bar shows the selected channel's own range.
            view->selectChannel(5);
            const auto [lo, hi] = rangeOf(m, 5);
            QCOMPARE(view->colorBarRange(), std::make_pair(lo, hi));
            QVERIFY2(view->colorBarCaption().contains("channel 5"), qPrintable(view->colorBarCaption()));
        }
        view->selectStage(3);
        view_test::saveScreenshot(view, "feature_maps_stage3_per_channel");
        // The patch embedding keeps one range, so its tiles stay comparable.
        view->selectStage(0);
        QVERIFY(!view->perChannelScale());
    }

    void aSharedRangeRemainsAnOption() {
        view->selectStage(3);
        view->setScale(FeatureMapView::Scale::SharedByStage);
        QVERIFY(!view->perChannelScale());
        const levit::FeatureMaps& m = result->probe.hidden_states[3];
        const size_t n = size_t(m.channels) * m.height * m.width;
        const auto [lo, hi] = std::minmax_element(m.values.begin(), m.values.begin() + n);
        QCOMPARE(view->colorBarRange(), std::make_pair(*lo, *hi));
        // A tile's colour is its value on the stage's range.
        const Colormap viridis("viridis");
        const float v = m.values[0];
        QCOMPARE(view->tileImage(0).pixel(0, 0) | 0xff000000u, viridis.map((v - *lo) / (*hi - *lo)) | 0xff000000u);
        QVERIFY(view->colorBarCaption().contains(QString("all %1 channels").arg(m.channels)));
        view->setScale(FeatureMapView::Scale::PerChannel);
        view->selectStage(0);
        QVERIFY(view->perChannelScale());  // chosen, not automatic: every stage
    }
};

QTEST_MAIN(TestFeatureMapScale)
#include "test_feature_map_scale.moc"
