// Decoding for display at a reduced size: a JPEG is reduced by libjpeg while decoding (1/2, 1/4, 1/8, the
// most that keeps the size asked for), with its EXIF orientation, the same checks as a full decode, and
// the same picture as the full decode scaled down; other formats are decoded whole and reduced.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <fstream>

#include "levit/error.h"
#include "media/image_decoder.h"

using namespace levit;

namespace {

// A w x h picture: a white block in the top left corner on a horizontal gradient.
cv::Mat picture(int w, int h) {
    cv::Mat image(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) image.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 255 / w), 90, 60);
    image(cv::Rect(0, 0, w / 4, h / 4)).setTo(cv::Scalar(255, 255, 255));
    return image;
}

void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// The JPEG of `image` with an EXIF segment saying "rotate 90° clockwise" (orientation 6).
std::vector<uint8_t> jpegWithOrientation6(const cv::Mat& image) {
    std::vector<uint8_t> jpeg;
    cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
    const std::vector<uint8_t> exif = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,
                                       0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0x00};
    jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
    return jpeg;
}

// Mean absolute difference of two RGB images of one size.
double meanDifference(const ImageRGB8& a, const ImageRGB8& b) {
    double sum = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / double(a.pixels.size());
}

}  // namespace

class TestReducedDecode : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void aJpegIsReducedByTheMostThatKeepsTheSizeAskedFor() {
        const std::string path = tmp.filePath("photo.jpg").toStdString();
        writeBytes(path, jpegWithOrientation6(picture(1600, 1200)));
        const ImageRGB8 full = media::decodeImageFile(path);
        QCOMPARE(full.width, 1200);  // rotated
        QCOMPARE(full.height, 1600);
        struct Case {
            int min_long_side, width, height;
        };
        for (const Case c : {Case{1600, 1200, 1600}, Case{900, 1200, 1600}, Case{800, 600, 800}, Case{400, 300, 400}, Case{200, 150, 200}, Case{10, 150, 200}}) {
            const ImageRGB8 reduced = media::decodeImageFileReduced(path, c.min_long_side);
            QCOMPARE(reduced.width, c.width);
            QCOMPARE(reduced.height, c.height);
            // The same picture as the full decode, scaled: the white block is in the top right after rotation.
            cv::Mat full_mat(full.height, full.width, CV_8UC3, const_cast<uint8_t*>(full.pixels.data())), scaled;
            cv::resize(full_mat, scaled, cv::Size(reduced.width, reduced.height), 0, 0, cv::INTER_AREA);
            ImageRGB8 expected;
            expected.width = reduced.width;
            expected.height = reduced.height;
            expected.pixels.assign(scaled.data, scaled.data + scaled.total() * 3);
            QVERIFY2(meanDifference(reduced, expected) < 4.0, qPrintable(QString::number(meanDifference(reduced, expected))));
            QVERIFY(reduced.row(2)[(reduced.width - 3) * 3] > 200);
        }
    }

    void otherFormatsAreDecodedWholeAndReduced() {
        const std::string path = tmp.filePath("picture.png").toStdString();
        QVERIFY(cv::imwrite(path, picture(1000, 500)));
        const ImageRGB8 reduced = media::decodeImageFileReduced(path, 240);
        QCOMPARE(reduced.width, 250);
        QCOMPARE(reduced.height, 125);
        QVERIFY(reduced.row(3)[3 * 3] > 240);  // the white block, top left
    }

    void aBrokenFileIsRefusedWithItsName() {
        const std::string path = tmp.filePath("cut.jpg").toStdString();
        std::vector<uint8_t> jpeg = jpegWithOrientation6(picture(800, 600));
        jpeg.resize(jpeg.size() / 2);
        writeBytes(path, jpeg);
        try {
            media::decodeImageFileReduced(path, 100);
            QFAIL("a truncated JPEG was decoded");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("cut.jpg"), e.what());
        }
    }
};

QTEST_MAIN(TestReducedDecode)
#include "test_reduced_decode.moc"
