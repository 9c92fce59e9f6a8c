// Decoding images as a user expects (EXIF orientation, gray and alpha like PIL's convert("RGB")) and
// refusing bad files with a message naming them.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

#include <fstream>

#include "media/image_decoder.h"
#include "levit/error.h"

using namespace levit;

namespace {

QString decodeError(const std::vector<uint8_t>& bytes, const std::string& name) {
    try {
        media::decodeImageBytes(bytes, name);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

// A JPEG of a w x h image with an EXIF APP1 segment saying "rotate 90° clockwise" (orientation 6).
std::vector<uint8_t> jpegWithOrientation6(int w, int h) {
    cv::Mat image(h, w, CV_8UC3, cv::Scalar(30, 60, 90));
    image(cv::Rect(0, 0, w / 4, h / 4)).setTo(cv::Scalar(255, 255, 255));
    std::vector<uint8_t> jpeg;
    cv::imencode(".jpg", image, jpeg);
    const std::vector<uint8_t> exif = {
        0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,  // APP1, length 34
        'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,      // TIFF header, little endian, IFD at 8
        0x01, 0x00,                                          // one entry
        0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,     // tag 0x0112 orientation, SHORT, count 1
        0x06, 0x00, 0x00, 0x00,                              // value 6
        0x00, 0x00, 0x00, 0x00};                             // no next IFD
    jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
    return jpeg;
}

}  // namespace

class TestImageDecoder : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void exifOrientationIsHonoured() {
        const ImageRGB8 image = media::decodeImageBytes(jpegWithOrientation6(64, 32), "rotated.jpg");
        QCOMPARE(image.width, 32);
        QCOMPARE(image.height, 64);
        // The white corner block moved from the top left to the top right.
        QVERIFY(image.row(2)[(image.width - 3) * 3] > 200);
        QVERIFY(image.row(2)[2 * 3] < 120);
    }

    void grayAndAlphaBecomeRgbLikePil() {
        cv::Mat gray(4, 5, CV_8UC1, cv::Scalar(77));
        std::vector<uint8_t> png;
        cv::imencode(".png", gray, png);
        const ImageRGB8 g = media::decodeImageBytes(png, "gray.png");
        QCOMPARE(g.width, 5);
        QVERIFY(g.pixels[0] == 77 && g.pixels[1] == 77 && g.pixels[2] == 77);
        cv::Mat bgra(3, 3, CV_8UC4, cv::Scalar(10, 20, 30, 0));  // fully transparent: the colour stays
        cv::imencode(".png", bgra, png);
        const ImageRGB8 c = media::decodeImageBytes(png, "alpha.png");
        QVERIFY(c.pixels[0] == 30 && c.pixels[1] == 20 && c.pixels[2] == 10);
    }

    void deepImagesBecome8BitInEveryRowBand() {
        // 130 rows: more than one of the bands the conversion works in. Row y, column x holds a value
        // that differs per row, column and channel.
        cv::Mat deep(130, 7, CV_16UC3);
        for (int y = 0; y < deep.rows; ++y)
            for (int x = 0; x < deep.cols; ++x)
                deep.at<cv::Vec3w>(y, x) = cv::Vec3w(uint16_t(y * 500), uint16_t(x * 9000), uint16_t(65535 - y * 400));
        std::vector<uint8_t> png;
        cv::imencode(".png", deep, png);
        const ImageRGB8 image = media::decodeImageBytes(png, "deep.png");
        for (int y : {0, 63, 64, 129})
            for (int x : {0, 6}) {
                const uint8_t* p = image.row(y) + x * 3;  // R G B from B G R
                QCOMPARE(int(p[2]), cvRound(y * 500 / 257.0));
                QCOMPARE(int(p[1]), cvRound(x * 9000 / 257.0));
                QCOMPARE(int(p[0]), cvRound((65535 - y * 400) / 257.0));
            }
        // Float images (PFM keeps the floats exactly) scale 0..1 to 0..255 and saturate beyond.
        cv::Mat hdr(70, 3, CV_32FC3, cv::Scalar(0.25f, 2.0f, -1.0f));
        std::vector<uint8_t> pfm;
        cv::imencode(".pfm", hdr, pfm);
        const ImageRGB8 f = media::decodeImageBytes(pfm, "light.pfm");
        QCOMPARE(f.height, 70);
        const uint8_t* last = f.row(69);
        QVERIFY(last[0] == 0 && last[1] == 255 && last[2] == 64);
    }

    void badFilesAreNamed() {
        QVERIFY(decodeError({}, "empty.png").contains("empty.png: empty file"));
        QVERIFY(decodeError({1, 2, 3, 4, 5}, "noise.bin").startsWith("noise.bin: not an image this program can read (supported: PNG, JPEG"));
        // A PNG header claiming 50000 x 50000 pixels is refused before anything is decoded.
        std::vector<uint8_t> huge = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                     0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 2, 0, 0, 0};
        QVERIFY2(decodeError(huge, "huge.png").contains("huge.png: image is 50000x50000 pixels; the limit is 32768"),
                 qPrintable(decodeError(huge, "huge.png")));
        try {
            media::decodeImageFile("/nonexistent/cat.jpg");
            QFAIL("missing file accepted");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("/nonexistent/cat.jpg: no such file"));
        }
        try {
            media::decodeImageFile(tmp.path().toStdString());
            QFAIL("folder accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("is a folder"));
        }
    }
};

QTEST_GUILESS_MAIN(TestImageDecoder)
#include "test_image_decoder.moc"
