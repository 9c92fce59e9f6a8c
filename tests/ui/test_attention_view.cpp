// The Attention tab on its own, fed InferenceResults the way the window feeds it: it never waits for
// maps that will not come after a model switch, shows the content term relative to each query's mean,
// keeps the query on the same image point across grids, reads out what is under the cursor for the
// block shown now, selects blocks and heads from the overview, and its colour bars show the ranges drawn.
// Screenshots of the whole window at classroom sizes, light and dark, go to build/screenshots.
#include <QtTest/QtTest>

#include <QSettings>
#include <QTabWidget>
#include <QToolButton>

#include <cmath>
#include <numeric>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "media/bundled_model.h"
#include "media/image_decoder.h"
#include "test_support.h"
#include "widgets/attention_overview.h"
#include "widgets/attention_view.h"
#include "widgets/color_bar.h"
#include "widgets/explained_heatmap.h"
#include "widgets/heatmap_widget.h"
#include "widgets/main_window.h"
#include "widgets/settings.h"

using namespace levit::ui;

namespace {

const std::string kTiny = levit_test::testDataDir() + "/golden/tiny_seed0";
const std::string kImage = kTiny + "/images/sinus_640x427.png";

const levit::AttentionMaps* mapsOf(const InferenceResult& r, int block) {
    for (const auto& a : r.probe.attention)
        if (a.block == block) return &a;
    return nullptr;
}

}  // namespace

class TestAttentionView : public QObject {
    Q_OBJECT

    std::shared_ptr<const levit::Model> tiny_, bundled_;
    levit::ImageRGB8 image_;
    quint64 next_id_ = 1;

    // What the inference worker would hand the view for `probe` (the probe the window asked with).
    InferenceResultPtr classify(const std::shared_ptr<const levit::Model>& model, const levit::Probe& probe) {
        levit::Classifier classifier(model);
        auto result = std::make_shared<InferenceResult>();
        result->id = next_id_++;
        result->source = QString::fromStdString(kImage);
        result->model = model;
        result->classification = classifier.classify(image_, probe, &result->probe, &result->model_input);
        return result;
    }

    // The view shown at about the Attention tab's size in a 1280x720 window, fed one result for its probe.
    std::unique_ptr<AttentionView> shownView(const std::shared_ptr<const levit::Model>& model) {
        auto view = std::make_unique<AttentionView>();
        view->resize(860, 520);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get())) return nullptr;
        view->showResult(classify(model, view->probeNeeded()));
        return view;
    }

    std::vector<float> rawContentRow(const AttentionView& view, const InferenceResult& result) {
        const levit::AttentionMaps* maps = mapsOf(result, view.selectedBlock());
        const int ro = result.model->attentionBlocks()[size_t(view.selectedBlock())].resolution_out;
        const size_t row = (size_t(view.selectedHead()) * maps->queries + size_t(view.selectedQuery().y()) * ro + view.selectedQuery().x()) * maps->keys;
        return {maps->content.begin() + row, maps->content.begin() + row + maps->keys};
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QCoreApplication::setApplicationName("test_attention_view");
        tiny_ = levit::loadModel(kTiny);
        bundled_ = levit::loadModel(levit::media::defaultModelPath());
        image_ = levit::media::decodeImageFile(kImage);
        // The case this file is about: a model with fewer attention blocks than the one before.
        QVERIFY(bundled_->attentionBlocks().size() < tiny_->attentionBlocks().size());
    }

    // Issue item 5: a late block selected, then a model with fewer blocks: the view used to say
    // "Computing attention for this block…" forever because nobody asked for the block it fell back to.
    void aModelSwitchUnderALateBlockNeverLeavesTheViewWaiting() {
        AttentionView view;
        QSignalSpy asked(&view, &AttentionView::probeChanged);
        view.showResult(classify(tiny_, view.probeNeeded()));
        const int late = int(tiny_->attentionBlocks().size()) - 1;
        view.selectBlock(late);
        view.showResult(classify(tiny_, view.probeNeeded()));
        QVERIFY(!view.shownContent().empty());

        // The window clears the views, then classifies with the probe the view asked for before it knew the model.
        view.clearResult();
        const levit::Probe stale = view.probeNeeded();
        asked.clear();
        view.showResult(classify(bundled_, stale));
        QVERIFY(view.selectedBlock() < int(bundled_->attentionBlocks().size()));
        QCOMPARE(view.selectedBlock(), int(bundled_->attentionBlocks().size()) - 1);  // clamped, not sent back to the start
        QVERIFY(view.selectedHead() < bundled_->attentionBlocks()[size_t(view.selectedBlock())].heads);
        QCOMPARE(asked.count(), 1);  // it asks for the block it shows now ...
        QCOMPARE(view.probeNeeded().attention_blocks, std::vector<int>{view.selectedBlock()});
        view.showResult(classify(bundled_, view.probeNeeded()));  // ... and the answer fills it
        QVERIFY(!view.shownContent().empty());
        QVERIFY(!view.statusText().contains("Computing"));
    }

    // The same in the real window: its model load clears the views and classifies with the stale probe.
    void theWindowFillsTheAttentionTabAfterAModelSwitch() {
        QSettings().clear();
        MainWindow window;
        window.tabs()->setCurrentIndex(1);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.loadModel(QString::fromStdString(kTiny));
        window.addImageFiles({QString::fromStdString(kImage)});
        QVERIFY(shown.wait(20000));
        AttentionView* view = window.attentionView();
        view->selectBlock(int(tiny_->attentionBlocks().size()) - 1);
        QVERIFY(shown.wait(20000));
        QVERIFY(!view->shownContent().empty());
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.loadModel(QString::fromStdString(levit::media::defaultModelPath()));
        QVERIFY(loaded.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->model == window.model() && !view->shownContent().empty(), 20000);
        QVERIFY(!view->statusText().contains("Computing"));
        QSettings().clear();
    }

    void resultsThatNeverBringTheMapsEndTheWaitWithAMessage() {
        AttentionView view;
        view.showResult(classify(tiny_, view.probeNeeded()));
        view.selectBlock(2);
        levit::Probe other;
        other.attention = true;
        other.attention_blocks = {0};
        view.showResult(classify(tiny_, other));
        QVERIFY(view.statusText().contains("Computing"));
        for (int i = 0; i < 6; ++i) view.showResult(classify(tiny_, other));  // a window that never asks again
        QVERIFY2(!view.statusText().contains("Computing"), qPrintable(view.statusText()));
        QVERIFY(view.statusText().contains(view.blockName(2)));
        QSignalSpy asked(&view, &AttentionView::probeChanged);
        view.selectBlock(2);  // choosing it again asks again
        QCOMPARE(asked.count(), 1);
    }

    // Issue item 7: the content term relative to the query's mean by default, raw on request.
    void theContentTermIsShownRelativeToTheQueryMean() {
        AttentionView view;
        view.selectBlock(0);
        const auto result = classify(tiny_, view.probeNeeded());
        view.showResult(result);
        view.selectQuery(2, 3);
        QVERIFY(view.contentRelativeToMean());
        const std::vector<float> raw = rawContentRow(view, *result);
        const double mean = std::accumulate(raw.begin(), raw.end(), 0.0) / raw.size();
        QVERIFY(std::abs(mean) > 1e-3);  // otherwise the test could not tell the two apart
        const std::vector<float> shown = view.shownContent();
        QCOMPARE(shown.size(), raw.size());
        QVERIFY(std::abs(std::accumulate(shown.begin(), shown.end(), 0.0) / shown.size()) < 1e-5);
        for (size_t k = 0; k < raw.size(); ++k) QVERIFY(std::abs(shown[k] - (raw[k] - mean)) < 1e-5);
        QVERIFY(view.contentPanel()->noteText().contains("softmax"));
        view.setContentRelativeToMean(false);
        QCOMPARE(view.shownContent(), raw);
    }

    // Issue item 13: a subsample block's coarser query grid keeps the query on the same part of the image.
    void theQueryFollowsTheImagePointAcrossASubsampleBlock() {
        AttentionView view;
        view.showResult(classify(tiny_, view.probeNeeded()));
        const auto& blocks = tiny_->attentionBlocks();
        QCOMPARE(blocks[0].resolution_out, 6);
        QCOMPARE(blocks[1].resolution_out, 3);
        view.selectQuery(1, 4);  // row 1, col 4 of 6x6: the upper right of the picture
        view.selectBlock(1);
        QCOMPARE(view.selectedQuery(), QPoint(2, 0));  // col 2, row 0 of 3x3, not clamped to (2, 1)
        view.selectBlock(0);
        QCOMPARE(view.selectedQuery(), QPoint(4, 1));  // back where it was
    }

    void theHoverReadoutBelongsToTheBlockShownNow() {
        auto view = shownView(tiny_);
        QVERIFY(view);
        HeatmapWidget* content = view->contentPanel()->map();
        QTest::mouseMove(content, content->cellRect(1, 2).center());
        QVERIFY2(view->hoverReadout().contains("row 2, col 3 of 6×6"), qPrintable(view->hoverReadout()));
        view->selectBlock(2);  // Stage 2: a 3x3 grid
        view->showResult(classify(tiny_, view->probeNeeded()));
        QVERIFY2(!view->hoverReadout().contains("6×6"), qPrintable(view->hoverReadout()));
        QTest::mouseMove(content, content->cellRect(0, 1).center() + QPoint(1, 0));
        QTest::mouseMove(content, content->cellRect(0, 1).center());
        QVERIFY2(view->hoverReadout().contains("row 1, col 2 of 3×3"), qPrintable(view->hoverReadout()));
        HeatmapWidget* offsets = view->offsetPanel()->map();
        QTest::mouseMove(offsets, offsets->cellRect(1, 0).center());
        QVERIFY2(view->hoverReadout().contains("|dy| = 1, |dx| = 0"), qPrintable(view->hoverReadout()));
    }

    void blocksAndHeadsAreNumberedAsPeopleCount() {
        AttentionView view;
        view.showResult(classify(tiny_, view.probeNeeded()));
        QCOMPARE(view.blockName(0), QString("Stage 1 · Block 1"));
        QCOMPARE(view.blockName(1), QString("Stage 1 · Block 2"));  // stage 0's subsample block
        QCOMPARE(view.blockName(2), QString("Stage 2 · Block 1"));
        view.selectHead(1);
        view.showResult(classify(tiny_, view.probeNeeded()));
        QVERIFY2(view.statusText().contains("Stage 1 · Block 1, Head 2"), qPrintable(view.statusText()));
    }

    void clickingTheOverviewSelectsThatBlockAndHead() {
        auto view = shownView(tiny_);
        QVERIFY(view);
        view->setOverviewShown(true);
        QTest::qWait(50);
        AttentionOverview* overview = view->overview();
        QCOMPARE(overview->blockCount(), int(tiny_->attentionBlocks().size()));
        QCOMPARE(overview->headCount(4), tiny_->attentionBlocks()[4].heads);
        QSignalSpy asked(view.get(), &AttentionView::probeChanged);
        const QRect cell = overview->cellRect(4, 3);
        QVERIFY(!cell.isEmpty());
        QTest::mouseClick(overview, Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(view->selectedBlock(), 4);
        QCOMPARE(view->selectedHead(), 3);
        QCOMPARE(asked.count(), 1);  // the window runs the image again for that block
        QVERIFY(!view->overviewShown());
    }

    // Issue item 6: every data panel has a colour bar whose range is the range its map is drawn with.
    void colourBarsShowTheRangeTheMapsAreDrawnWith() {
        AttentionView view;
        view.showResult(classify(tiny_, view.probeNeeded()));
        view.selectQuery(3, 1);
        for (int head : {0, 1}) {
            view.selectHead(head);
            for (ExplainedHeatmap* panel : {view.contentPanel(), view.positionPanel(), view.attentionPanel(), view.offsetPanel(), view.matrixPanel()}) {
                const HeatmapWidget* map = panel->map();
                QVERIFY(map->rows() > 0);
                QCOMPARE(panel->colorBar()->low(), map->low());
                QCOMPARE(panel->colorBar()->high(), map->high());
                QVERIFY(!panel->colorBar()->highMeaning().isEmpty() && !panel->colorBar()->lowMeaning().isEmpty());
                float largest = 0;
                for (float v : map->values())
                    if (!std::isnan(v)) largest = std::max(largest, std::abs(v));
                QCOMPARE(map->high(), largest);  // the scale reaches the largest value shown
            }
        }
    }

    void panelsExplainThemselvesWithTheExactTerms() {
        auto view = shownView(tiny_);
        QVERIFY(view);
        for (ExplainedHeatmap* panel : view->panels()) {
            QVERIFY(!panel->title().isEmpty());
            QVERIFY(!panel->explanation().isEmpty());
        }
        QVERIFY(view->contentPanel()->explanation().contains("q·k/√d"));
        QVERIFY(view->attentionPanel()->explanation().contains("softmax"));
        QVERIFY(view->offsetPanel()->explanation().contains("attention bias"));
        QVERIFY(!view->offsetPanel()->map()->xTicks().empty() && !view->offsetPanel()->map()->yTicks().empty());
        QVERIFY(!view->matrixPanel()->map()->xTicks().empty() && !view->matrixPanel()->map()->yTicks().empty());
        ExplainedHeatmap* panel = view->attentionPanel();
        QTest::mouseClick(panel->helpButton(), Qt::LeftButton);
        QVERIFY(panel->explanationShown());
        QDir().mkpath(LEVIT_BIN_DIR "/../screenshots");
        for (QWidget* w : QApplication::topLevelWidgets())
            if (w->isVisible() && w->windowType() == Qt::Popup) QVERIFY(w->grab().save(LEVIT_BIN_DIR "/../screenshots/attention_explanation.png"));
    }

    // A fine matrix is drawn with whole pixels per value, or averaged when it does not fit: never moiré.
    void aFineMatrixIsDrawnAtWholePixelsOrAreaAveraged() {
        HeatmapWidget map;
        map.setColormap(Colormap("coolwarm"));
        std::vector<float> checkerboard(196 * 196);
        for (int r = 0; r < 196; ++r)
            for (int c = 0; c < 196; ++c) checkerboard[size_t(r) * 196 + c] = (r + c) % 2 ? 1.0f : -1.0f;
        map.setData(196, 196, checkerboard);
        map.resize(470, 470);  // 2.4 pixels per value would alias
        QCOMPARE(map.pixelsPerCell(), 2.0);
        QVERIFY(map.scaleDescription().contains("2×2"));
        map.resize(150, 150);
        QVERIFY(map.areaAveraged());
        QVERIFY(map.scaleDescription().contains("area-averaged"));
        // Averaged, the +1/-1 checkerboard comes out near its mean 0 (within the uneven coverage of 1.3 values
        // per pixel, at most about +-0.3), where drawing every 1.3th value would show full +1 and -1 stripes.
        const QImage shot = map.grab().toImage();
        const QRect plot = map.plotRect();
        const Colormap coolwarm("coolwarm");
        for (int y = plot.top(); y <= plot.bottom(); y += 7)
            for (int x = plot.left(); x <= plot.right(); x += 5) {
                const QRgb c = shot.pixel(x, y);
                int best = 0, best_distance = INT_MAX;
                for (int i = 0; i < 256; ++i) {
                    const QRgb m = coolwarm.map(i / 255.0);
                    const int d = std::abs(qRed(m) - qRed(c)) + std::abs(qGreen(m) - qGreen(c)) + std::abs(qBlue(m) - qBlue(c));
                    if (d < best_distance) best = i, best_distance = d;
                }
                QVERIFY2(std::abs(best / 255.0 - 0.5) <= 0.16, qPrintable(QString("pixel (%1, %2): %3").arg(x).arg(y).arg(best / 255.0)));
            }
    }

    // Token maps over the image are cells (nearest), not a bilinear blur.
    void tokenMapsOverTheImageStayCells() {
        HeatmapWidget map;
        map.resize(200, 200);
        map.setColormap(Colormap("viridis"));
        map.setData(2, 2, {0.0f, 1.0f, 1.0f, 0.0f});
        QImage grey(8, 8, QImage::Format_RGB32);
        grey.fill(QColor(128, 128, 128));
        map.setBackground(grey, 0.7);
        const QImage shot = map.grab().toImage();
        const QRect cell = map.cellRect(0, 0);
        const QColor inner = shot.pixelColor(cell.x() + cell.width() / 4, cell.y() + cell.height() / 4);
        const QColor edge = shot.pixelColor(cell.right() - 2, cell.bottom() - 2);
        QCOMPARE(edge, inner);
    }

    void screenshotsAtClassroomSizes() {
        const std::string big = levit_test::goldenDir("levit-128S_seed0");
        LEVIT_REQUIRE_SHARED_PATH(big);
        const QString out = QStringLiteral(LEVIT_BIN_DIR "/../screenshots");
        QDir().mkpath(out);
        for (const char* palette : {"light", "dark"})
            for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
                QSettings().clear();
                settings::setPalette(palette);
                MainWindow window;
                window.resize(size);
                window.show();
                QVERIFY(QTest::qWaitForWindowExposed(&window));
                window.tabs()->setCurrentIndex(1);
                QSignalSpy shown(&window, &MainWindow::resultShown);
                window.loadModel(QString::fromStdString(big));
                window.addImageFiles({QString::fromStdString(big + "/images/photo_chelsea.png")});
                QVERIFY(shown.wait(20000));
                window.attentionView()->selectBlock(3);
                QVERIFY(shown.wait(20000));
                window.attentionView()->selectQuery(2, 4);
                QTest::qWait(200);
                const QString name = QString("%1/attention_%2x%3_%4").arg(out).arg(size.width()).arg(size.height()).arg(palette);
                QVERIFY(window.grab().save(name + ".png"));
                // The tab alone at the size it gets in a 1280x720 window that fits the screen.
                if (size.width() == 1280) {
                    AttentionView* view = window.attentionView();
                    const QSize before = view->size();
                    view->setParent(nullptr);
                    view->resize(850, 450);
                    view->show();
                    QTest::qWait(100);
                    QVERIFY(view->grab().save(QString("%1/attention_tab_850x450_%2.png").arg(out, palette)));
                    window.tabs()->insertTab(1, view, view->viewTitle());
                    window.tabs()->setCurrentIndex(1);
                    view->resize(before);
                }
                window.attentionView()->setOverviewShown(true);
                QTest::qWait(100);
                QVERIFY(window.grab().save(name + "_overview.png"));
            }
        QSettings().clear();
        // Stage 1 · Block 1 of levit-128S: the 196×196 matrix, area-averaged in the small tab.
        AttentionView view;
        view.resize(850, 450);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showResult(classify(levit::loadModel(big), view.probeNeeded()));
        view.selectQuery(5, 9);
        QTest::qWait(100);
        QVERIFY(view.matrixPanel()->map()->areaAveraged());
        QVERIFY(view.matrixPanel()->noteText().contains("area-averaged"));
        QVERIFY(view.grab().save(out + "/attention_tab_850x450_first_block.png"));
    }
};

QTEST_MAIN(TestAttentionView)
#include "test_attention_view.moc"
