// The Model tab's graph (ModelGraphView) on its own, fed results the way the window feeds it: it draws from the
// model alone before a result (times "—"), shows a time for every computed node after one, opens the right view
// for a click or for Enter on the box chosen with Tab and the arrow keys, explains every box on hover, lays out
// irregular configs and levit-384's twelve blocks without overlap inside a scroll area, and paints from the
// palette. Screenshots (LEVIT_SCREENSHOT_DIR) at the tab's size in 1280x720 and 1920x1080 windows, light and dark.
#include <QtTest/QtTest>

#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocumentFragment>
#include <QToolTip>

#include <cmath>
#include <map>

#include "irregular_config.h"
#include "levit/classifier.h"
#include "view_test_helpers.h"
#include "widgets/model_graph_view.h"
#include "widgets/palettes.h"

using namespace levit::ui;
using levit::GraphNodeKind;

namespace {

const QString kSample = view_test::fashionSample("sample_02_trouser.png");

int firstOfKind(const ModelGraphView& view, GraphNodeKind kind) {
    for (int i = 0; i < view.nodeCount(); ++i)
        if (view.node(i).kind == kind) return i;
    return -1;
}

// The view in a scroll area, as the window's tabs hold it.
struct ScrolledGraph {
    QScrollArea scroll;
    ModelGraphView* view = new ModelGraphView;
    explicit ScrolledGraph(QSize size) {
        scroll.setWidgetResizable(true);
        scroll.setWidget(view);
        scroll.resize(size);
        scroll.show();
    }
};

}  // namespace

class TestModelGraphView : public QObject {
    Q_OBJECT

    // Boxes lie inside the view and do not overlap; every box has a tooltip.
    void checkDrawing(const ModelGraphView& view) {
        for (int i = 0; i < view.nodeCount(); ++i) {
            const QRect r = view.nodeRect(i);
            QVERIFY2(!r.isEmpty() && view.rect().contains(r), qPrintable(QString("node %1").arg(i)));
            for (int j = 0; j < i; ++j) QVERIFY(!r.intersects(view.nodeRect(j)));
            QVERIFY(!view.nodeToolTip(i).isEmpty());
            QVERIFY(view.nodeToolTip(i).contains("Click to open"));
        }
    }

    GraphTarget clickNode(ModelGraphView& view, int index) {
        GraphTarget got;
        int emitted = 0;
        auto connection = connect(&view, &ModelGraphView::openRequested, this, [&](const GraphTarget& t) {
            got = t;
            ++emitted;
        });
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.nodeRect(index).center());
        disconnect(connection);
        if (emitted != 1) qWarning("node %d: %d signals", index, emitted);
        return got;
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QCoreApplication::setApplicationName("test_model_graph_view");
    }

    void beforeAResultTheModelAloneIsDrawnWithoutTimes() {
        ScrolledGraph g({860, 560});
        QVERIFY(QTest::qWaitForWindowExposed(&g.scroll));
        g.view->setModel(view_test::fashionModel());
        QCOMPARE(g.view->nodeCount(), int(levit::modelGraph(*view_test::fashionModel()).size()));
        for (int i = 0; i < g.view->nodeCount(); ++i) QCOMPARE(g.view->nodeTimeText(i), QStringLiteral("—"));
        checkDrawing(*g.view);
        QVERIFY(g.view->height() > g.scroll.viewport()->height());  // taller than the tab: it scrolls
        view_test::saveScreenshot(&g.scroll, "model_graph_no_result");
    }

    void aResultTimesEveryComputedNode() {
        ModelGraphView view;
        view.resize(860, 900);
        QCOMPARE(view.probeNeeded().timings, true);
        QVERIFY(!view.probeNeeded().attention && !view.probeNeeded().hidden_states);
        auto result = view_test::classify(view_test::fashionModel(), kSample, view.probeNeeded());
        view.showResult(result);
        for (int i = 0; i < view.nodeCount(); ++i) {
            if (view.node(i).kind == GraphNodeKind::Image) {
                QCOMPARE(view.nodeTimeText(i), QStringLiteral("—"));  // decoding is not the model's work
                continue;
            }
            QVERIFY2(view.nodeTimeText(i).contains("%"), qPrintable(view.nodeTimeText(i)));
        }
        view.clearResult();  // the model stays drawn, the times go
        QVERIFY(view.nodeCount() > 0);
        QCOMPARE(view.nodeTimeText(3), QStringLiteral("—"));
    }

    void clicksOpenTheMatchingView() {
        ModelGraphView view;
        view.resize(860, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto model = view_test::fashionModel();
        view.showResult(view_test::classify(model, kSample, view.probeNeeded()));
        view.resize(860, view.heightForWidth(860));

        GraphTarget t = clickNode(view, firstOfKind(view, GraphNodeKind::Image));
        QCOMPARE(t.view, GraphTarget::View::Input);
        t = clickNode(view, firstOfKind(view, GraphNodeKind::PatchConvolution));
        QCOMPARE(t.view, GraphTarget::View::FeatureMaps);
        QCOMPARE(t.stage, 0);
        // Every attention node opens its own block at head 0; MLPs open their stage's maps.
        int attention_nodes = 0;
        for (int i = 0; i < view.nodeCount(); ++i) {
            const levit::GraphNode& n = view.node(i);
            if (n.kind == GraphNodeKind::Attention || n.kind == GraphNodeKind::AttentionSubsample) {
                t = clickNode(view, i);
                QCOMPARE(t.view, GraphTarget::View::Attention);
                QCOMPARE(t.block, attention_nodes++);
                QCOMPARE(t.head, 0);
                QCOMPARE(t.node, i);
            } else if (n.kind == GraphNodeKind::Mlp) {
                t = clickNode(view, i);
                QCOMPARE(t.view, GraphTarget::View::FeatureMaps);
                QCOMPARE(t.stage, 1 + n.stage);
            }
        }
        QCOMPARE(attention_nodes, int(model->attentionBlocks().size()));
        t = clickNode(view, firstOfKind(view, GraphNodeKind::Pooling));
        QCOMPARE(t.view, GraphTarget::View::FeatureMaps);
        QCOMPARE(t.stage, model->config().numStages());  // the last stage's maps, the ones averaged
        QCOMPARE(clickNode(view, firstOfKind(view, GraphNodeKind::ClassificationHead)).view, GraphTarget::View::Heads);
        QCOMPARE(clickNode(view, firstOfKind(view, GraphNodeKind::DistillationHead)).view, GraphTarget::View::Heads);
        QCOMPARE(clickNode(view, firstOfKind(view, GraphNodeKind::Average)).view, GraphTarget::View::Predictions);

        // A click between boxes opens nothing.
        QSignalSpy opened(&view, &ModelGraphView::openRequested);
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(3, view.height() - 3));
        QCOMPARE(opened.count(), 0);
    }

    // Hovering a box shows its explanation; between boxes nothing.
    void hoverExplainsEveryNode() {
        ModelGraphView view;
        view.resize(860, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setModel(view_test::fashionModel());
        view.resize(860, view.heightForWidth(860));
        for (int i = 0; i < view.nodeCount(); ++i) {
            const QPoint at = view.nodeRect(i).center();
            QHelpEvent help(QEvent::ToolTip, at, view.mapToGlobal(at));
            QCoreApplication::sendEvent(&view, &help);
            QTRY_VERIFY(QToolTip::isVisible());
            QCOMPARE(QToolTip::text(), view.nodeToolTip(i));
            // Two or three plain sentences between the title and the click hint.
            const QString plain = QTextDocumentFragment::fromHtml(QToolTip::text()).toPlainText();
            QVERIFY2(plain.count(". ") + plain.count(".\n") >= 1, qPrintable(plain));
        }
        QToolTip::hideText();
    }

    void theKeyboardReachesEveryNode() {
        ScrolledGraph g({860, 560});
        QVERIFY(QTest::qWaitForWindowExposed(&g.scroll));
        const auto model = view_test::fashionModel();
        g.view->showResult(view_test::classify(model, kSample, g.view->probeNeeded()));
        g.view->setFocus(Qt::TabFocusReason);
        QVERIFY(g.view->hasFocus());
        QCOMPARE(g.view->currentNode(), 0);
        QTest::keyClick(g.view, Qt::Key_Tab);
        QCOMPARE(g.view->currentNode(), 1);
        QTest::keyClick(g.view, Qt::Key_Down);
        QCOMPARE(g.view->currentNode(), 2);
        QTest::keyClick(g.view, Qt::Key_Up);
        QCOMPARE(g.view->currentNode(), 1);
        QTest::keyClick(g.view, Qt::Key_End);
        QCOMPARE(g.view->currentNode(), g.view->nodeCount() - 1);
        QVERIFY(g.scroll.verticalScrollBar()->value() > 0);  // scrolled to the last box
        QVERIFY(g.scroll.viewport()->rect().contains(
            g.view->mapTo(g.scroll.viewport(), g.view->nodeRect(g.view->currentNode()).center())));

        const int attention = firstOfKind(*g.view, GraphNodeKind::Attention);
        g.view->setCurrentNode(attention - 1);
        QTest::keyClick(g.view, Qt::Key_Tab);
        QSignalSpy opened(g.view, &ModelGraphView::openRequested);
        QTest::keyClick(g.view, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        const GraphTarget t = opened.takeFirst().at(0).value<GraphTarget>();
        QCOMPARE(t.view, GraphTarget::View::Attention);
        QCOMPARE(t.block, g.view->node(attention).attention_block);
    }

    // A stage without blocks of its own, stages without MLPs, other key dims and heads per stage.
    void irregularConfigsAreDrawnNodeByNode() {
        auto model = levit::Model::withRandomWeights(levit_test::irregularConfig());
        ModelGraphView view;
        view.resize(860, 900);
        levit::Classifier classifier(model);
        auto result = std::make_shared<InferenceResult>();
        result->model = model;
        levit::ImageRGB8 image;
        image.width = 150;
        image.height = 120;
        image.pixels.assign(size_t(image.width) * image.height * 3, 100);
        result->classification = classifier.classify(image, view.probeNeeded(), &result->probe, &result->model_input);
        view.showResult(result);
        view.resize(860, view.heightForWidth(860));
        QCOMPARE(view.nodeCount(), 20);
        checkDrawing(view);
        const int subsample = firstOfKind(view, GraphNodeKind::AttentionSubsample);
        QVERIFY(view.nodeToolTip(subsample).contains("4 × 4"));  // 7x7 keys -> 4x4 queries
        // The blockless stage's subsample opens its own attention block.
        const GraphTarget t = view.targetOf(subsample + 2);
        QCOMPARE(view.node(subsample + 2).stage, 1);
        QCOMPARE(t.view, GraphTarget::View::Attention);
        QCOMPARE(t.block, 3);
        for (int i = 1; i < view.nodeCount(); ++i) QVERIFY(view.nodeTimeText(i).contains("%"));
    }

    // levit-384 (4 + 4 + 4 blocks): every box still gets a full-size, separate place.
    void deepModelsStayReadable() {
        ScrolledGraph g({1500, 900});
        QVERIFY(QTest::qWaitForWindowExposed(&g.scroll));
        g.view->setModel(levit::Model::withRandomWeights(levit::Config::preset("384")));
        QCOMPARE(g.view->nodeCount(), 38);
        checkDrawing(*g.view);
        const int line = QFontMetrics(g.view->font()).height();
        for (int i = 0; i < g.view->nodeCount(); ++i) QVERIFY(g.view->nodeRect(i).height() >= 4 * line);
        view_test::saveScreenshot(&g.scroll, "model_graph_384");
    }

    // Presentation mode's large fonts: boxes grow with the font instead of cutting their text short.
    void largeFontsGrowTheBoxes() {
        ScrolledGraph g({1330, 900});
        QVERIFY(QTest::qWaitForWindowExposed(&g.scroll));
        g.view->showResult(view_test::classify(view_test::fashionModel(), kSample, g.view->probeNeeded()));
        const QSize normal = g.view->nodeRect(2).size();
        QFont large = g.view->font();
        large.setPointSizeF(large.pointSizeF() * 1.6);
        g.view->setFont(large);
        QTRY_VERIFY(g.view->height() >= g.view->heightForWidth(g.view->width()));
        const QSize big = g.view->nodeRect(2).size();
        QVERIFY(big.width() > normal.width());
        QVERIFY(big.height() >= 4 * QFontMetrics(large).height());
        checkDrawing(*g.view);
        view_test::saveScreenshot(&g.scroll, "model_graph_large_font");
    }

    // Colours come from the palette: untimed boxes are the palette's base, text its text colour.
    void boxesFollowThePalette() {
        for (const QPalette& palette : {lightPalette(), darkPalette()}) {
            ModelGraphView view;
            view.setPalette(palette);
            view.resize(860, 900);
            view.setModel(view_test::fashionModel());
            view.resize(860, view.heightForWidth(860));
            const QImage image = view.exportImage();
            QCOMPARE(image.height(), view.heightForWidth(image.width()) * int(image.devicePixelRatio()));
            const QRect box = view.nodeRect(firstOfKind(view, GraphNodeKind::Mlp));
            QCOMPARE(QColor(image.pixel(box.left() + 3, box.bottom() - 6)), palette.color(QPalette::Base));
            const bool dark = palette.color(QPalette::Window).lightness() < 128;
            // Some text pixels in the box are close to the palette's text colour.
            int text_like = 0;
            const QColor text = palette.color(QPalette::Text);
            for (int y = box.top(); y < box.bottom(); ++y)
                for (int x = box.left(); x < box.right(); ++x) {
                    const QColor c(image.pixel(x, y));
                    text_like += std::abs(c.lightness() - text.lightness()) < 40;
                }
            QVERIFY2(text_like > 50, dark ? "dark" : "light");
        }
    }

    void screenshots_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        // The tab's area in a 1280x720 and a 1920x1080 window (the picture and predictions take the left side).
        QTest::newRow("720p_light") << QSize(860, 560) << false;
        QTest::newRow("720p_dark") << QSize(860, 560) << true;
        QTest::newRow("1080p_light") << QSize(1330, 900) << false;
        QTest::newRow("1080p_dark") << QSize(1330, 900) << true;
    }
    void screenshots() {
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        const QPalette saved = qApp->palette();
        if (dark) qApp->setPalette(darkPalette());
        {
            ScrolledGraph g(size);
            QVERIFY(QTest::qWaitForWindowExposed(&g.scroll));
            // As the worker sends it: with the size of the picture as opened.
            auto result = std::make_shared<InferenceResult>(*view_test::classify(view_test::fashionModel(), kSample, g.view->probeNeeded()));
            result->source_size = QImage(kSample).size();
            g.view->showResult(result);
            checkDrawing(*g.view);
            QVERIFY(g.view->width() <= g.scroll.viewport()->width());  // no sideways scrolling
            // The four convolutions wrap into lines of equal length (2 + 2 where 3 fit, never 3 + 1).
            std::map<int, int> per_line;
            for (int i = 0; i < g.view->nodeCount(); ++i)
                if (g.view->node(i).kind == GraphNodeKind::PatchConvolution) ++per_line[g.view->nodeRect(i).top()];
            for (const auto& [top, count] : per_line) QCOMPARE(count, 4 / int(per_line.size()));
            const QString name = QString("model_graph_%1").arg(QTest::currentDataTag());
            view_test::saveScreenshot(&g.scroll, name);
            const QString dir = qEnvironmentVariable("LEVIT_SCREENSHOT_DIR");
            if (!dir.isEmpty()) g.view->exportImage().save(QDir(dir).filePath(name + "_export.png"));
        }
        qApp->setPalette(saved);
    }
};

QTEST_MAIN(TestModelGraphView)
#include "test_model_graph_view.moc"
