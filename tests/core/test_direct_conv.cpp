// The patch-embedding convolutions read straight from a zero-bordered input (direct_conv.h), against a
// double-precision convolution and, where the engine's GEMM runs its AVX2 kernels, against that GEMM fed
// the same windows gathered into tiles: the two must agree bit for bit, since the forward pass takes either
// depending on the CPU. The image's 3 channels (compile-time steps) and 8 to 64 (run-time steps); output
// sides that leave 1 to 5 pixels after the 6-pixel blocks; 8 to 48 output channels (odd numbers of 8-channel
// vectors, a second weight panel); with and without hardswish; an output with a border (the next
// convolution's padding) whose frame must stay untouched; output rows split between calls as the thread
// pool splits them. ctest also runs it with LEVIT_NO_AVX512=1.
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "direct_conv.h"
#include "gemm.h"

using namespace levit::detail;

namespace {

struct Conv {
    int image, in_channels, out_channels;
    bool hardswish;
    int outSize() const { return (image + 2 - 3) / 2 + 1; }
    int k() const { return 9 * in_channels; }
};

constexpr int kOutBorder = 1;
constexpr float kFrame = -1e30f;  // the output's border: never written

struct Data {
    std::vector<float> padded;   // (image + 2)^2 x in_channels, HWC, zero border of one pixel
    std::vector<float> weights;  // out_channels x 9 in_channels, k = (ky, kx, channel)
    std::vector<float> bias;
    PackedMatrix packed;
};

Data makeData(const Conv& c, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-2, 2);
    Data d;
    const int side = c.image + 2;
    const int cin = c.in_channels;
    d.padded.assign(size_t(side) * side * cin, 0.0f);
    for (int y = 1; y <= c.image; ++y)
        for (int x = 1; x <= c.image; ++x)
            for (int ch = 0; ch < cin; ++ch) d.padded[(size_t(y) * side + x) * cin + ch] = dist(rng);
    d.weights.resize(size_t(c.out_channels) * c.k());
    for (float& w : d.weights) w = dist(rng);
    d.bias.resize(size_t(c.out_channels));
    for (float& b : d.bias) b = dist(rng);
    d.packed = packMatrix(d.weights.data(), c.out_channels, c.k(), size_t(c.k()), 1);
    return d;
}

float hardswishOf(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

// The output inside a frame of kOutBorder pixels, as the forward pass writes it for the next convolution.
std::vector<float> directFramed(const Conv& c, const Data& d, const std::vector<int>& row_splits) {
    const int out_size = c.outSize(), side = out_size + 2 * kOutBorder;
    std::vector<float> framed(size_t(side) * side * c.out_channels, kFrame);
    const size_t row = size_t(side) * c.out_channels;
    const DirectConvArgs args{d.padded.data(), size_t(c.image + 2) * c.in_channels, c.in_channels, out_size, c.out_channels,
                              d.packed.data.data(), size_t(c.k()) * kPanelRows, d.bias.data(), c.hardswish,
                              framed.data() + kOutBorder * row + size_t(kOutBorder) * c.out_channels, row};
    int begin = 0;
    for (int end : row_splits) {
        directConv(args, begin, std::min(end, out_size));
        begin = std::min(end, out_size);
    }
    directConv(args, begin, out_size);
    return framed;
}

// The frame's inside ([pixel][channel]); fails when the frame was written.
std::vector<float> inside(const Conv& c, const std::vector<float>& framed) {
    const int out_size = c.outSize(), side = out_size + 2 * kOutBorder;
    std::vector<float> out;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            for (int o = 0; o < c.out_channels; ++o) {
                const float v = framed[(size_t(y) * side + x) * c.out_channels + o];
                const bool frame = y < kOutBorder || x < kOutBorder || y >= side - kOutBorder || x >= side - kOutBorder;
                if (frame) {
                    if (v != kFrame) return {};
                } else {
                    out.push_back(v);
                }
            }
    return out;
}

// The B tile of output pixels first .. first + count - 1: k = (ky, kx, channel), as the forward pass packs it.
void packWindow(const Conv& c, const Data& d, int first, int count, float* dst) {
    const int out_size = c.outSize(), side = c.image + 2, cin = c.in_channels;
    for (int j = 0; j < count; ++j) {
        const int oy = (first + j) / out_size, ox = (first + j) % out_size;
        for (int ky = 0; ky < 3; ++ky)
            for (int r = 0; r < 3 * cin; ++r)
                dst[size_t(ky * 3 * cin + r) * kTileColumns + j] = d.padded[(size_t(2 * oy + ky) * side + 2 * ox) * cin + r];
    }
}

}  // namespace

class TestDirectConv : public QObject {
    Q_OBJECT

private slots:
    void matchesTheConvolutionAndTheGemm_data() {
        QTest::addColumn<int>("image");
        QTest::addColumn<int>("in_channels");
        QTest::addColumn<int>("out_channels");
        QTest::addColumn<bool>("hardswish");
        for (int image : {224, 23, 21, 19, 17, 15, 11, 2, 1})
            for (int out : {8, 16, 24, 40, 48})
                for (bool hs : {true, false})
                    QTest::addRow("%d px, 3 -> %d channels%s", image, out, hs ? ", hardswish" : "") << image << 3 << out << hs;
        // The later convolutions' shapes (levit-128S: 16 -> 32 at 112 px, 32 -> 64 at 56, 64 -> 128 at 28) and odd ones.
        const int shapes[][3] = {{112, 16, 32}, {56, 32, 64}, {28, 64, 128}, {29, 8, 8}, {13, 24, 40}, {7, 1, 16}, {9, 5, 24}};
        for (const auto& sh : shapes)
            for (bool hs : {true, false})
                QTest::addRow("%d px, %d -> %d channels%s", sh[0], sh[1], sh[2], hs ? ", hardswish" : "")
                    << sh[0] << sh[1] << sh[2] << hs;
    }
    void matchesTheConvolutionAndTheGemm() {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) QSKIP("this CPU has no AVX2 + FMA");
        QFETCH(int, image);
        QFETCH(int, in_channels);
        QFETCH(int, out_channels);
        QFETCH(bool, hardswish);
        const Conv c{image, in_channels, out_channels, hardswish};
        const Data d = makeData(c, unsigned(image * 1000 + in_channels * 100 + out_channels));
        const int out_size = c.outSize(), side = image + 2;
        const std::vector<float> framed = directFramed(c, d, {});
        const std::vector<float> got = inside(c, framed);
        QVERIFY2(!got.empty(), "the output's border was written");

        // A double-precision convolution: the kernel sums the window's products in float.
        for (int oy = 0; oy < out_size; ++oy)
            for (int ox = 0; ox < out_size; ++ox)
                for (int o = 0; o < out_channels; ++o) {
                    double sum = 0, magnitude = 0;
                    for (int ky = 0; ky < 3; ++ky)
                        for (int r = 0; r < 3 * in_channels; ++r) {
                            const double term = double(d.weights[size_t(o) * c.k() + ky * 3 * in_channels + r]) *
                                                d.padded[(size_t(2 * oy + ky) * side + 2 * ox) * in_channels + r];
                            sum += term;
                            magnitude += std::abs(term);
                        }
                    float want = float(sum) + d.bias[size_t(o)];
                    if (hardswish) want = hardswishOf(want);
                    const float v = got[(size_t(oy) * out_size + ox) * out_channels + o];
                    if (!(std::abs(v - want) <= 1e-6f * float(magnitude + 1) * 4))
                        QFAIL(qPrintable(QString("pixel (%1, %2) channel %3: %4, want %5").arg(oy).arg(ox).arg(o).arg(v).arg(want)));
                }

        // Rows split across calls (the thread pool's chunks) give the same result.
        QCOMPARE(directFramed(c, d, {1, out_size / 2, out_size - 1}), framed);

        if (!directConvApplies(in_channels, 3, 2, out_channels)) return;  // the GEMM runs other kernels on this CPU
        std::vector<float> gemm_out(got.size(), kFrame), scratch(tileScratchFloats(c.k()));
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

    void appliesOnlyToThePatchEmbeddingsShape() {
        QVERIFY(!directConvApplies(3, 3, 2, 20));  // not whole 8-channel vectors
        QVERIFY(!directConvApplies(16, 5, 2, 16));
        QVERIFY(!directConvApplies(16, 3, 1, 16));
        QVERIFY(!directConvApplies(3, 3, 2, 0));
        QVERIFY(!directConvApplies(0, 3, 2, 16));
    }
};

QTEST_APPLESS_MAIN(TestDirectConv)
#include "test_direct_conv.moc"
