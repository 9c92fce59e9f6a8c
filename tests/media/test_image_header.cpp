// Reading an image's format and size from its header alone: right for what OpenCV writes in every
// format, and a clear error (never a read past the end) for truncated or forged headers.
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

#include <cstring>

#include "levit/error.h"
#include "media/image_decoder.h"
#include "media/image_header.h"

using namespace levit;

namespace {

std::vector<uint8_t> encode(const std::string& ext, const cv::Mat& image, const std::vector<int>& params = {}) {
    std::vector<uint8_t> bytes;
    cv::imencode(ext, image, bytes, params);
    return bytes;
}

cv::Mat testImage(int width, int height, int type = CV_8UC3) {
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, 0, 256);
    cv::Mat out;
    if (type == CV_8UC3) return image;
    if (type == CV_8UC1) return image.reshape(1).colRange(0, width).clone();
    image.convertTo(out, type, type == CV_32FC3 ? 1.0 / 255.0 : 257.0);
    return out;
}

QString headerError(const std::vector<uint8_t>& bytes) {
    try {
        media::readImageHeader(bytes, "x.img");
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestImageHeader : public QObject {
    Q_OBJECT

private slots:
    void everyFormatOpenCvWritesIsMeasured_data() {
        QTest::addColumn<QString>("ext");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("format");
        QTest::newRow("png") << ".png" << CV_8UC3 << "PNG";
        QTest::newRow("png 16-bit") << ".png" << CV_16UC3 << "PNG";
        QTest::newRow("jpeg") << ".jpg" << CV_8UC3 << "JPEG";
        QTest::newRow("bmp") << ".bmp" << CV_8UC3 << "BMP";
        QTest::newRow("webp") << ".webp" << CV_8UC3 << "WebP";
        QTest::newRow("tiff") << ".tiff" << CV_8UC3 << "TIFF";
        QTest::newRow("tiff 16-bit") << ".tiff" << CV_16UC3 << "TIFF";
        QTest::newRow("ppm") << ".ppm" << CV_8UC3 << "PNM";
        QTest::newRow("pgm") << ".pgm" << CV_8UC1 << "PNM";
        QTest::newRow("pam") << ".pam" << CV_8UC3 << "PAM";
        QTest::newRow("pfm") << ".pfm" << CV_32FC3 << "PFM";
        QTest::newRow("hdr") << ".hdr" << CV_32FC3 << "Radiance HDR";
        QTest::newRow("exr") << ".exr" << CV_32FC3 << "OpenEXR";
        QTest::newRow("sun raster") << ".sr" << CV_8UC3 << "Sun raster";
        QTest::newRow("jpeg 2000") << ".jp2" << CV_8UC3 << "JPEG 2000";
    }
    void everyFormatOpenCvWritesIsMeasured() {
        QFETCH(QString, ext);
        QFETCH(int, type);
        QFETCH(QString, format);
        // Big enough for OpenJPEG's default of 6 resolution levels.
        const std::vector<uint8_t> bytes = encode(ext.toStdString(), testImage(97, 65, type));
        QVERIFY(!bytes.empty());
        const std::string name = QString("x" + ext).toStdString();
        const auto header = media::readImageHeader(bytes, name);
        QVERIFY(header.has_value());
        QCOMPARE(QString::fromStdString(header->format), format);
        QCOMPARE(header->width, int64_t(97));
        QCOMPARE(header->height, int64_t(65));
        // And the decoder agrees with the header.
        const ImageRGB8 image = media::decodeImageBytes(bytes, name);
        QCOMPARE(image.width, 97);
        QCOMPARE(image.height, 65);
    }

    void webpLossyAndLosslessAndTheJ2kCodestream() {
        const cv::Mat image = testImage(301, 17);
        auto lossless = media::readImageHeader(encode(".webp", image, {cv::IMWRITE_WEBP_QUALITY, 101}), "l.webp");
        QVERIFY(lossless && lossless->width == 301 && lossless->height == 17);
        // A raw JPEG 2000 codestream: SOC, SIZ with a 5,7 image offset inside a 105x57 reference grid.
        std::vector<uint8_t> j2k = {0xFF, 0x4F, 0xFF, 0x51, 0, 41, 0, 0, 0, 0, 0, 105, 0, 0, 0, 57,
                                    0, 0, 0, 5, 0, 0, 0, 7};
        auto codestream = media::readImageHeader(j2k, "c.j2k");
        QVERIFY(codestream && codestream->width == 100 && codestream->height == 50);
    }

    void jpegSizeComesFromTheFrameNotFromAnExifThumbnail() {
        std::vector<uint8_t> jpeg = encode(".jpg", testImage(64, 48));
        // An APP1 segment whose payload looks like a frame header for 9999x9999 must be skipped whole.
        const std::vector<uint8_t> app1 = {0xFF, 0xE1, 0x00, 0x0B, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x27, 0x0F, 0x27, 0x0F};
        jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
        auto header = media::readImageHeader(jpeg, "thumb.jpg");
        QVERIFY(header && header->width == 64 && header->height == 48);
    }

    void unknownBytesAreNoFormat() {
        QVERIFY(!media::readImageHeader(std::vector<uint8_t>{1, 2, 3, 4, 5}, "noise.bin").has_value());
        QVERIFY(!media::readImageHeader(std::vector<uint8_t>{}, "empty").has_value());
        // DICOM, which this OpenCV build could decode through GDCM, is deliberately not a format here.
        std::vector<uint8_t> dicom(132, 0);
        std::memcpy(dicom.data() + 128, "DICM", 4);
        QVERIFY(!media::readImageHeader(dicom, "scan.dcm").has_value());
        const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 0x10, 0, 0x10, 0};  // OpenCV 4.6 has no GIF codec
        QVERIFY(!media::readImageHeader(gif, "a.gif").has_value());
    }

    void truncatedHeadersAreNamedNotOverread_data() {
        QTest::addColumn<QString>("ext");
        for (const char* ext : {".png", ".jpg", ".bmp", ".webp", ".tiff", ".ppm", ".pam", ".pfm", ".hdr", ".exr",
                                ".sr", ".jp2"})
            QTest::newRow(ext) << ext;
    }
    void truncatedHeadersAreNamedNotOverread() {
        QFETCH(QString, ext);
        const int type = ext == ".pfm" || ext == ".hdr" || ext == ".exr" ? CV_32FC3 : CV_8UC3;
        const std::vector<uint8_t> whole = encode(ext.toStdString(), testImage(40, 33, type));
        // Every prefix that still carries the signature either gives the right size or a one-line error:
        // never a crash or a read past the end (the address sanitizer build checks the latter).
        int errors = 0;
        for (size_t n = 4; n < std::min<size_t>(whole.size(), 600); ++n) {
            const std::vector<uint8_t> prefix(whole.begin(), whole.begin() + n);
            try {
                const auto header = media::readImageHeader(prefix, QString("cut" + ext).toStdString());
                if (header) QVERIFY(header->width == 40 && header->height == 33);
            } catch (const Error& e) {
                ++errors;
                const QString message = QString::fromUtf8(e.what());
                QVERIFY2(message.startsWith("cut" + ext + ": ") && !message.contains('\n'), qPrintable(message));
            }
        }
        QVERIFY(errors > 0);
    }

    void aCutHeaderSaysSo() {
        QCOMPARE(headerError({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H'}),
                 QString("x.img: the image header is truncated (damaged or incomplete file)"));
        QCOMPARE(headerError({'P', '6', '\n', '6', '4', '0', ' ', '4'}),
                 QString("x.img: the image header is truncated (damaged or incomplete file)"));
    }

    void forgedSizesOfZeroAreRefused() {
        // PNG claiming 0 x 100.
        std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 0, 0, 0, 0, 100, 8, 2, 0, 0, 0};
        QVERIFY2(headerError(png).contains("the PNG header claims an image of 0x100 pixels"), qPrintable(headerError(png)));
        // An EXR data window whose max is below its min.
        std::vector<uint8_t> exr = {0x76, 0x2F, 0x31, 0x01, 2, 0, 0, 0};
        const std::string attribute = std::string("dataWindow\0box2i\0", 17);
        exr.insert(exr.end(), attribute.begin(), attribute.end());
        for (int32_t v : {0, 0, -5, 10}) {
            exr.push_back(uint8_t(v)), exr.push_back(uint8_t(v >> 8)), exr.push_back(uint8_t(v >> 16));
            exr.push_back(uint8_t(v >> 24));
        }
        exr.insert(exr.begin() + 8 + 17, {16, 0, 0, 0});
        QVERIFY2(headerError(exr).contains("the OpenEXR header claims an image of -4x11 pixels"),
                 qPrintable(headerError(exr)));
    }
};

QTEST_GUILESS_MAIN(TestImageHeader)
#include "test_image_header.moc"
