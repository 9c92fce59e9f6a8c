// The first patch-embedding convolution read straight from the padded image (first_conv.h), against a
// double-precision convolution and, where the engine's GEMM runs its AVX2 kernels, against that GEMM fed
// the same window gathered into tiles: the two must agree bit for bit, since the forward pass takes either
// depending on the CPU. Output sides that leave 1 to 5 pixels after the 6-pixel blocks, 8 to 48 output
// channels (odd numbers of 8-channel vectors, a second weight panel), with and without hardswish, and
// output rows split between calls as the thread pool splits them. ctest also runs it with LEVIT_NO_AVX512=1.
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "first_conv.h"
#include "gemm.h"

using namespace levit::detail;

namespace {

struct Conv {
    int image, out_channels;
    bool hardswish;
    int outSize() const { return (image + 2 - 3) / 2 + 1; }
};

struct Data {
    std::vector<float> padded;   // (image + 2)^2 x 3, HWC, zero border of one pixel
    std::vector<float> weights;  // out_channels x 27, k = (ky, kx, channel)
    std::vector<float> bias;
    PackedMatrix packed;
};

Data makeData(const Conv& c, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-2, 2);
    Data d;
    const int side = c.image + 2;
    d.padded.assign(size_t(side) * side * 3, 0.0f);
    for (int y = 1; y <= c.image; ++y)
        for (int x = 1; x <= c.image; ++x)
            for (int ch = 0; ch < 3; ++ch) d.padded[(size_t(y) * side + x) * 3 + ch] = dist(rng);
    d.weights.resize(size_t(c.out_channels) * 27);
    for (float& w : d.weights) w = dist(rng);
    d.bias.resize(size_t(c.out_channels));
    for (float& b : d.bias) b = dist(rng);
    d.packed = packMatrix(d.weights.data(), c.out_channels, 27, 27, 1);
    return d;
}

float hardswishOf(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

std::vector<float> direct(const Conv& c, const Data& d, const std::vector<int>& row_splits) {
    const int out_size = c.outSize();
    std::vector<float> out(size_t(out_size) * out_size * c.out_channels, -1e30f);
    const FirstConvArgs args{d.padded.data(), size_t(c.image + 2) * 3, out_size, c.out_channels, d.packed.data.data(),
                             size_t(27) * kPanelRows, d.bias.data(), c.hardswish, out.data()};
    int begin = 0;
    for (int end : row_splits) {
        firstConvDirect(args, begin, std::min(end, out_size));
        begin = std::min(end, out_size);
    }
    firstConvDirect(args, begin, out_size);
    return out;
}

// The B tile of output pixels first .. first + count - 1: k = (ky, kx, channel), as the forward pass packs it.
void packWindow(const Conv& c, const Data& d, int first, int count, float* dst) {
    const int out_size = c.outSize(), side = c.image + 2;
    for (int j = 0; j < count; ++j) {
        const int oy = (first + j) / out_size, ox = (first + j) % out_size;
        for (int ky = 0; ky < 3; ++ky)
            for (int r = 0; r < 9; ++r)
                dst[size_t(ky * 9 + r) * kTileColumns + j] = d.padded[(size_t(2 * oy + ky) * side + 2 * ox) * 3 + r];
    }
}

}  // namespace

class TestFirstConv : public QObject {
    Q_OBJECT

private slots:
    void matchesTheConvolutionAndTheGemm_data() {
        QTest::addColumn<int>("image");
        QTest::addColumn<int>("out_channels");
        QTest::addColumn<bool>("hardswish");
        for (int image : {224, 23, 21, 19, 17, 15, 11, 2, 1})
            for (int channels : {8, 16, 24, 40, 48})
                for (bool hs : {true, false})
                    QTest::addRow("%d px, %d channels%s", image, channels, hs ? ", hardswish" : "") << image << channels << hs;
    }
    void matchesTheConvolutionAndTheGemm() {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) QSKIP("this CPU has no AVX2 + FMA");
        QFETCH(int, image);
        QFETCH(int, out_channels);
        QFETCH(bool, hardswish);
        const Conv c{image, out_channels, hardswish};
        const Data d = makeData(c, unsigned(image * 100 + out_channels));
        const int out_size = c.outSize(), side = image + 2;
        const std::vector<float> got = direct(c, d, {});

        // A double-precision convolution: the kernel sums 27 products in float.
        for (int oy = 0; oy < out_size; ++oy)
            for (int ox = 0; ox < out_size; ++ox)
                for (int o = 0; o < out_channels; ++o) {
                    double sum = 0;
                    for (int ky = 0; ky < 3; ++ky)
                        for (int r = 0; r < 9; ++r)
                            sum += double(d.weights[size_t(o) * 27 + ky * 9 + r]) *
                                   d.padded[(size_t(2 * oy + ky) * side + 2 * ox) * 3 + r];
                    float want = float(sum) + d.bias[size_t(o)];
                    if (hardswish) want = hardswishOf(want);
                    const float v = got[(size_t(oy) * out_size + ox) * out_channels + o];
                    if (!(std::abs(v - want) <= 2e-5f * (1 + std::abs(want))))
                        QFAIL(qPrintable(QString("pixel (%1, %2) channel %3: %4, want %5").arg(oy).arg(ox).arg(o).arg(v).arg(want)));
                }

        // Rows split across calls (the thread pool's chunks) give the same result.
        QCOMPARE(direct(c, d, {1, out_size / 2, out_size - 1}), got);

        if (!firstConvDirectApplies(3, 3, 2, out_channels)) return;  // the GEMM runs other kernels on this CPU
        std::vector<float> gemm_out(got.size(), -1e30f), scratch(tileScratchFloats(27));
        Epilogue ep;
        ep.row_bias = d.bias.data();
        ep.hardswish = hardswish;
        auto pack = [&](int first, int count, float* dst) { packWindow(c, d, first, count, dst); };
        gemm(OperandA::packed(d.packed), PackB(pack), 0, out_size * out_size, gemm_out.data(), size_t(out_channels), ep,
             scratch.data());
        for (size_t i = 0; i < got.size(); ++i)
            if (got[i] != gemm_out[i])
                QFAIL(qPrintable(QString("output %1: direct %2, GEMM %3 (must be equal bit for bit)").arg(i).arg(got[i], 0, 'g', 9).arg(gemm_out[i], 0, 'g', 9)));
    }

    void appliesOnlyToTheFirstConvolutionsShape() {
        QVERIFY(!firstConvDirectApplies(3, 3, 2, 20));  // not whole 8-channel vectors
        QVERIFY(!firstConvDirectApplies(1, 3, 2, 16));  // grey images take the GEMM
        QVERIFY(!firstConvDirectApplies(3, 5, 2, 16));
        QVERIFY(!firstConvDirectApplies(3, 3, 1, 16));
        QVERIFY(!firstConvDirectApplies(3, 3, 2, 0));
    }
};

QTEST_APPLESS_MAIN(TestFirstConv)
#include "test_first_conv.moc"
