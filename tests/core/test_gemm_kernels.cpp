// The GEMM behind every linear layer, convolution and attention product, against a plain triple loop:
// every row remainder (masked vectors), every tile width, split column ranges and row panels, in-place
// and packed A, and each part of the fused epilogue alone and all together. Sweeps run every M, N and K
// across the panel (32 rows; 16-row AVX-512 and 8-row AVX2 vectors) and tile (14 columns, every width the
// AVX2 kernel unrolls) edges, and K across the AVX2 packer's 8-row transposes. The bfloat16 kernel is
// checked against the same loop run on bfloat16-rounded operands, so a wrong pairing of k would show as
// a large error. multiply() (dense_product.h, the training path's products) is checked on every operand
// layout, across its inner-dimension blocks. ctest runs this at each kernel level (AVX-512, LEVIT_NO_AVX512=1, LEVIT_NO_AVX2=1).
#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <iterator>
#include <random>
#include <vector>

#include "dense_product.h"
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
            if (ep.row_scale) v *= ep.row_scale[i];
            if (ep.row_bias) v += ep.row_bias[i];
            if (ep.addend) v += ep.addend[ep.addend_columns[j] + i];
            if (ep.hardswish) v = v * std::min(std::max(v + 3.0f, 0.0f), 6.0f) / 6.0f;
            float& dst = out[size_t(j) * c.m + i];
            dst = ep.accumulate ? dst + v : v;
        }
    return out;
}

// The fused epilogue's options, each alone, the combinations the engine runs (the kernels compile those
// separately, without a test per column: see dispatchEpilogue in gemm.cpp), and all together.
enum Option { kScale = 1, kRowScale = 2, kBias = 4, kAddend = 8, kHardswish = 16, kAccumulate = 32 };
constexpr int kEpilogueVariants[] = {0,
                                     kScale,
                                     kRowScale,
                                     kBias,
                                     kAddend,
                                     kHardswish,
                                     kAccumulate,
                                     kBias | kHardswish,
                                     kBias | kAccumulate,
                                     kScale | kAddend,
                                     kRowScale | kHardswish,
                                     kScale | kRowScale | kBias | kAddend | kHardswish | kAccumulate};

const char* describe(int options) {
    switch (options) {
        case 0: return "plain";
        case kScale: return "scale";
        case kRowScale: return "row_scale";
        case kBias: return "row_bias";
        case kAddend: return "addend";
        case kHardswish: return "hardswish";
        case kAccumulate: return "accumulate";
        case kBias | kHardswish: return "row_bias + hardswish (dense layer)";
        case kBias | kAccumulate: return "row_bias + accumulate (residual)";
        case kScale | kAddend: return "scale + addend (attention scores)";
        case kRowScale | kHardswish: return "row_scale + hardswish (attention values)";
        default: return "all options";
    }
}

double maxDiff(const std::vector<float>& x, const std::vector<float>& y) {
    double d = 0;
    for (size_t i = 0; i < x.size(); ++i) d = std::max(d, double(std::abs(x[i] - y[i])));
    return d;
}

}  // namespace

class TestGemmKernels : public QObject {
    Q_OBJECT

    // Returns false (after a warning naming the case) on the first mismatch, so sweeps stop there.
    bool run(const Case& c, bool bf16, unsigned seed) {
        const std::vector<float> a = randomVector(size_t(c.m) * c.k, seed), b = randomVector(size_t(c.k) * c.n, seed + 1),
                                 bias = randomVector(size_t(c.m), seed + 2), addend = randomVector(size_t(c.m) + c.n, seed + 3),
                                 before = randomVector(size_t(c.m) * c.n, seed + 4), row_scale = randomVector(size_t(c.m), seed + 5);
        // The addend's columns overlap, last column first (as the attention bias's windows do): column j
        // starts at element n - 1 - j.
        std::vector<uint32_t> addend_columns(size_t(c.n));
        for (int j = 0; j < c.n; ++j) addend_columns[size_t(j)] = uint32_t(c.n - 1 - j);
        const PackedMatrix packed = packMatrix(a.data(), c.m, c.k, size_t(c.k), 1);
        const std::vector<uint16_t> packed16 = bf16 ? packBf16(packed) : std::vector<uint16_t>();
        std::vector<float> scratch(tileScratchFloats(c.k));
        auto pack = [&](int first, int count, float* dst) { packColumns(b.data(), size_t(c.k), c.k, first, count, dst); };
        for (const int options : kEpilogueVariants) {
            Epilogue ep;
            ep.scale = options & kScale ? 0.25f : 1.0f;
            ep.row_scale = options & kRowScale ? row_scale.data() : nullptr;
            ep.row_bias = options & kBias ? bias.data() : nullptr;
            ep.addend = options & kAddend ? addend.data() : nullptr;
            ep.addend_columns = options & kAddend ? addend_columns.data() : nullptr;
            ep.hardswish = options & kHardswish;
            ep.accumulate = options & kAccumulate;
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
                if (rest.row_scale) rest.row_scale += row0;
                if (rest.row_bias) rest.row_bias += row0;
                if (rest.addend) rest.addend += row0;
                gemm(op.panelRange(half, panels), pack, 0, split, got.data() + row0, size_t(c.m), rest, scratch.data());
            } else {
                gemm(op, pack, 0, split, got.data(), size_t(c.m), ep, scratch.data());
            }
            gemm(op, pack, split, c.n, got.data(), size_t(c.m), ep, scratch.data());
            const double tolerance = 1e-5 * c.k;
            const double d = maxDiff(got, want);
            if (d > tolerance) {
                qWarning("m %d k %d n %d, %s, %s: max diff %.3g", c.m, c.k, c.n, describe(options), bf16 ? "bf16" : "fp32", d);
                return false;
            }
            if (!bf16 && (options == 0 || options == kRowScale)) {  // A read in place from a column-major buffer (attention's values)
                std::vector<float> column_major(size_t(c.m) * c.k);
                for (int i = 0; i < c.m; ++i)
                    for (int kk = 0; kk < c.k; ++kk) column_major[size_t(kk) * c.m + i] = a[size_t(i) * c.k + kk];
                std::vector<float> in_place = before;
                gemm(OperandA::inPlace(column_major.data(), size_t(c.m), c.m, c.k), pack, 0, c.n, in_place.data(),
                     size_t(c.m), ep, scratch.data());
                const double d_in_place = maxDiff(in_place, want);
                if (d_in_place > tolerance) {
                    qWarning("m %d k %d n %d, %s, A in place: max diff %.3g", c.m, c.k, c.n, describe(options), d_in_place);
                    return false;
                }
            }
        }
        return true;
    }

    // XNNPACK-style sweeps: one dimension runs through every value across two panels or three tiles
    // while the others sit on and beside their edges.
    static std::vector<Case> sweepCases() {
        std::vector<Case> cases;
        for (int m = 1; m <= 3 * kPanelRows + 1; ++m)
            for (int n : {1, kTileColumns - 1, kTileColumns, kTileColumns + 1, 2 * kTileColumns + 1})
                for (int k : {1, 2, 17}) cases.push_back({m, k, n});
        for (int n = 1; n <= 3 * kTileColumns + 1; ++n)
            for (int m : {1, 15, 16, 17, kPanelRows, kPanelRows + 1})
                for (int k : {3, 16}) cases.push_back({m, k, n});
        for (int k = 1; k <= 2 * kPanelRows + 1; ++k)
            for (int m : {16, kPanelRows + 1})
                for (int n : {kTileColumns, kTileColumns + 1}) cases.push_back({m, k, n});
        // Groups of tiles packed together (tileGroupSize): whole and partial groups, and k so large that a
        // group is the smallest one (kMinGroupTiles tiles).
        const int group = tileGroupSize(17);
        for (int n : {group * kTileColumns, group * kTileColumns + 1, group * kTileColumns + 2, 2 * group * kTileColumns + 9})
            for (int m : {1, kPanelRows + 9}) cases.push_back({m, 17, n});
        for (int k : {kTileGroupFloats / kTileColumns / 3 + 1, kTileGroupFloats / kTileColumns + 1})
            cases.push_back({kPanelRows + 9, k, 3 * kTileColumns + 2});
        return cases;
    }

    void sweep(bool bf16) {
        unsigned seed = bf16 ? 5000 : 1000;
        int count = 0;
        for (const Case& c : sweepCases()) {
            if (!run(c, bf16, seed += 10)) QFAIL(qPrintable(QString("mismatch at m %1 k %2 n %3").arg(c.m).arg(c.k).arg(c.n)));
            ++count;
        }
        qInfo("%d shapes x %d epilogues checked (%s)", count, int(std::size(kEpilogueVariants)), bf16 ? "bf16" : "fp32");
    }

    // Whether the bfloat16 kernels run here. In the AVX2 and portable variants of this test (LEVIT_NO_AVX512=1)
    // they must not, even on a CPU that has them: that is what is checked there, instead of skipping; a CPU
    // without them skips visibly.
    static bool bfloat16KernelsRun() {
        if (qEnvironmentVariable("LEVIT_NO_AVX512") == "1") {
            if (cpuHasBf16()) QTest::qFail("LEVIT_NO_AVX512=1 left the bfloat16 kernels on", __FILE__, __LINE__);
            return false;
        }
        if (!cpuHasBf16()) QTest::qSkip("this CPU lacks AVX-512 BF16", __FILE__, __LINE__);
        return cpuHasBf16();
    }

private slots:
    void float32MatchesTheTripleLoop() {
        unsigned seed = 1;
        for (const Case c : {Case{1, 1, 1}, Case{5, 3, 2}, Case{16, 27, 30}, Case{17, 16, 15}, Case{32, 144, 196},
                             Case{40, 33, 49}, Case{100, 64, 16}, Case{128, 128, 29}, Case{250, 7, 3}})
            QVERIFY(run(c, false, seed += 10));
    }

    void float32SweepAcrossPanelAndTileEdges() { sweep(false); }

    void bfloat16SweepAcrossPanelAndTileEdges() {
        if (!bfloat16KernelsRun()) return;
        sweep(true);
    }

    // row_scale (attention's 1 / softmax denominator, applied in the values product) on its own numbers:
    // with A = I and one column of B, C is B's column times each row's factor, exactly.
    void rowScaleMultipliesEachRow() {
        for (const int m : {1, 16, 17, kPanelRows + 3}) {
            std::vector<float> identity(size_t(m) * m, 0.0f), scale(size_t(m), 0.0f), column(size_t(m), 0.0f), c(size_t(m), -1.0f);
            for (int i = 0; i < m; ++i) {
                identity[size_t(i) * m + i] = 1.0f;
                scale[size_t(i)] = float(i + 1) / 8.0f;
                column[size_t(i)] = float(2 * i - 5);
            }
            const PackedMatrix packed = packMatrix(identity.data(), m, m, size_t(m), 1);
            std::vector<float> scratch(tileScratchFloats(m));
            auto pack = [&](int first, int count, float* dst) { packColumns(column.data(), size_t(m), m, first, count, dst); };
            Epilogue ep;
            ep.row_scale = scale.data();
            gemm(OperandA::packed(packed), pack, 0, 1, c.data(), size_t(m), ep, scratch.data());
            for (int i = 0; i < m; ++i) QCOMPARE(c[size_t(i)], column[size_t(i)] * scale[size_t(i)]);
        }
    }

    void bfloat16MatchesTheTripleLoopOnRoundedOperands() {
        if (!bfloat16KernelsRun()) return;
        unsigned seed = 100;
        for (const Case c : {Case{1, 1, 1}, Case{5, 3, 2}, Case{16, 27, 30}, Case{17, 16, 15}, Case{32, 144, 196},
                             Case{40, 33, 49}, Case{100, 64, 16}, Case{128, 128, 29}})
            QVERIFY(run(c, true, seed += 10));
    }

    // The training path's general product: A and B plain, transposed or strided both ways, inner dimensions
    // across the 256-long blocks, alpha and accumulation, one workspace reused for every shape.
    void denseProductOnEveryLayout() {
        ProductWorkspace workspace;
        unsigned seed = 7000;
        int checked = 0;
        for (const Case c : {Case{1, 1, 1}, Case{17, 3, 15}, Case{33, 255, 14}, Case{40, 256, 29}, Case{31, 257, 13},
                             Case{70, 600, 5}, Case{5, 513, 40}})
            for (int layout_a = 0; layout_a < 2; ++layout_a)
                for (int layout_b = 0; layout_b < 3; ++layout_b)
                    for (const bool accumulate : {false, true}) {
                        // Storage with gaps (leading dimensions larger than needed) so strides are exercised.
                        const int lda = (layout_a == 0 ? c.m : c.k) + 3, ldb = (layout_b == 0 ? c.k : c.n) + 2;
                        const std::vector<float> a = randomVector(size_t(lda) * (layout_a == 0 ? c.k : c.m), seed++);
                        const std::vector<float> b = randomVector(2 * size_t(ldb) * std::max(c.k, c.n), seed++);
                        // A: column-major (rows contiguous, read in place) or row-major (packed).
                        const MatrixView va = layout_a == 0 ? MatrixView{a.data(), c.m, c.k, 1, lda} : MatrixView{a.data(), c.m, c.k, lda, 1};
                        // B: column-major, row-major, or every other element of a row-major array (no unit stride).
                        MatrixView vb{b.data(), c.k, c.n, 1, ldb};
                        if (layout_b == 1) vb = MatrixView{b.data(), c.k, c.n, ldb, 1};
                        if (layout_b == 2) vb = MatrixView{b.data(), c.k, c.n, 2 * ldb, 2};
                        const int ldc = c.m + 1;
                        std::vector<float> out = randomVector(size_t(ldc) * c.n, seed++);
                        const std::vector<float> before = out;
                        const float alpha = 0.75f;
                        multiply(va, vb, out.data(), size_t(ldc), alpha, accumulate, workspace);
                        for (int j = 0; j < c.n; ++j)
                            for (int i = 0; i < c.m; ++i) {
                                double sum = 0, magnitude = 0;
                                for (int k = 0; k < c.k; ++k) {
                                    const double term = double(va.data[i * va.row_stride + k * va.col_stride]) *
                                                        double(vb.data[k * vb.row_stride + j * vb.col_stride]);
                                    sum += term;
                                    magnitude += std::abs(term);
                                }
                                const double expected = alpha * sum + (accumulate ? before[size_t(j) * ldc + i] : 0.0);
                                const double got = out[size_t(j) * ldc + i];
                                if (std::abs(got - expected) > 1e-5 * (magnitude + 1.0))
                                    QFAIL(qPrintable(QString("m %1 k %2 n %3, A layout %4, B layout %5, accumulate %6: C(%7, %8) = %9, expected %10")
                                                         .arg(c.m).arg(c.k).arg(c.n).arg(layout_a).arg(layout_b).arg(accumulate)
                                                         .arg(i).arg(j).arg(got).arg(expected)));
                            }
                        // The padding row of C is never written.
                        for (int j = 0; j < c.n; ++j) QCOMPARE(out[size_t(j) * ldc + c.m], before[size_t(j) * ldc + c.m]);
                        ++checked;
                    }
        qInfo("%d products checked", checked);
    }

    // Every column count (the AVX2 packer transposes 8 columns at a time, the AVX-512 one 16) and row
    // counts across the 8- and 16-row transpose edges; nothing is written past the tile's rows (columns
    // past `count` within them are scratch the kernels never read).
    void packedColumnsAreTheTransposedTile() {
        for (int rows : {1, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 40}) {
            const std::vector<float> b = randomVector(size_t(rows) * 20, unsigned(rows));
            for (int count = 1; count <= kTileColumns; ++count) {
                std::vector<float> tile(size_t(rows + 1) * kTileColumns, -99.0f);
                packColumns(b.data(), size_t(rows), rows, 3, count, tile.data());
                for (int k = 0; k < rows; ++k)
                    for (int j = 0; j < count; ++j) QCOMPARE(tile[size_t(k) * kTileColumns + j], b[size_t(3 + j) * rows + k]);
                for (int j = 0; j < kTileColumns; ++j) QCOMPARE(tile[size_t(rows) * kTileColumns + j], -99.0f);
            }
        }
    }

    // Every column count (AVX2 copies 8 to 14 floats as two overlapping 8-float runs, fewer under a mask;
    // AVX-512 under one mask) and a few depths: the tile holds the rows' first `count` floats, and nothing
    // else of it is written, neither past `count` in a row nor past the last row.
    void packedRowsAreTheTile() {
        constexpr size_t kRowStride = 20;
        for (int k : {0, 1, 2, 7, 16, 33}) {
            const std::vector<float> rows = randomVector(size_t(std::max(k, 1)) * kRowStride, unsigned(100 + k));
            for (int count = 1; count <= kTileColumns; ++count) {
                std::vector<float> tile(size_t(k + 1) * kTileColumns, -99.0f);
                packRows(rows.data() + 2, kRowStride, k, count, tile.data());
                for (int kk = 0; kk <= k; ++kk)
                    for (int j = 0; j < kTileColumns; ++j) {
                        const float expected = kk < k && j < count ? rows[size_t(kk) * kRowStride + 2 + size_t(j)] : -99.0f;
                        if (tile[size_t(kk) * kTileColumns + j] != expected)
                            QFAIL(qPrintable(QString("k %1, count %2: tile(%3, %4) = %5, expected %6")
                                                 .arg(k).arg(count).arg(kk).arg(j).arg(tile[size_t(kk) * kTileColumns + j]).arg(expected)));
                    }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestGemmKernels)
#include "test_gemm_kernels.moc"
