// The GEMM behind every linear layer, convolution and attention product, against a plain triple loop:
// every row remainder (masked vectors), every tile width, split column ranges and row panels, in-place
// and packed A, and each part of the fused epilogue. The bfloat16 kernel is checked against the same
// loop run on bfloat16-rounded operands, so a wrong pairing of k would show as a large error.
#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "gemm.h"

using namespace levit::detail;

namespace {

std::vector<float> randomVector(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1, 1);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

float roundToBf16(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits = ((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16) << 16;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

struct Case {
    int m, k, n;
};

// C = epilogue(A B) with A m x k row-major (a[i * k + kk]) and B column-major (b[j * k + kk]).
std::vector<float> reference(const std::vector<float>& a, const std::vector<float>& b, const Case& c, const Epilogue& ep,
                             const std::vector<float>& c_before, bool round_bf16) {
    std::vector<float> out(c_before);
    for (int j = 0; j < c.n; ++j)
        for (int i = 0; i < c.m; ++i) {
            double sum = 0;
            for (int kk = 0; kk < c.k; ++kk) {
                float x = a[size_t(i) * c.k + kk], y = b[size_t(j) * c.k + kk];
                if (round_bf16) x = roundToBf16(x), y = roundToBf16(y);
                sum += double(x) * y;
            }
            float v = float(sum) * ep.scale;
            if (ep.row_bias) v += ep.row_bias[i];
            if (ep.addend) v += ep.addend[size_t(j) * ep.ld_addend + i];
            if (ep.hardswish) v = v * std::min(std::max(v + 3.0f, 0.0f), 6.0f) / 6.0f;
            float& dst = out[size_t(j) * c.m + i];
            dst = ep.accumulate ? dst + v : v;
        }
    return out;
}

double maxDiff(const std::vector<float>& x, const std::vector<float>& y) {
    double d = 0;
    for (size_t i = 0; i < x.size(); ++i) d = std::max(d, double(std::abs(x[i] - y[i])));
    return d;
}

}  // namespace

class TestGemmKernels : public QObject {
    Q_OBJECT

    void run(const Case& c, bool bf16, unsigned seed) {
        const std::vector<float> a = randomVector(size_t(c.m) * c.k, seed), b = randomVector(size_t(c.k) * c.n, seed + 1),
                                 bias = randomVector(size_t(c.m), seed + 2), addend = randomVector(size_t(c.m) * c.n, seed + 3),
                                 before = randomVector(size_t(c.m) * c.n, seed + 4);
        const PackedMatrix packed = packMatrix(a.data(), c.m, c.k, size_t(c.k), 1);
        const std::vector<uint16_t> packed16 = bf16 ? packBf16(packed) : std::vector<uint16_t>();
        std::vector<float> scratch(tileScratchFloats(c.k));
        auto pack = [&](int first, int count, float* dst) { packColumns(b.data(), size_t(c.k), c.k, first, count, dst); };
        for (int variant = 0; variant < 4; ++variant) {
            Epilogue ep;
            ep.row_bias = variant >= 1 ? bias.data() : nullptr;
            ep.hardswish = variant == 2;
            ep.accumulate = variant == 3;
            ep.scale = variant == 3 ? 0.25f : 1.0f;
            ep.addend = variant == 3 ? addend.data() : nullptr;
            ep.ld_addend = size_t(c.m);
            const std::vector<float> want = reference(a, b, c, ep, before, bf16);
            // Two column ranges and, for the first, the rows as two panel groups (as the pool splits them).
            std::vector<float> got = before;
            OperandA op = OperandA::packed(packed);
            if (bf16) op.bf16 = packed16.data();
            const int split = c.n / 3, panels = op.panels(), half = panels / 2;
            if (half > 0) {
                gemm(op.panelRange(0, half), pack, 0, split, got.data(), size_t(c.m), ep, scratch.data());
                Epilogue rest = ep;
                const int row0 = half * kPanelRows;
                if (rest.row_bias) rest.row_bias += row0;
                if (rest.addend) rest.addend += row0;
                gemm(op.panelRange(half, panels), pack, 0, split, got.data() + row0, size_t(c.m), rest, scratch.data());
            } else {
                gemm(op, pack, 0, split, got.data(), size_t(c.m), ep, scratch.data());
            }
            gemm(op, pack, split, c.n, got.data(), size_t(c.m), ep, scratch.data());
            const double tolerance = 1e-5 * c.k;
            const double d = maxDiff(got, want);
            if (d > tolerance)
                qWarning("m %d k %d n %d, epilogue %d, %s: max diff %.3g", c.m, c.k, c.n, variant, bf16 ? "bf16" : "fp32", d);
            QVERIFY(d <= tolerance);
            if (!bf16 && variant == 0) {  // A read in place from a column-major buffer (attention's values)
                std::vector<float> column_major(size_t(c.m) * c.k);
                for (int i = 0; i < c.m; ++i)
                    for (int kk = 0; kk < c.k; ++kk) column_major[size_t(kk) * c.m + i] = a[size_t(i) * c.k + kk];
                std::vector<float> in_place = before;
                gemm(OperandA::inPlace(column_major.data(), size_t(c.m), c.m, c.k), pack, 0, c.n, in_place.data(),
                     size_t(c.m), ep, scratch.data());
                QVERIFY(maxDiff(in_place, want) <= tolerance);
            }
        }
    }

private slots:
    void float32MatchesTheTripleLoop() {
        unsigned seed = 1;
        for (const Case c : {Case{1, 1, 1}, Case{5, 3, 2}, Case{16, 27, 30}, Case{17, 16, 15}, Case{32, 144, 196},
                             Case{40, 33, 49}, Case{100, 64, 16}, Case{128, 128, 29}, Case{250, 7, 3}})
            run(c, false, seed += 10);
    }

    void bfloat16MatchesTheTripleLoopOnRoundedOperands() {
        if (!cpuHasBf16()) QSKIP("this CPU lacks AVX-512 BF16");
        unsigned seed = 100;
        for (const Case c : {Case{1, 1, 1}, Case{5, 3, 2}, Case{16, 27, 30}, Case{17, 16, 15}, Case{32, 144, 196},
                             Case{40, 33, 49}, Case{100, 64, 16}, Case{128, 128, 29}})
            run(c, true, seed += 10);
    }

    void packedColumnsAreTheTransposedTile() {
        for (int rows : {1, 3, 15, 16, 17, 40}) {
            const std::vector<float> b = randomVector(size_t(rows) * 20, unsigned(rows));
            for (int count : {1, 7, kTileColumns}) {
                std::vector<float> tile(size_t(rows) * kTileColumns, -99.0f);
                packColumns(b.data(), size_t(rows), rows, 3, count, tile.data());
                for (int k = 0; k < rows; ++k)
                    for (int j = 0; j < count; ++j) QCOMPARE(tile[size_t(k) * kTileColumns + j], b[size_t(3 + j) * rows + k]);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestGemmKernels)
#include "test_gemm_kernels.moc"
