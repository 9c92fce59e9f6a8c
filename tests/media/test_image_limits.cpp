// The documented limits on image files: size, pixels, longest side and side ratio, enforced from the
// header before any codec allocates (decompression bombs), and only regular files read.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <fstream>
#include <string>

#include "levit/error.h"
#include "media/image_decoder.h"
#include "media/image_limits.h"

using namespace levit;

namespace {

QString limitError(int64_t width, int64_t height, int64_t max_pixels = media::kMaxImagePixels) {
    try {
        media::checkImageLimits(width, height, "x.png", max_pixels);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QString decodeError(const std::vector<uint8_t>& bytes, const std::string& name) {
    try {
        media::decodeImageBytes(bytes, name);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return "accepted";
}

QString fileError(const std::string& path) {
    try {
        media::decodeImageFile(path);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return "accepted";
}

void append(std::vector<uint8_t>& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }
void be32(std::vector<uint8_t>& b, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
}
void le32(std::vector<uint8_t>& b, uint32_t v) {
    for (int s = 0; s <= 24; s += 8) b.push_back(uint8_t(v >> s));
}
void le16(std::vector<uint8_t>& b, uint32_t v) { b.push_back(uint8_t(v)), b.push_back(uint8_t(v >> 8)); }

// Small files whose headers claim width x height, each followed by some data so the codec would start.
std::vector<uint8_t> forgedPng(uint32_t w, uint32_t h) {
    std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    be32(b, w), be32(b, h);
    append(b, std::string("\x08\x02\0\0\0", 5));
    b.resize(b.size() + 1000, 0);
    return b;
}
std::vector<uint8_t> forgedJpeg(uint16_t w, uint16_t h) {
    std::vector<uint8_t> b = {0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, uint8_t(h >> 8), uint8_t(h), uint8_t(w >> 8), uint8_t(w), 3};
    for (uint8_t c = 1; c <= 3; ++c) b.insert(b.end(), {c, 0x11, 0});
    b.resize(b.size() + 1000, 0);
    return b;
}
std::vector<uint8_t> forgedTiff(uint32_t w, uint32_t h) {
    std::vector<uint8_t> b = {'I', 'I', 42, 0};
    le32(b, 8);
    le16(b, 2);
    le16(b, 256), le16(b, 4), le32(b, 1), le32(b, w);
    le16(b, 257), le16(b, 4), le32(b, 1), le32(b, h);
    le32(b, 0);
    b.resize(b.size() + 1000, 0);
    return b;
}
std::vector<uint8_t> forgedHdr(int w, int h) {
    std::vector<uint8_t> b;
    append(b, "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + std::to_string(h) + " +X " + std::to_string(w) + "\n");
    b.resize(b.size() + 1000, 0x80);
    return b;
}
std::vector<uint8_t> forgedBmp(int32_t w, int32_t h) {
    std::vector<uint8_t> b = {'B', 'M'};
    le32(b, 0), le32(b, 0), le32(b, 54), le32(b, 40), le32(b, uint32_t(w)), le32(b, uint32_t(h));
    le16(b, 1), le16(b, 24);
    b.resize(b.size() + 1000, 0);
    return b;
}
std::vector<uint8_t> forgedWebp(uint32_t w, uint32_t h) {
    std::vector<uint8_t> b;
    append(b, "RIFF");
    le32(b, 1000);
    append(b, "WEBPVP8X");
    le32(b, 10);
    le32(b, 0);
    for (uint32_t v : {w - 1, h - 1}) b.insert(b.end(), {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16)});
    b.resize(b.size() + 1000, 0);
    return b;
}
std::vector<uint8_t> forgedPnm(int w, int h) {
    std::vector<uint8_t> b;
    append(b, "P6\n# forged\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n");
    b.resize(b.size() + 1000, 7);
    return b;
}

int64_t peakRssKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

class TestImageLimits : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void limitsAreInclusiveAndNamed() {
        QVERIFY(limitError(9459, 9459).isEmpty());                 // 89,472,681 pixels
        QVERIFY(limitError(media::kMaxImagePixels, 1, INT64_MAX).contains("longest side"));
        QVERIFY(limitError(32768, 1000).contains("side ratio"));  // a longest side within its limit, but 32.8:1
        QCOMPARE(limitError(9460, 9460), QString("x.png: image is 9460x9460 pixels; the limit is 89478485 pixels (89 megapixels)"));
        QVERIFY(limitError(32768, 1024).isEmpty());  // the longest side at exactly 32:1
        QCOMPARE(limitError(32769, 2048), QString("x.png: image is 32769x2048 pixels; the limit is 32768 on the longest side"));
        QVERIFY(limitError(3200, 100).isEmpty());
        QCOMPARE(limitError(100, 3201), QString("x.png: image is 100x3201 pixels, a side ratio beyond the limit of 32:1"));
        QCOMPARE(limitError(16384, 1), QString("x.png: image is 16384x1 pixels, a side ratio beyond the limit of 32:1"));
        QVERIFY(limitError(0, 5).contains("image is 0x5 pixels (damaged file)"));
    }

    void wideSampleFormatsGetAQuarter() {
        QCOMPARE(media::pixelLimitFor("PNG"), media::kMaxImagePixels);
        QCOMPARE(media::pixelLimitFor("JPEG"), media::kMaxImagePixels);
        for (const char* format : {"Radiance HDR", "OpenEXR", "PFM", "JPEG 2000"})
            QCOMPARE(media::pixelLimitFor(format), media::kMaxImagePixels / 4);
        QVERIFY(limitError(5000, 5000, media::pixelLimitFor("Radiance HDR")).contains("(22 megapixels for this format)"));
    }

    void forgedHeadersAreRefusedBeforeDecoding_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const std::vector<uint8_t>& b, const char* expected) {
            QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size())) << expected;
        };
        // The cases of issue 13 (each would take gigabytes to decode) and one per remaining format.
        row("png 16384x1", forgedPng(16384, 1), "image is 16384x1 pixels, a side ratio beyond the limit of 32:1");
        row("tiff 20000x20000", forgedTiff(20000, 20000), "image is 20000x20000 pixels; the limit is 89478485 pixels");
        row("hdr 15000x15000", forgedHdr(15000, 15000), "image is 15000x15000 pixels; the limit is 22369621 pixels");
        row("jpeg 6000x16000", forgedJpeg(6000, 16000), "image is 6000x16000 pixels; the limit is 89478485 pixels");
        row("png 50000x50000", forgedPng(50000, 50000), "image is 50000x50000 pixels; the limit is 32768 on the longest side");
        row("bmp", forgedBmp(30000, -30000), "image is 30000x30000 pixels; the limit is 89478485 pixels");
        row("webp", forgedWebp(16000000, 16000000), "image is 16000000x16000000 pixels; the limit is 32768");
        row("pnm", forgedPnm(12000, 12000), "image is 12000x12000 pixels; the limit is 89478485 pixels");
    }
    void forgedHeadersAreRefusedBeforeDecoding() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const int64_t rss_before = peakRssKiB();
        const QString error = decodeError(std::vector<uint8_t>(bytes.begin(), bytes.end()), "bomb");
        QVERIFY2(error.startsWith("bomb: " + expected), qPrintable(error));
        // Nothing image-sized was allocated: the peak resident size moved by less than 32 MiB.
        QVERIFY2(peakRssKiB() - rss_before < 32 * 1024, qPrintable(QString::number(peakRssKiB() - rss_before) + " KiB"));
    }

    void aWideButAdmissiblePanoramaDecodes() {
        cv::Mat panorama(100, 3200, CV_8UC3, cv::Scalar(1, 2, 3));
        std::vector<uint8_t> png;
        cv::imencode(".png", panorama, png);
        const ImageRGB8 image = media::decodeImageBytes(png, "panorama.png");
        QCOMPARE(image.width, 3200);
        QCOMPARE(image.pixels[0], uint8_t(3));
    }

    void onlyRegularFilesAreRead() {
        QCOMPARE(fileError("/dev/zero"), QString("/dev/zero: is not a regular file (a device, pipe or socket), not an image"));
        const std::string fifo = tmp.filePath("pipe.png").toStdString();
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        // Reading it would wait for a writer forever: refused from its type instead.
        QCOMPARE(fileError(fifo), QString::fromStdString(fifo + ": is not a regular file (a device, pipe or socket), not an image"));
        QCOMPARE(fileError(tmp.path().toStdString()), tmp.path() + ": is a folder, not an image");
        QCOMPARE(fileError(tmp.filePath("missing.png").toStdString()), tmp.filePath("missing.png") + ": no such file");
        // A symbolic link to a regular image is fine.
        cv::Mat small(4, 4, CV_8UC3, cv::Scalar(0, 0, 0));
        const std::string real = tmp.filePath("real.png").toStdString(), link = tmp.filePath("link.png").toStdString();
        QVERIFY(cv::imwrite(real, small));
        QCOMPARE(symlink(real.c_str(), link.c_str()), 0);
        QCOMPARE(media::decodeImageFile(link).width, 4);
    }

    void filesAboveTheSizeLimitAreNotRead() {
        // A sparse file: one byte over the limit costs no disk space.
        const std::string path = tmp.filePath("big.png").toStdString();
        { std::ofstream(path) << "x"; }
        QCOMPARE(truncate(path.c_str(), media::kMaxImageFileBytes + 1), 0);
        const int64_t rss_before = peakRssKiB();
        QCOMPARE(fileError(path), QString::fromStdString(path + ": file is 257 MiB; the limit for images is 256 MiB"));
        QVERIFY(peakRssKiB() - rss_before < 32 * 1024);
        // An empty file.
        { std::ofstream(tmp.filePath("empty.png").toStdString()); }
        QCOMPARE(fileError(tmp.filePath("empty.png").toStdString()), tmp.filePath("empty.png") + ": empty file");
    }
};

QTEST_GUILESS_MAIN(TestImageLimits)
#include "test_image_limits.moc"
