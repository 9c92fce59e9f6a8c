// The Teach tab end to end on a generated dataset (three visually distinct classes: horizontal stripes,
// vertical stripes, a disc, each with random phase, size and noise): examples go into cards, Train fine-tunes
// the bundled model off the GUI thread with a live chart, the window then uses the new model, held-out images
// are recognised above chance, Save writes a folder that a fresh window opens with the same predictions; a
// teacher trains the distillation head; Cancel keeps the best epoch; the dataset saves and opens as an
// ImageFolder; what cannot train says why.
#include <QtTest/QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <random>

#include "levit/classifier.h"
#include "levit/training_record.h"
#include "event_loop_watch.h"
#include "test_support.h"
#include "view_test_helpers.h"
#include "widgets/class_card.h"
#include "widgets/image_convert.h"
#include "widgets/main_window.h"
#include "widgets/teach_view.h"
#include "widgets/training_chart.h"

using namespace levit::ui;

namespace {

// One 64x64 image of class `kind` (0: horizontal stripes, 1: vertical stripes, 2: a disc).
levit::ImageRGB8 generated(int kind, std::mt19937& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    const int side = 64;
    const double period = 8 + 8 * u(rng), phase = u(rng) * period;
    const double cx = 24 + 16 * u(rng), cy = 24 + 16 * u(rng), r = 12 + 10 * u(rng);
    levit::ImageRGB8 image;
    image.width = image.height = side;
    image.pixels.resize(size_t(side) * side * 3);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            bool on = false;
            if (kind == 0) on = std::fmod(y + phase, period) < period / 2;
            if (kind == 1) on = std::fmod(x + phase, period) < period / 2;
            if (kind == 2) on = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
            const double v = std::clamp((on ? 220.0 : 30.0) + 25 * (u(rng) - 0.5), 0.0, 255.0);
            for (int c = 0; c < 3; ++c) image.pixels[(size_t(y) * side + x) * 3 + c] = uint8_t(v);
        }
    return image;
}

const char* kNames[] = {"horizontal", "vertical", "disc"};

}  // namespace

class TestTeachView : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<MainWindow> window;
    std::vector<levit::LabeledImage> held_out;

    TeachView* teach() const { return window->teachView(); }

    std::vector<TeachClass> dataset(int per_class, unsigned seed) {
        std::mt19937 rng(seed);
        std::vector<TeachClass> classes(3);
        for (int k = 0; k < 3; ++k) {
            classes[size_t(k)].name = kNames[k];
            for (int i = 0; i < per_class; ++i) classes[size_t(k)].examples.push_back(makeExample(generated(k, rng), QString("gen_%1_%2").arg(k).arg(i)));
        }
        return classes;
    }

    // saveDataset / openDataset run in the background: started, then their signal with the outcome.
    bool saveAndWait(const QString& dir) {
        QSignalSpy saved(teach(), &TeachView::datasetSaved);
        return teach()->saveDataset(dir) && saved.wait(120000) && saved.first().first().toBool();
    }
    bool openAndWait(const QString& dir) {
        QSignalSpy opened(teach(), &TeachView::datasetOpened);
        return teach()->openDataset(dir) && opened.wait(120000) && opened.first().first().toBool();
    }

    // Trains and waits for the window to load the result; returns the trained folder.
    QString trainAndWait(int timeout_ms = 240000) {
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        if (!teach()->train()) return {};
        if (!loaded.wait(timeout_ms)) return {};
        return teach()->trainedModel();
    }

    double heldOutAccuracy(const std::shared_ptr<const levit::Model>& model) {
        levit::Classifier classifier(model, 2);
        int right = 0;
        for (const levit::LabeledImage& image : held_out) right += classifier.classify(image.image).top_k.front().index == image.label;
        return double(right) / held_out.size();
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QStandardPaths::setTestModeEnabled(true);  // trained models go to a test folder, not the user's
        std::mt19937 rng(99);
        for (int i = 0; i < 30; ++i) held_out.push_back({generated(i % 3, rng), i % 3, "held-out"});
    }

    void init() {
        QSettings().clear();
        window = std::make_unique<MainWindow>();
        window->resize(1280, 720);
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(QStringLiteral(LEVIT_SOURCE_DIR "/resources/models/levit-fashion"));
        QVERIFY(loaded.wait(20000));
    }

    void cleanup() { window.reset(); }

    // Add examples, train, recognise held-out images, save, reopen in a fresh window: the same predictions.
    void teachTrainSaveReopen() {
        window->tabs()->setCurrentIndex(window->tabs()->count() - 1);  // the Teach tab, to look at
        teach()->setClasses(dataset(16, 1));
        QCOMPARE(teach()->classCount(), 3);
        QCOMPARE(int(teach()->card(2)->examples().size()), 16);
        teach()->setEpochs(8);
        teach()->setScope("all");
        const QElapsedTimer clock = [] { QElapsedTimer t; t.start(); return t; }();
        const QString trained = trainAndWait();
        QVERIFY2(!trained.isEmpty(), qPrintable(teach()->statusText() + " / " + window->message()));
        qInfo("3 classes x 16 images, 8 epochs, from Train to the model in the window: %.1f s", clock.elapsed() / 1000.0);
        QCOMPARE(teach()->chart()->points(), 8);
        // The window's model is the trained one: its classes are ours.
        QCOMPARE(window->model()->config().numLabels(), 3);
        QCOMPARE(window->model()->config().id2label[2], std::string("disc"));
        const double accuracy = heldOutAccuracy(window->model());
        qInfo("held-out accuracy %.1f%% (chance 33%%)", 100 * accuracy);
        QVERIFY2(accuracy > 0.6, qPrintable(QString::number(accuracy)));
        QTest::qWait(200);
        view_test::saveScreenshot(window.get(), "teach_trained");
        if (qEnvironmentVariableIsSet("LEVIT_SCREENSHOT_DIR")) {
            window->resize(1766, 994);  // a 1920x1080 screen's first window
            QTest::qWait(200);
            view_test::saveScreenshot(window.get(), "teach_trained_1920");
        }
        // training_results.json as levit train writes it.
        QFile results(QDir(trained).filePath("training_results.json"));
        QVERIFY(results.open(QIODevice::ReadOnly));
        const QJsonObject record = QJsonDocument::fromJson(results.readAll()).object();
        QCOMPARE(record["classes"].toArray().size(), 3);
        QCOMPARE(record["epochs"].toArray().size(), 8);

        const QString saved = tmp.filePath("my_model");
        QVERIFY(teach()->saveModel(saved));
        QVERIFY(!teach()->saveModel(saved));  // never overwritten
        const auto first = window->model();
        window.reset();
        window = std::make_unique<MainWindow>();
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(saved);
        QVERIFY(loaded.wait(20000));
        const QString image_path = tmp.filePath("disc.png");
        QVERIFY(toQImage(held_out[2].image).save(image_path));
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->addImageFiles({image_path});
        QVERIFY(shown.wait(20000));
        levit::Classifier reference(first, 1);
        const levit::Classification expected = reference.classify(held_out[2].image);
        const auto& got = window->lastResult()->classification;
        QCOMPARE(got.logits.size(), expected.logits.size());
        for (size_t i = 0; i < got.logits.size(); ++i) QVERIFY(std::abs(got.logits[i] - expected.logits[i]) <= 1e-5);
    }

    // The tab's defaults on 3 classes x 20 images: 20% kept for validation, the automatic epoch count (as levit train
    // picks it). With LEVIT_MEASURE=1 it trains to the end and prints the README's figure (tens of seconds);
    // otherwise it stops after the first epoch.
    void defaultsOnThreeClassesOfTwenty() {
        teach()->setClasses(dataset(20, 11));
        const bool measure = qEnvironmentVariableIsSet("LEVIT_MEASURE");
        QElapsedTimer clock;
        clock.start();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        QVERIFY(teach()->train());
        QVERIFY2(teach()->statusText().contains("Training on 48 images (12 kept aside for validation), " +
                                                QString::number(levit::automaticEpochs(48)) + " epochs"),
                 qPrintable(teach()->statusText()));
        if (!measure) {
            QTRY_VERIFY_WITH_TIMEOUT(teach()->chart()->points() >= 1, 60000);
            teach()->cancelTraining();
        }
        QVERIFY(loaded.wait(600000));
        if (measure)
            qInfo("defaults, 3 classes x 20 images: %d epochs, %.1f s from Train to the model in the window, held-out accuracy %.1f%%",
                  teach()->chart()->points(), clock.elapsed() / 1000.0, 100 * heldOutAccuracy(window->model()));
    }

    // With a teacher, the distillation head learns the teacher's answers and the classification head the labels:
    // the teacher here was taught with two classes swapped, so the two heads must learn different things.
    void aTeacherTrainsTheDistillationHead() {
        std::vector<TeachClass> swapped = dataset(12, 2);
        std::swap(swapped[0].examples, swapped[1].examples);
        teach()->setClasses(std::move(swapped));
        teach()->setEpochs(8);
        teach()->setScope("all");
        const QString teacher_dir = trainAndWait();
        QVERIFY(!teacher_dir.isEmpty());
        const auto teacher = window->model();

        teach()->setClasses(dataset(16, 8));
        teach()->setStartModel(QStringLiteral(LEVIT_SOURCE_DIR "/resources/models/levit-fashion"));
        teach()->setTeacher(teacher_dir);
        teach()->setEpochs(10);
        const QString student = trainAndWait();
        QVERIFY2(!student.isEmpty(), qPrintable(teach()->statusText()));
        QFile config(QDir(student).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        QVERIFY(config.readAll().contains("LevitForImageClassificationWithTeacher"));
        QFile results(QDir(student).filePath("training_results.json"));
        QVERIFY(results.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(results.readAll()).object()["mode"].toString().contains("hard distillation"));
        levit::Classifier student_classifier(window->model(), 1), teacher_classifier(teacher, 1);
        int cls_right = 0, distillation_follows_teacher = 0;
        for (const levit::LabeledImage& image : held_out) {
            const levit::Classification s = student_classifier.classify(image.image);
            cls_right += s.cls_top1.index == image.label;
            distillation_follows_teacher += s.distillation_top1.index == teacher_classifier.classify(image.image).top_k.front().index;
        }
        qInfo("classification head right on %d/%zu held-out images; distillation head agrees with the teacher on %d",
              cls_right, held_out.size(), distillation_follows_teacher);
        QVERIFY(cls_right > int(held_out.size()) * 6 / 10);
        QVERIFY(distillation_follows_teacher > int(held_out.size()) * 6 / 10);
    }

    // Cancel ends training after the current step; the best epoch so far is saved and used.
    void cancelKeepsTheBestSoFar() {
        teach()->setClasses(dataset(10, 3));
        teach()->setEpochs(500);
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        QVERIFY(teach()->train());
        QTRY_VERIFY_WITH_TIMEOUT(teach()->chart()->points() >= 1, 60000);
        teach()->cancelTraining();
        QVERIFY(loaded.wait(60000));
        QVERIFY(teach()->chart()->points() < 500);
        QVERIFY(teach()->statusText().contains("Stopped"));
        QCOMPARE(window->model()->config().numLabels(), 3);
    }

    // The dataset saves as an ImageFolder and opens again into the same cards; a non-empty folder is refused.
    void datasetSavesAndOpens() {
        teach()->setClasses(dataset(5, 4));
        const QString dir = tmp.filePath("dataset");
        QVERIFY(saveAndWait(dir));
        QVERIFY(!saveAndWait(dir));
        QVERIFY(QFileInfo::exists(dir + "/disc/0005.png"));
        teach()->setClasses({});
        QVERIFY(openAndWait(dir));
        QCOMPARE(teach()->classCount(), 3);
        QCOMPARE(teach()->card(0)->name(), QString("disc"));  // folders in name order
        QCOMPARE(int(teach()->card(1)->examples().size()), 5);
        QVERIFY(!openAndWait(tmp.filePath("missing")));
        QCOMPARE(teach()->classCount(), 3);  // a failed open leaves the classes as they were
    }

    // A dataset of many photos opens off the GUI thread with the window's progress bar; while it does, a
    // second open, a save and training are refused; Cancel stops it and leaves the classes as they were.
    void aLargeDatasetOpensInTheBackgroundAndCanBeCancelled() {
        const QString dir = tmp.filePath("large_dataset");
        for (const char* name : {"cats", "dogs"}) {
            QVERIFY(QDir().mkpath(dir + "/" + name));
            for (int i = 0; i < 40; ++i) {
                QImage photo(1600, 1200, QImage::Format_RGB888);
                photo.fill(QColor::fromHsv((i * 37) % 360, 200, 200));
                QVERIFY(photo.save(QString("%1/%2/%3.png").arg(dir, name).arg(i, 3, 10, QChar('0')), "PNG", 90));
            }
        }
        teach()->setClasses(dataset(3, 11));
        levit_test::EventLoopWatch watch;
        QSignalSpy opened(teach(), &TeachView::datasetOpened);
        QVERIFY(teach()->openDataset(dir));
        QVERIFY(watch.elapsedMs() < 200 * levit_test::kSanitizerSlowdown);  // returned at once
        QVERIFY(teach()->datasetBusy());
        QCOMPARE(window->backgroundJobs(), 1);
        QVERIFY(!teach()->openDataset(dir));
        QVERIFY(!teach()->saveDataset(tmp.filePath("elsewhere")));
        QVERIFY(!teach()->train());
        QVERIFY(opened.wait(120000));
        watch.stop();
        qInfo("80 photos of 1600x1200 opened in %lld ms; longest event-loop pause %lld ms", static_cast<long long>(watch.elapsedMs()),
              static_cast<long long>(watch.longestPauseMs()));
        QVERIFY(opened.first().first().toBool());
        QVERIFY2(watch.longestPauseMs() < 400 * levit_test::kSanitizerSlowdown, qPrintable(QString::number(watch.longestPauseMs())));
        QCOMPARE(teach()->classCount(), 2);
        QCOMPARE(int(teach()->card(1)->examples().size()), 40);
        QCOMPARE(window->backgroundJobs(), 0);

        // Cancelled through the window's Cancel: the classes stay.
        teach()->setClasses(dataset(3, 12));
        QSignalSpy cancelled(teach(), &TeachView::datasetOpened);
        QSignalSpy said(teach(), &TeachView::message);
        QVERIFY(teach()->openDataset(dir));
        window->cancelBackgroundWork();
        QVERIFY(cancelled.wait(120000));
        QVERIFY(!cancelled.first().first().toBool());
        QVERIFY(!said.isEmpty());
        QVERIFY2(said.last().at(0).toString().contains("cancelled"), qPrintable(said.last().at(0).toString()));
        QCOMPARE(said.last().at(1).toBool(), false);  // asked for: a note, not an error
        QCOMPARE(teach()->classCount(), 3);
        QCOMPARE(teach()->card(0)->name(), QString("horizontal"));
        QVERIFY(!teach()->datasetBusy());
    }

    // Files and folders dropped or chosen are decoded off the GUI thread; what cannot be read is reported.
    void filesAndFoldersAreAddedInTheBackground() {
        teach()->setClasses(dataset(4, 9));
        const QString dir = tmp.filePath("dataset_for_add");
        QVERIFY(saveAndWait(dir));
        QFile broken(dir + "/disc/broken.png");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a png");
        broken.close();
        ClassCard* card = teach()->addClass("more discs");
        QSignalSpy added(card, &ClassCard::added);
        QSignalSpy message(card, &ClassCard::message);
        card->addPaths({dir + "/disc"});
        QVERIFY(added.wait(30000));  // reported after the event loop ran: decoding did not block the caller
        QCOMPARE(int(card->examples().size()), 4);
        QCOMPARE(message.count(), 1);
        QVERIFY2(message.front().front().toString().contains("broken.png"), qPrintable(message.front().front().toString()));
    }

    // What cannot train says why, and nothing starts.
    void whatCannotTrainSaysWhy() {
        teach()->setClasses(dataset(1, 5));
        QVERIFY(!teach()->train());
        QVERIFY2(teach()->statusText().contains("at least two examples"), qPrintable(teach()->statusText()));
        std::vector<TeachClass> one = dataset(3, 6);
        one.resize(1);
        teach()->setClasses(one);
        QVERIFY(!teach()->train());
        QVERIFY(teach()->statusText().contains("at least two classes"));
        teach()->setClasses(dataset(3, 7));
        teach()->card(1)->setName(teach()->card(0)->name().toUpper());
        QVERIFY(!teach()->train());
        QVERIFY(teach()->statusText().contains("already a class"));
        QVERIFY(!teach()->training());
    }

    // Record without a live view says what to do instead of failing silently.
    void recordWithoutALiveViewSaysSo() {
        ClassCard* card = teach()->card(0);
        QSignalSpy message(card, &ClassCard::message);
        QTest::mousePress(card->recordButton(), Qt::LeftButton);
        QTest::mouseRelease(card->recordButton(), Qt::LeftButton);
        QCOMPARE(message.count(), 1);
        QVERIFY(message.front().front().toString().contains("start the camera"));
        QVERIFY(card->examples().empty());
    }
};

QTEST_MAIN(TestTeachView)
#include "test_teach_view.moc"
