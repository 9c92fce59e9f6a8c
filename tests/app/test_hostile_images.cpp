// Hostile image files given to the built `levit` (issue 13): decompression bombs, damaged JPEGs,
// endless or blocking files. Each must end with exit code 1, nothing on stdout and exactly one line on
// stderr naming the file and the problem, without a hang and with a bounded peak memory.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include <array>
#include <fstream>
#include <random>

#include "cli_runner.h"
#include "test_support.h"

namespace {

using levit_test::CliRun;

// Peak resident size allowed for a `levit classify` refusing a hostile image. The process itself
// (tiny model, Qt, OpenCV) needs about 60 MiB; decoding any of these files would need 0.3 to 5 GB.
constexpr long kMaxPeakRssMiB = 256;

QString tiny() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0"); }

void writeFile(const QString& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void put32le(std::vector<uint8_t>& b, uint32_t v) {
    for (int s = 0; s <= 24; s += 8) b.push_back(uint8_t(v >> s));
}
void put16le(std::vector<uint8_t>& b, uint32_t v) { b.push_back(uint8_t(v)), b.push_back(uint8_t(v >> 8)); }

// A JPEG that looks like a photo (smooth with some noise), so its entropy-coded data is realistic.
std::vector<uint8_t> photoJpeg() {
    cv::Mat noise(240, 320, CV_8UC3), image(240, 320, CV_8UC3);
    cv::randu(noise, 0, 24);
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols * 3; ++x)
            image.ptr<uint8_t>(y)[x] = uint8_t((x * 2 + y * 3) % 200 + noise.ptr<uint8_t>(y)[x]);
    std::vector<uint8_t> jpeg;
    cv::imencode(".jpg", image, jpeg);
    return jpeg;
}

size_t markerOffset(const std::vector<uint8_t>& b, uint8_t marker) {
    for (size_t i = 2; i + 1 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == marker) return i;
    return 0;
}

long childrenPeakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss / 1024;
}

}  // namespace

class TestHostileImages : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    QString path(const char* name) const { return tmp.filePath(name); }

    // Runs `levit classify` on one file and checks the error contract; returns stderr's line.
    QString refused(const QString& file, const QString& expected) {
        const CliRun r = levit_test::runLevit({"classify", "--model", tiny(), file}, 60000);
        if (r.exit_code == -1) return "crashed or did not finish within 60 s";
        if (r.exit_code != 1) return "exit code " + QString::number(r.exit_code) + ", stdout: " + r.out.left(200);
        if (!r.out.isEmpty()) return "stdout not empty: " + r.out.left(200);
        const QString err = r.err.trimmed();
        if (err.contains('\n')) return "more than one line on stderr:\n" + err;
        const QString line = "levit classify: error: " + file + ": " + expected;
        if (!err.startsWith(line)) return "expected '" + line + "...', got: " + err;
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        // Issue 13's 134-byte PNG of 16384x1: scaling its short side to 256 would take 3.4 GB.
        std::vector<uint8_t> png;
        cv::imencode(".png", cv::Mat(1, 16384, CV_8UC3, cv::Scalar(90, 120, 150)), png);
        writeFile(path("strip.png"), png);
        // A 389 KB TIFF claiming 20000x20000 (1.2 GB of pixels, 2.7 GB to decode).
        std::vector<uint8_t> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0};
        put16le(tiff, 8);
        for (auto [tag, type, value] : std::vector<std::array<uint32_t, 3>>{
                 {256, 4, 20000}, {257, 4, 20000}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, 200}, {277, 3, 1},
                 {278, 4, 20000}}) {
            put16le(tiff, tag), put16le(tiff, type), put32le(tiff, 1);
            if (type == 3) put16le(tiff, value), put16le(tiff, 0);  // a SHORT, left-justified in the field
            else put32le(tiff, value);
        }
        tiff.resize(389 * 1024, 0);
        writeFile(path("huge.tif"), tiff);
        // A Radiance HDR claiming 15000x15000 followed by 2 MB of run-length scanlines (5.2 GB to decode).
        const std::string hdr_header = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 15000 +X 15000\n";
        std::vector<uint8_t> hdr(hdr_header.begin(), hdr_header.end());
        while (hdr.size() < (2u << 20)) hdr.insert(hdr.end(), {2, 2, 0x3A, 0x98, 0xFF, 0x80});
        writeFile(path("huge.hdr"), hdr);
        // A real JPEG whose frame header claims 6000x16000, then the same JPEG damaged in three ways.
        const std::vector<uint8_t> jpeg = photoJpeg();
        writeFile(path("photo.jpg"), jpeg);
        std::vector<uint8_t> claim = jpeg;
        const size_t sof = markerOffset(jpeg, 0xC0);
        QVERIFY(sof > 0);
        claim[sof + 5] = 16000 >> 8, claim[sof + 6] = 16000 & 0xFF, claim[sof + 7] = 6000 >> 8, claim[sof + 8] = 6000 & 0xFF;
        writeFile(path("claims_6000x16000.jpg"), claim);
        writeFile(path("truncated.jpg"), std::vector<uint8_t>(jpeg.begin(), jpeg.begin() + long(jpeg.size() * 2 / 3)));
        std::vector<uint8_t> corrupted = jpeg;
        std::mt19937 random(7);
        const size_t sos = markerOffset(jpeg, 0xDA);
        for (size_t k = 0; k < 32; ++k) corrupted[sos + 600 + k] = uint8_t(random());
        writeFile(path("corrupted.jpg"), corrupted);
        // A PNG cut in half: libpng prints its own complaint, which must not reach the user.
        std::vector<uint8_t> whole_png;
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 256);
        cv::imencode(".png", noise, whole_png);
        writeFile(path("cut.png"), std::vector<uint8_t>(whole_png.begin(), whole_png.begin() + long(whole_png.size() / 2)));
        // A FIFO nobody writes to, and a sparse file just over the size limit.
        QCOMPARE(mkfifo(path("pipe.jpg").toUtf8().constData(), 0600), 0);
        { std::ofstream(path("big.png").toStdString()) << "x"; }
        QCOMPARE(truncate(path("big.png").toUtf8().constData(), (int64_t(256) << 20) + 1), 0);
    }

    void decompressionBombsAreRefusedWithinTheMemoryBound_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("16384x1 png") << "strip.png" << "image is 16384x1 pixels, a side ratio beyond the limit of 32:1";
        QTest::newRow("20000x20000 tiff") << "huge.tif" << "image is 20000x20000 pixels; the limit is 89478485 pixels";
        QTest::newRow("15000x15000 hdr") << "huge.hdr" << "image is 15000x15000 pixels; the limit is 22369621 pixels";
        QTest::newRow("jpeg claiming 6000x16000") << "claims_6000x16000.jpg"
                                                  << "image is 6000x16000 pixels; the limit is 89478485 pixels";
        QTest::newRow("257 MiB file") << "big.png" << "file is 257 MiB; the limit for images is 256 MiB";
    }
    void decompressionBombsAreRefusedWithinTheMemoryBound() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QString problem = refused(path(file.toUtf8().constData()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // The largest peak of every `levit` run so far (a high-water mark over all children).
        const long peak = childrenPeakRssMiB();
        qInfo("peak RSS of levit so far: %ld MiB", peak);
        QVERIFY2(peak < kMaxPeakRssMiB, qPrintable(QString("levit peaked at %1 MiB").arg(peak)));
    }

    void damagedImagesAreRefusedInOneLine_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated jpeg") << "truncated.jpg" << "image is damaged (Premature end of JPEG file)";
        QTest::newRow("corrupted jpeg") << "corrupted.jpg" << "image is damaged (Corrupt JPEG data";
        QTest::newRow("truncated png") << "cut.png" << "image is damaged or a PNG variant OpenCV cannot decode";
    }
    void damagedImagesAreRefusedInOneLine() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QString problem = refused(path(file.toUtf8().constData()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void filesThatNeverEndOrBlockAreRefused() {
        const QString not_regular = "is not a regular file (a device, pipe or socket), not an image";
        QString problem = refused("/dev/zero", not_regular);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = refused(path("pipe.jpg"), not_regular);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = refused(tmp.path(), "is a folder, not an image");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(childrenPeakRssMiB() < kMaxPeakRssMiB);
    }

    void theUndamagedPhotoIsClassified() {
        // The same bytes the damaged files came from: the checks refuse the damage, not the photo.
        const CliRun r = levit_test::runLevit({"classify", "--model", tiny(), "--top-k", "1", path("photo.jpg")}, 60000);
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.startsWith(path("photo.jpg") + "\n  1."), qPrintable(r.out));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestHostileImages)
#include "test_hostile_images.moc"
