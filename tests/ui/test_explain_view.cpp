// The Explain tab in the window, on the bundled Fashion-MNIST model: every method gives a map per head that is
// the engine's own (checked against levit::Explainer), the token method's exactness is shown and true, the
// faithfulness numbers follow, a bar clicked in a chart explains that class, the two heads' difference is the
// difference of their maps, the nudge is found, the export is captioned, a changed image never shows the old
// image's maps, and a checkpoint that cannot be read is reported in the tab.
#include <QtTest/QtTest>

#include <QComboBox>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>

#include <cmath>
#include <numeric>

#include "levit/checkpoint.h"
#include "levit/preprocess.h"
#include "test_support.h"
#include "view_test_helpers.h"
#include "widgets/explain_view.h"
#include "widgets/explained_heatmap.h"
#include "widgets/heatmap_widget.h"
#include "widgets/main_window.h"
#include "widgets/predictions_view.h"
#include "widgets/results_table.h"
#include "widgets/top_k_chart.h"
#include "window_waits.h"

using namespace levit::ui;

class TestExplainView : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> window;
    QTemporaryDir tmp;

    ExplainView* explain() const { return window->explainView(); }

    // Adds `path` and waits until its answer is shown and the open has finished (window_waits.h).
    void addAndWait(const QString& path) {
        QVERIFY2(levit_test::openAndWaitForAnswer(*window, [&] { window->addImageFiles({path}); }),
                 qPrintable(window->message()));
    }

    // Waits for the maps and, when `faithfulness`, for their faithfulness numbers.
    void waitForExplanation(bool faithfulness = true) {
        QTRY_VERIFY_WITH_TIMEOUT(!explain()->computing(), 60000);
        QVERIFY2(!explain()->maps().empty(), qPrintable(explain()->statusText()));
        if (faithfulness) QVERIFY2(!explain()->faithfulness().empty(), qPrintable(explain()->statusText()));
    }

    // Opens the tab and waits until it shows the current image's first maps.
    void openExplainTab() {
        for (int i = 0; i < window->tabs()->count(); ++i)
            if (window->tabs()->tabText(i) == explain()->viewTitle()) window->tabs()->setCurrentIndex(i);
        QTRY_VERIFY_WITH_TIMEOUT(!explain()->maps().empty() || explain()->statusText().startsWith("Could not"), 60000);
    }

    // The window's pixels for the current image, and an explainer of the same checkpoint.
    std::vector<float> currentPixels() const {
        const auto result = window->lastResult();
        const levit::Config& c = result->model->config();
        std::vector<float> pixels(size_t(c.num_channels) * c.image_size * c.image_size);
        levit::normalizeInto(result->model_input, c.preprocess, pixels);
        return pixels;
    }

private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-tests"); }

    void init() {
        QSettings().clear();
        window = std::make_unique<MainWindow>();
        window->resize(1280, 720);
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(view_test::fashionModelDir());
        QVERIFY(loaded.wait(20000));
        addAndWait(view_test::fashionSample("sample_00_ankle_boot.png"));
    }

    void cleanup() { window.reset(); }

    // Default: exact token contributions of the mean head for the top-1 class; the shown sum plus the bias is
    // the averaged logit the window reports for that class.
    void tokenMethodIsExactAndShownSo() {
        openExplainTab();
        waitForExplanation();
        QCOMPARE(explain()->method(), levit::ExplainMethod::Token);
        const auto& c = window->lastResult()->classification;
        QCOMPARE(explain()->explainedClass(), c.top_k.front().index);
        QCOMPARE(int(explain()->maps().size()), 1);
        const ExplainedMap& m = explain()->maps().front();
        const double total = std::accumulate(m.token.tokens.values.begin(), m.token.tokens.values.end(), 0.0);
        QVERIFY(std::abs(total + m.token.bias - m.token.logit) <= 1e-4);
        QVERIFY(std::abs(m.token.logit - c.logits[size_t(c.top_k.front().index)]) <= 1e-4);
        // The panel draws the final grid itself, and says the decomposition is exact only there.
        const int g = m.grid.side;
        QVERIFY(g >= 1);
        QCOMPARE(explain()->panel(0)->map()->rows(), g);
        QVERIFY(explain()->exactnessText().contains("Exact"));
        QVERIFY(explain()->exactnessText().contains("cannot be separated exactly"));
        QVERIFY2(explain()->panel(0)->noteText().contains("Deletion AUC"), qPrintable(explain()->panel(0)->noteText()));
        view_test::saveScreenshot(window.get(), "explain_token");
    }

    // Every method, all three heads side by side: one map per head, each the engine's own numbers.
    void everyMethodMatchesTheEngine() {
        openExplainTab();
        waitForExplanation();
        const levit::LoadedCheckpoint ck = levit::loadCheckpoint(view_test::fashionModelDir().toStdString());
        levit::Explainer reference(ck.config, ck.weights, "reference");
        const std::vector<float> pixels = currentPixels();
        explain()->setHeadMode(ExplainView::HeadMode::AllThree);
        waitForExplanation();
        for (levit::ExplainMethod method : {levit::ExplainMethod::GradCam, levit::ExplainMethod::Gradient, levit::ExplainMethod::GradientTimesInput,
                                            levit::ExplainMethod::IntegratedGradients, levit::ExplainMethod::Occlusion,
                                            levit::ExplainMethod::Rollout}) {
            explain()->setMethod(method);
            waitForExplanation();
            const bool rollout = method == levit::ExplainMethod::Rollout;
            QCOMPARE(int(explain()->maps().size()), rollout ? 1 : 3);
            QCOMPARE(explain()->panelCount(), rollout ? 1 : 3);
            for (const ExplainedMap& m : explain()->maps()) {
                levit::ExplainOptions options;
                options.head = m.head;
                options.class_index = explain()->explainedClass();
                options.steps = 8;  // the tab's default
                const levit::SquareMap expected = reference.explain(method, pixels, options);
                QCOMPARE(m.map.side, expected.side);
                double largest = 0, scale = 0;
                for (size_t i = 0; i < expected.values.size(); ++i) {
                    largest = std::max(largest, double(std::abs(m.map.values[i] - expected.values[i])));
                    scale = std::max(scale, double(std::abs(expected.values[i])));
                }
                QVERIFY2(largest <= 1e-5 * std::max(1.0, scale), qPrintable(levit::methodName(method).c_str() + QString(": %1").arg(largest)));
            }
            QCOMPARE(int(explain()->faithfulness().size()), rollout ? 1 : 3);
            view_test::saveScreenshot(window.get(), "explain_all_three_" + QString::fromStdString(levit::methodName(method)));
        }
    }

    // Where the heads look differently: the third panel is the classification map minus the distillation map.
    void headDifferenceIsTheDifferenceOfTheMaps() {
        openExplainTab();
        waitForExplanation();
        explain()->setMethod(levit::ExplainMethod::Occlusion);
        explain()->setHeadMode(ExplainView::HeadMode::Difference);
        waitForExplanation();
        const auto& maps = explain()->maps();
        QCOMPARE(int(maps.size()), 3);
        QVERIFY(maps[2].difference);
        for (size_t i = 0; i < maps[2].map.values.size(); ++i)
            QVERIFY(std::abs(maps[2].map.values[i] - (maps[0].map.values[i] - maps[1].map.values[i])) <= 1e-6);
        QCOMPARE(int(explain()->faithfulness().size()), 2);  // a difference ranks nothing for the class
    }

    // A bar clicked in the predictions chart opens the Explain tab on that class.
    void clickingABarExplainsThatClass() {
        window->tabs()->setCurrentIndex(0);
        const TopKChart* chart = window->predictionsView()->chart();
        const int second = window->lastResult()->classification.top_k[1].index;
        // Down the label column until the second row's class is named (the chart's own geometry decides where).
        bool clicked = false;
        QSignalSpy spy(chart, &TopKChart::classClicked);
        for (int y = 2; y < chart->height() && !clicked; y += 2) {
            QTest::mouseClick(const_cast<TopKChart*>(chart), Qt::LeftButton, {}, QPoint(20, y));
            clicked = !spy.isEmpty() && spy.back().front().toInt() == second;
        }
        QVERIFY(clicked);
        QTRY_COMPARE(window->tabs()->tabText(window->tabs()->currentIndex()), explain()->viewTitle());
        waitForExplanation();
        QCOMPARE(explain()->explainedClass(), second);
        QVERIFY(explain()->panel(0)->title().contains(QString::fromStdString(window->model()->config().id2label[size_t(second)])));
    }

    // The nudge: the smallest sign step found changes the class, and the tab says from what to what.
    void theNudgeIsShown() {
        openExplainTab();
        waitForExplanation();
        QSignalSpy shown(explain(), &ExplainView::nudgeShown);
        explain()->requestNudge();
        QVERIFY(shown.wait(60000));
        QVERIFY2(explain()->nudgeText().contains("grey levels"), qPrintable(explain()->nudgeText()));
        QTest::qWait(100);  // the scroll area lays the taller tab out first
        view_test::saveScreenshot(explain(), "explain_nudge");
    }

    // The export is the figure with a caption naming the method, the class and the faithfulness.
    void exportIsCaptioned() {
        openExplainTab();
        waitForExplanation();
        const QStringList lines = explain()->exportCaptionLines();
        QVERIFY(!lines.isEmpty());
        QVERIFY(lines.front().contains("Token contributions"));
        QVERIFY(lines.join(' ').contains("deletion AUC"));
        const QString path = tmp.filePath("explain.png");
        QVERIFY(window->exportCurrentView(path));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.height() > explain()->exportImage().height());  // the caption band on top
    }

    // Switching images while a slow method runs: what ends up shown is the new image's explanation.
    void anotherImageNeverShowsTheOldMaps() {
        openExplainTab();
        waitForExplanation();
        explain()->setMethod(levit::ExplainMethod::IntegratedGradients);
        addAndWait(view_test::fashionSample("sample_01_t-shirt_top.png"));
        waitForExplanation();
        const auto& c = window->lastResult()->classification;
        QCOMPARE(explain()->explainedClass(), c.top_k.front().index);
        const levit::LoadedCheckpoint ck = levit::loadCheckpoint(view_test::fashionModelDir().toStdString());
        levit::Explainer reference(ck.config, ck.weights, "reference");
        levit::ExplainOptions options;
        options.class_index = c.top_k.front().index;
        options.steps = 8;
        const levit::SquareMap expected = reference.explain(levit::ExplainMethod::IntegratedGradients, currentPixels(), options);
        for (size_t i = 0; i < expected.values.size(); i += 97)
            QVERIFY(std::abs(explain()->maps().front().map.values[i] - expected.values[i]) <= 1e-5 * std::max(1.0f, std::abs(expected.values[i])));
    }

    // "Next disagreement" opens the next image whose heads pick different classes, with the heads' difference; when
    // every image has both heads agreeing, the window says so and stays. `found`: whether one was.
    void clickNextDisagreement(const QString& folder, const QString& pattern, bool& found) {
        found = false;
        QStringList files;
        for (const QString& f : QDir(folder).entryList({pattern}, QDir::Files, QDir::Name)) files << QDir(folder).filePath(f);
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        window->addImageFiles(files);
        QVERIFY(added.wait(30000));
        QSignalSpy finished(window->resultsTable(), &ResultsTable::runFinished);
        window->resultsTable()->classifyPending();
        QVERIFY(finished.wait(60000));
        openExplainTab();
        waitForExplanation();
        const int from = window->currentImage();
        int expected = -1;
        for (int step = 1; step <= window->imageCount() && expected < 0; ++step) {
            const int i = (from + step) % window->imageCount();
            const auto c = window->resultsTable()->classification(i);
            if (c && c->cls_top1.index != c->distillation_top1.index) expected = i;
        }
        QTest::mouseClick(explain()->disagreementButton(), Qt::LeftButton);
        if (expected < 0) {
            QCOMPARE(window->currentImage(), from);
            QVERIFY2(window->message().contains("agree"), qPrintable(window->message()));
            return;
        }
        QCOMPARE(window->currentImage(), expected);
        QCOMPARE(explain()->headMode(), ExplainView::HeadMode::Difference);
        QTRY_VERIFY_WITH_TIMEOUT(!explain()->computing(), 60000);
        QCOMPARE(int(explain()->maps().size()), 3);
        found = true;
    }

    void nextDisagreementOnTheBundledSamples() {
        bool found = false;
        clickNextDisagreement(QStringLiteral(LEVIT_SOURCE_DIR "/resources/samples"), "sample_*.png", found);
    }

    // The random-weight golden model's heads disagree on some of its images: the click must find one.
    void nextDisagreementFindsOne() {
        const QString tiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(tiny);
        QVERIFY(loaded.wait(20000));
        bool found = false;
        clickNextDisagreement(tiny + "/images", "*.png", found);
        QVERIFY(found);
    }

    // A checkpoint that can no longer be read is reported in the tab, naming it; nothing crashes.
    void anUnreadableCheckpointIsReported() {
        // The window loads a copy of the model; the copy is gone before the Explain tab first needs its weights.
        const QString copy = tmp.filePath("gone");
        QDir().mkpath(copy);
        for (const QString& f : QDir(view_test::fashionModelDir()).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(view_test::fashionModelDir()).filePath(f), QDir(copy).filePath(f)));
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->loadModel(copy);
        QVERIFY(shown.wait(20000));
        QVERIFY(QDir(copy).removeRecursively());
        openExplainTab();
        QTRY_VERIFY_WITH_TIMEOUT(!explain()->computing(), 30000);
        QVERIFY2(explain()->statusText().contains("Could not explain") && explain()->statusText().contains("gone"),
                 qPrintable(explain()->statusText()));
        // And the next request, with the file back, works: nothing is left broken.
        QDir().mkpath(copy);
        for (const QString& f : QDir(view_test::fashionModelDir()).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(view_test::fashionModelDir()).filePath(f), QDir(copy).filePath(f)));
        explain()->setMethod(levit::ExplainMethod::Gradient);
        waitForExplanation();
        QCOMPARE(int(explain()->maps().size()), 1);
    }
};

QTEST_MAIN(TestExplainView)
#include "test_explain_view.moc"
