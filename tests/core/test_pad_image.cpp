// The input image's CHW -> zero-bordered HWC copy (pad_image.h) against a plain loop: 1 to 4 channels
// (3 takes the AVX2 interleave, 8 pixels at a time, and its scalar tail), sides across the 8-pixel edges,
// borders 0 to 2; the buffer starts full of NaN, so a frame left unzeroed or a pixel left unwritten shows.
// ctest also runs it with LEVIT_NO_AVX512=1 LEVIT_NO_AVX2=1 (the portable loop).
#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "pad_image.h"

class TestPadImage : public QObject {
    Q_OBJECT

private slots:
    void matchesAPlainCopy() {
        for (int channels = 1; channels <= 4; ++channels)
            for (int size : {1, 2, 7, 8, 9, 15, 16, 17, 31, 224})
                for (int border = 0; border <= 2; ++border) {
                    const int side = size + 2 * border;
                    std::vector<float> chw(size_t(channels) * size * size);
                    for (size_t i = 0; i < chw.size(); ++i) chw[i] = float(i) * 0.25f - 7.0f;
                    std::vector<float> out(size_t(side) * side * channels, std::numeric_limits<float>::quiet_NaN());
                    levit::detail::padImage(chw.data(), channels, size, border, out.data());
                    for (int y = 0; y < side; ++y)
                        for (int x = 0; x < side; ++x)
                            for (int c = 0; c < channels; ++c) {
                                const int iy = y - border, ix = x - border;
                                const bool inside = iy >= 0 && iy < size && ix >= 0 && ix < size;
                                const float want = inside ? chw[(size_t(c) * size + iy) * size + ix] : 0.0f;
                                const float got = out[(size_t(y) * side + x) * channels + c];
                                if (!(got == want))
                                    QFAIL(qPrintable(QString("%1 channels, side %2, border %3: (%4, %5) channel %6 is %7, want %8")
                                                         .arg(channels).arg(size).arg(border).arg(y).arg(x).arg(c).arg(got).arg(want)));
                            }
                }
    }

    void zeroFrameLeavesTheInsideAlone() {
        const int side = 9, border = 2, channels = 5;
        std::vector<float> hwc(size_t(side) * side * channels, 1.0f);
        levit::detail::zeroFrame(hwc.data(), side, border, channels);
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const bool frame = y < border || x < border || y >= side - border || x >= side - border;
                for (int c = 0; c < channels; ++c) QCOMPARE(hwc[(size_t(y) * side + x) * channels + c], frame ? 0.0f : 1.0f);
            }
    }
};

QTEST_APPLESS_MAIN(TestPadImage)
#include "test_pad_image.moc"
