// Opening files and folders for the window, off the GUI thread: name order, bounded by what the window can
// hold (a folder larger than that is listed without keeping its whole listing), messages for broken files
// and empty folders, and cancelling.
#include <QtTest/QtTest>

#include <QFutureWatcher>
#include <QTemporaryDir>
#include <QtConcurrent>

#include "test_support.h"
#include "widgets/image_loader.h"

using namespace levit::ui;

namespace {

const QString kImages = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/images");
const QStringList kPatterns{"*.png", "*.jpg"};

QList<ImageLoadItem> run(const QStringList& paths, ImageBudget budget = {}) {
    return QtConcurrent::run(&loadImages, paths, kPatterns, budget).results();
}

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
            QVERIFY(item.rgb);
            QVERIFY(std::max(item.thumbnail.width(), item.thumbnail.height()) <= kThumbnailSide);
        }
        QCOMPARE(items[0].rgb->width, 640);
        QCOMPARE(items[0].rgb->height, 427);
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
        for (const ImageLoadItem& item : items) QVERIFY(!item.rgb);
    }

    // Only what fits is decoded: the first names of a large folder, and a message with its size.
    void aFolderLargerThanTheBudgetGivesItsFirstImages() {
        const QString folder = tmp.filePath("large");
        QVERIFY(QDir().mkpath(folder));
        const QString first = folder + "/p0000.png";
        QVERIFY(QFile::copy(kImages + "/small_31x17.png", first));
        // Created in reverse so the listing order is unlikely to be the name order.
        for (int i = 2999; i >= 1; --i) QVERIFY(QFile::link(first, folder + QString("/p%1.png").arg(i, 4, 10, QChar('0'))));
        const QList<ImageLoadItem> items = run({folder}, {5, kMaxWindowPixels});
        QCOMPARE(items.size(), 6);
        for (int i = 0; i < 5; ++i) QCOMPARE(items[i].source, folder + QString("/p%1.png").arg(i, 4, 10, QChar('0')));
        QVERIFY2(items[5].error.contains("the first 5 of its 3000 images"), qPrintable(items[5].error));
    }

    void thePixelBudgetStopsDecoding() {
        const QString sinus = kImages + "/sinus_640x427.png";
        const QList<ImageLoadItem> items = run({sinus, sinus, sinus}, {10, 640 * 427 * 2});
        QCOMPARE(items.size(), 3);
        QVERIFY(items[0].rgb && items[1].rgb);
        QVERIFY2(items[2].error.contains("megapixels"), qPrintable(items[2].error));
        QVERIFY(!items[2].rgb);
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
        watcher.setFuture(QtConcurrent::run(&loadImages, QStringList{folder}, kPatterns, ImageBudget{}));
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
