// Damaged JPEGs are refused ("image is damaged") instead of decoding to a half-gray picture, while the
// harmless oddities of real files still decode; forged progressive files with endless scans are refused.
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <random>

#include "levit/error.h"
#include "media/image_decoder.h"
#include "media/jpeg_integrity.h"

using namespace levit;

namespace {

// Smooth gradients with some noise: compresses like a photo, neither trivially nor like pure noise.
cv::Mat photoLike(int width, int height, int channels = 3) {
    cv::Mat noise(height, width, CV_8UC(channels));
    cv::randu(noise, 0, 24);
    cv::Mat image(height, width, CV_8UC(channels));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width * channels; ++x)
            image.ptr<uint8_t>(y)[x] = uint8_t((x * 7 / channels + y * 3 + (x % channels) * 60) % 200 + noise.ptr<uint8_t>(y)[x]);
    return image;
}

std::vector<uint8_t> jpeg(const cv::Mat& image, const std::vector<int>& params = {}) {
    std::vector<uint8_t> bytes;
    cv::imencode(".jpg", image, bytes, params);
    return bytes;
}

QString decodeError(const std::vector<uint8_t>& bytes) {
    try {
        media::decodeImageBytes(bytes, "photo.jpg");
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return "accepted";
}

// Offset of the first byte after the first SOS segment's header: where entropy-coded data starts.
size_t scanDataStart(const std::vector<uint8_t>& b) {
    size_t i = 2;
    while (i + 4 < b.size()) {
        const size_t length = size_t(b[i + 2]) << 8 | b[i + 3];
        if (b[i + 1] == 0xDA) return i + 2 + length;
        i += 2 + length;
    }
    return 0;
}

// Offset of the last SOS marker.
size_t lastScanStart(const std::vector<uint8_t>& b) {
    for (size_t i = b.size() - 2; i > 2; --i)
        if (b[i] == 0xFF && b[i + 1] == 0xDA) return i;
    return 0;
}

}  // namespace

class TestJpegIntegrity : public QObject {
    Q_OBJECT
    const cv::Mat image = photoLike(320, 240);

private slots:
    void wholeJpegsDecode() {
        for (const std::vector<int>& params : std::vector<std::vector<int>>{
                 {}, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}, {cv::IMWRITE_JPEG_RST_INTERVAL, 4}, {cv::IMWRITE_JPEG_QUALITY, 20}}) {
            const ImageRGB8 decoded = media::decodeImageBytes(jpeg(image, params), "photo.jpg");
            QCOMPARE(decoded.width, 320);
            QCOMPARE(decoded.height, 240);
        }
        QCOMPARE(media::decodeImageBytes(jpeg(photoLike(320, 240, 1)), "gray.jpg").width, 320);
    }

    void truncatedJpegsAreDamaged() {
        for (const bool progressive : {false, true}) {
            const std::vector<uint8_t> whole = jpeg(image, {cv::IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0});
            const size_t data = scanDataStart(whole);
            QVERIFY(data > 0);
            // Cut right after the scan header, in the middle, and only the end-of-image marker missing.
            for (const size_t cut : {data + 10, (data + whole.size()) / 2, whole.size() - 2}) {
                const std::vector<uint8_t> bytes(whole.begin(), whole.begin() + cut);
                QCOMPARE(decodeError(bytes), QString("photo.jpg: image is damaged (Premature end of JPEG file)"));
            }
        }
    }

    void corruptedDataIsDamaged() {
        const std::vector<uint8_t> whole = jpeg(image);
        const size_t data = scanDataStart(whole);
        std::mt19937 random(13);
        int damaged = 0;
        for (int trial = 0; trial < 10; ++trial) {
            // A run of 32 random bytes, as a bad sector or a broken download leaves it.
            std::vector<uint8_t> bytes = whole;
            const size_t at = data + random() % (whole.size() - data - 64);
            for (size_t k = 0; k < 32; ++k) bytes[at + k] = uint8_t(random());
            const QString error = decodeError(bytes);
            QVERIFY2(error == "accepted" || error.startsWith("photo.jpg: image is damaged (Corrupt JPEG data") ||
                         error.startsWith("photo.jpg: cannot decode the JPEG ("),
                     qPrintable(error));
            damaged += error != "accepted";
        }
        // libjpeg notices nearly every such run (the entropy decoder loses its place); a run that happens
        // to decode to valid codes of the right total length cannot be told from a picture.
        QVERIFY2(damaged >= 8, qPrintable(QString::number(damaged)));
    }

    void harmlessOdditiesStillDecode() {
        // Stray bytes between two header segments: libjpeg warns "extraneous bytes before marker",
        // Pillow and browsers show the picture, and so do we.
        std::vector<uint8_t> bytes = jpeg(image);
        const size_t second_segment = 2 + 2 + (size_t(bytes[4]) << 8 | bytes[5]);
        QCOMPARE(bytes[second_segment], uint8_t(0xFF));
        bytes.insert(bytes.begin() + long(second_segment), {0x00, 0x12, 0x34});
        QCOMPARE(decodeError(bytes), QString("accepted"));
        // Bytes after the end-of-image marker are not part of the image.
        std::vector<uint8_t> trailing = jpeg(image);
        trailing.insert(trailing.end(), {1, 2, 3, 4});
        QCOMPARE(decodeError(trailing), QString("accepted"));
    }

    void endlessProgressiveScansAreRefusedQuickly() {
        // A valid progressive file whose last scan is repeated past the limit: each repetition would make
        // libjpeg process the whole coefficient buffer again.
        const std::vector<uint8_t> whole = jpeg(image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
        const size_t last = lastScanStart(whole);
        QVERIFY(last > 0);
        const std::vector<uint8_t> scan(whole.begin() + long(last), whole.end() - 2);
        std::vector<uint8_t> bytes(whole.begin(), whole.end() - 2);
        for (int k = 0; k < media::kMaxJpegScans; ++k) bytes.insert(bytes.end(), scan.begin(), scan.end());
        bytes.insert(bytes.end(), {0xFF, 0xD9});
        const auto start = std::chrono::steady_clock::now();
        QCOMPARE(decodeError(bytes), QString("photo.jpg: refused a progressive JPEG with more than 1000 scans"));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    }

    void unreadableJpegIsNamed() {
        // A frame header and then nothing libjpeg can use.
        std::vector<uint8_t> bytes(121, 0);
        const uint8_t frame[] = {0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0, 16, 0, 16, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0};
        std::copy(std::begin(frame), std::end(frame), bytes.begin());
        const QString error = decodeError(bytes);
        QVERIFY2(error.startsWith("photo.jpg: cannot decode the JPEG (") || error.startsWith("photo.jpg: image is damaged ("),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestJpegIntegrity)
#include "test_jpeg_integrity.moc"
