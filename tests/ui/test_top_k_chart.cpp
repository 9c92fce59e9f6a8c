// Issue "classroom window" 3: at the default size View > Top-k > 10 elided every label and "T-shirt/top
// under 0..." was cut even at top-5. The top-k chart now gives the names a column as wide as they need; only
// names too long for 60% of the chart lose their middle, and the full name is in the tooltip.
#include <QtTest/QtTest>

#include <QSettings>

#include "view_test_helpers.h"
#include "widgets/main_window.h"
#include "widgets/predictions_view.h"
#include "widgets/top_k_chart.h"

using namespace levit::ui;

class TestTopKChart : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-tests"); }

    // The real window at 1280x720 with the bundled Fashion-MNIST model and its ten class names.
    void fashionTop10IsReadableInA1280x720Window() {
        QSettings().clear();
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.loadModel(view_test::fashionModelDir());
        QVERIFY(loaded.wait(20000));
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.addImageFiles({view_test::fashionSample("sample_01_t-shirt_top.png")});
        QVERIFY2(shown.wait(20000), qPrintable(window.message()));
        PredictionsView* view = window.predictionsView();
        view->setTopK(10);
        QTest::qWait(200);
        const TopKChart* chart = view->chart();
        QCOMPARE(chart->rowCount(), 10);
        QStringList full;
        for (int i = 0; i < chart->rowCount(); ++i) full << chart->fullLabel(i);
        QCOMPARE(chart->drawnLabels(), full);  // nothing elided
        QCOMPARE(full.first(), QString("T-shirt/top"));
        // Every row is at least one line of its text high, so no name is clipped either, and the text is no
        // smaller than 80% of the window's font.
        const QFont drawn = chart->drawnFont();
        qInfo() << "window" << window.size() << "chart" << chart->size() << view->size() << "min" << chart->minimumSizeHint() << window.minimumSizeHint() << QFontMetrics(drawn).height() << chart->fontMetrics().height();
        QVERIFY2(chart->rowHeight() >= QFontMetrics(drawn).height(), qPrintable(QString::number(chart->rowHeight())));
        QVERIFY(drawn.pointSizeF() >= 0.79 * chart->font().pointSizeF());
        QVERIFY(chart->width() < 500);  // the left column of a 1280 px window, not a wide test widget
        view_test::saveScreenshot(&window, "window_1280x720_top10");
    }

    // A long ImageNet name in a narrow chart keeps its start and end; the tooltip has it whole.
    void longNamesLoseOnlyTheirMiddle() {
        TopKChart chart;
        chart.resize(300, 200);
        const std::string long_name = "Granny Smith, a very long apple variety name, green";
        chart.setRanking({{948, long_name, 0.9f, 3.0f}, {1, "goldfish", 0.1f, 1.0f}}, 2);
        const QStringList drawn = chart.drawnLabels();
        QVERIFY2(drawn[0].contains(QChar(0x2026)), qPrintable(drawn[0]));
        QVERIFY(drawn[0].startsWith("Granny"));
        QVERIFY(drawn[0].endsWith("green"));
        QCOMPARE(drawn[1], QString("goldfish"));
        const QString tip = chart.toolTipAt(QPoint(20, 8 + chart.rowHeight() / 2));  // in the first row (no title)
        QVERIFY2(tip.contains(QString::fromStdString(long_name)) && tip.contains("90.00%"), qPrintable(tip));
    }

    // Clicking a row names its class (the window explains it); clicking below the rows names none.
    void clickingARowNamesItsClass() {
        TopKChart chart;
        chart.resize(300, 200);
        chart.setRanking({{948, "Granny Smith", 0.9f, 3.0f}, {1, "goldfish", 0.1f, 1.0f}}, 2);
        QSignalSpy clicked(&chart, &TopKChart::classClicked);
        QTest::mouseClick(&chart, Qt::LeftButton, {}, QPoint(20, 8 + chart.rowHeight() + chart.rowHeight() / 2));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), 1);
        QTest::mouseClick(&chart, Qt::LeftButton, {}, QPoint(20, 195));
        QCOMPARE(clicked.count(), 1);
    }

    // Far too short for its rows: no row is drawn over another; the last one drawn counts the rest.
    void rowsThatDoNotFitAreCountedNotOverlapped() {
        TopKChart chart;
        std::vector<levit::Prediction> ranking;
        for (int i = 0; i < 10; ++i) ranking.push_back({i, "class " + std::to_string(i), 0.1f, 0.0f});
        chart.setRanking(ranking, 10);
        chart.resize(300, 4 * chart.fontMetrics().height() + 12);
        const QStringList drawn = chart.drawnLabels();
        QVERIFY(drawn.size() >= 1 && drawn.size() < 10);
        QVERIFY2(drawn.last().contains(QString("%1 more").arg(10 - drawn.size() + 1)), qPrintable(drawn.last()));
        QVERIFY(chart.rowHeight() >= QFontMetrics(chart.drawnFont()).height());
        QVERIFY(!chart.titleShown());
    }

    // Names replace the config's labels by class index (the ImageNet-1k names for a LABEL_N config).
    void namesReplaceLabelsByIndex() {
        TopKChart chart;
        chart.setRanking({{2, "LABEL_2", 0.6f, 1.0f}, {0, "LABEL_0", 0.4f, 0.5f}}, 5, {"zero", "one", "two"});
        QCOMPARE(chart.rowCount(), 2);
        QCOMPARE(chart.fullLabel(0), QString("two"));
        QCOMPARE(chart.fullLabel(1), QString("zero"));
    }
};

QTEST_MAIN(TestTopKChart)
#include "test_top_k_chart.moc"
