// Opening files and folders for the window, off the GUI thread: name order, bounded by what the window can
// hold (a folder larger than that is listed without keeping its whole listing), messages for broken files
// and empty folders, and cancelling.
#include <QtTest/QtTest>

#include <QFutureWatcher>
#include <QTemporaryDir>

#include "test_support.h"
#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "media/image_decoder.h"
#include "widgets/image_loader.h"
#include "widgets/pool_task.h"

using namespace levit::ui;

namespace {

const QString kImages = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/images");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QStringList kPatterns{"*.png", "*.jpg"};

// loadImages on the global pool, as the window runs it (runInPool).
QFuture<ImageLoadItem> start(const QStringList& paths, ImageBudget budget = {}, std::shared_ptr<const levit::Model> model = nullptr) {
    return levit::ui::runInPool<ImageLoadItem>(QThreadPool::globalInstance(), [paths, budget, model](QPromise<ImageLoadItem>& promise) {
        loadImages(promise, paths, kPatterns, budget, model);
    });
}

QList<ImageLoadItem> run(const QStringList& paths, ImageBudget budget = {}) { return start(paths, budget).results(); }

}  // namespace

class TestImageLoader : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void filesAndFoldersInNameOrderWithThumbnails() {
        const QString folder = tmp.filePath("mixed");
        QVERIFY(QDir().mkpath(folder + "/sub"));
        QVERIFY(QFile::copy(kImages + "/gradient_300x200.png", folder + "/b.png"));
        QVERIFY(QFile::copy(kImages + "/small_31x17.png", folder + "/sub/a.PNG"));  // matched whatever the case
        QVERIFY(QFile::copy(kImages + "/small_31x17.png", folder + "/notes.txt"));  // not an image name: skipped
        const QList<ImageLoadItem> items = run({kImages + "/sinus_640x427.png", folder});
        QCOMPARE(items.size(), 3);
        QCOMPARE(items[0].source, kImages + "/sinus_640x427.png");
        QCOMPARE(items[0].origin, 0);
        QCOMPARE(items[1].source, folder + "/b.png");
        QCOMPARE(items[2].source, folder + "/sub/a.PNG");
        QCOMPARE(items[2].origin, 1);
        for (const ImageLoadItem& item : items) {
            QVERIFY2(item.error.isEmpty(), qPrintable(item.error));
            QVERIFY(!item.thumbnail.isNull());
            QVERIFY(!item.model_input.pixels);  // no model given: no model input
            QVERIFY(std::max(item.thumbnail.width(), item.thumbnail.height()) <= kThumbnailSide);
        }
        QCOMPARE(items[0].size, QSize(640, 427));
    }

    void brokenFilesAndEmptyFoldersAreMessages() {
        const QString empty = tmp.filePath("empty");
        QVERIFY(QDir().mkpath(empty));
        const QString broken = tmp.filePath("broken.png");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG\r\n\x1a\n not a png");
        f.close();
        const QString missing = tmp.filePath("missing.png");
        const QList<ImageLoadItem> items = run({broken, empty, missing});
        QCOMPARE(items.size(), 3);
        QVERIFY2(items[0].error.contains(broken), qPrintable(items[0].error));
        QVERIFY2(items[1].error.contains(missing), qPrintable(items[1].error));
        QVERIFY2(items[2].error.contains(empty) && items[2].error.contains("no images"), qPrintable(items[2].error));
        for (const ImageLoadItem& item : items) QVERIFY(item.thumbnail.isNull() && !item.model_input.pixels);
    }

    // Only what fits is decoded: the first names of a large folder, and a message with its size.
    void aFolderLargerThanTheBudgetGivesItsFirstImages() {
        const QString folder = tmp.filePath("large");
        QVERIFY(QDir().mkpath(folder));
        const QString first = folder + "/p0000.png";
        QVERIFY(QFile::copy(kImages + "/small_31x17.png", first));
        // Created in reverse so the listing order is unlikely to be the name order.
        for (int i = 2999; i >= 1; --i) QVERIFY(QFile::link(first, folder + QString("/p%1.png").arg(i, 4, 10, QChar('0'))));
        const QList<ImageLoadItem> items = run({folder}, {5});
        QCOMPARE(items.size(), 6);
        for (int i = 0; i < 5; ++i) QCOMPARE(items[i].source, folder + QString("/p%1.png").arg(i, 4, 10, QChar('0')));
        QVERIFY2(items[5].error.contains("the first 5 of its 3000 images"), qPrintable(items[5].error));
    }

    // With a model, each image carries what that model's preprocessing makes of it, exactly: the crop
    // Classifier::modelInput makes from the full-resolution image.
    void theModelInputIsMadeForTheModelGiven() {
        const auto model = levit::loadModel(kTiny.toStdString());
        const QString sinus = kImages + "/sinus_640x427.png";
        const QList<ImageLoadItem> items =
            start(QStringList{sinus}, ImageBudget{}, model).results();
        QCOMPARE(items.size(), 1);
        QVERIFY2(items[0].error.isEmpty(), qPrintable(items[0].error));
        QVERIFY(items[0].model_input.fits(model->config()));
        const levit::ImageRGB8 expected = levit::Classifier(model).modelInput(levit::media::decodeImageFile(sinus.toStdString()));
        QCOMPARE(items[0].model_input.pixels->width, expected.width);
        QVERIFY(items[0].model_input.pixels->pixels == expected.pixels);
    }

    // Area-averaged: a fine checkerboard becomes its mean gray, not one of its colours (aliasing), and the
    // aspect ratio holds, also for an image thinner than the averaging block.
    void thumbnailsAverageTheirArea() {
        levit::ImageRGB8 board;
        board.width = 4000;
        board.height = 3000;
        board.pixels.resize(size_t(board.width) * board.height * 3);
        for (int y = 0; y < board.height; ++y)
            for (int x = 0; x < board.width; ++x)
                std::fill_n(board.pixels.begin() + (size_t(y) * board.width + x) * 3, 3, uint8_t((x + y) % 2 ? 250 : 10));
        const QImage thumbnail = makeThumbnail(board);
        QCOMPARE(thumbnail.size(), QSize(kThumbnailSide, kThumbnailSide * 3 / 4));
        for (const QPoint p : {QPoint(0, 0), QPoint(50, 30), QPoint(95, 71)}) QVERIFY(std::abs(qGray(thumbnail.pixel(p)) - 130) <= 2);

        levit::ImageRGB8 strip;
        strip.width = 3000;
        strip.height = 5;
        strip.pixels.assign(size_t(strip.width) * strip.height * 3, 77);
        const QImage thin = makeThumbnail(strip);
        QCOMPARE(thin.width(), kThumbnailSide);
        QCOMPARE(qGray(thin.pixel(10, 0)), 77);
    }

    void cancellingStopsTheJob() {
        const QString folder = tmp.filePath("cancel");
        QVERIFY(QDir().mkpath(folder));
        const QString first = folder + "/q000.png";
        QVERIFY(QFile::copy(kImages + "/sinus_640x427.png", first));
        for (int i = 1; i < 500; ++i) QVERIFY(QFile::link(first, folder + QString("/q%1.png").arg(i, 3, 10, QChar('0'))));
        QFutureWatcher<ImageLoadItem> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        QSignalSpy range(&watcher, &QFutureWatcherBase::progressRangeChanged);
        watcher.setFuture(start(QStringList{folder}));
        QTRY_VERIFY_WITH_TIMEOUT(watcher.future().resultCount() > 0, 20000);
        watcher.cancel();
        QVERIFY(finished.wait(20000));
        QVERIFY(watcher.isCanceled());
        QVERIFY(watcher.future().resultCount() < 500);
        // Decoding reported a range of one step per file.
        QVERIFY(std::any_of(range.begin(), range.end(), [](const QList<QVariant>& r) { return r.at(1).toInt() == 500; }));
    }
};

QTEST_MAIN(TestImageLoader)
#include "test_image_loader.moc"
