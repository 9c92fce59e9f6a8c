// Attention's softmax kernel (softmaxRowsUnnormalised) against a double-precision reference: every row
// count across the 16-lane vector edges, short and long rows, strided columns (ld > rows) whose padding
// must stay untouched, huge score ranges (underflow to at most exp(-87), never NaN), and the contract that
// callers rely on: the row maximum becomes exactly 1 and inv_sum is 1 / the sum of the row.
// ctest runs it at each kernel level (AVX-512; LEVIT_NO_AVX512=1 the AVX2 kernel, 8 rows per vector; with
// LEVIT_NO_AVX2=1 too the portable loop), so the row sweep crosses both the 8- and the 16-lane edges.
#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "softmax.h"

using levit::detail::softmaxRowsUnnormalised;

namespace {

constexpr float kSentinel = -12345.0f;

struct Scores {
    int rows, columns;
    size_t ld;
    std::vector<float> data;  // column-major, ld floats per column; rows..ld-1 hold the sentinel
};

Scores randomScores(int rows, int columns, size_t ld, float spread, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-spread, spread);
    Scores s{rows, columns, ld, std::vector<float>(ld * size_t(columns), kSentinel)};
    for (int c = 0; c < columns; ++c)
        for (int r = 0; r < rows; ++r) s.data[size_t(c) * ld + size_t(r)] = dist(rng);
    return s;
}

// Runs the kernel and compares with exp(x - max) and 1 / sum in double precision. Returns an empty
// string when everything matches, else what went wrong first.
QString check(const Scores& input) {
    Scores got = input;
    std::vector<float> inv_sum(size_t(input.rows) + 8, kSentinel);
    softmaxRowsUnnormalised(got.data.data(), input.rows, input.columns, input.ld, inv_sum.data());
    const QString where = QString("rows %1 columns %2 ld %3").arg(input.rows).arg(input.columns).arg(input.ld);
    for (int r = 0; r < input.rows; ++r) {
        float peak = -INFINITY;
        for (int c = 0; c < input.columns; ++c) peak = std::max(peak, input.data[size_t(c) * input.ld + r]);
        double sum = 0;
        bool saw_one = false;
        for (int c = 0; c < input.columns; ++c) {
            // The kernel's shift is a float subtraction (rounded, as any float softmax's is); the exponential
            // of that difference is what must be accurate.
            const float shifted = input.data[size_t(c) * input.ld + r] - peak;
            const double want = std::exp(double(shifted));
            sum += want;
            const float e = got.data[size_t(c) * input.ld + r];
            if (!std::isfinite(e) || e < 0 || e > 1) return where + QString(": exp at row %1 column %2 is %3").arg(r).arg(c).arg(e);
            // Within 4 float ulps relative, or absolutely tiny where the float result underflows.
            if (std::abs(e - want) > 4 * std::numeric_limits<float>::epsilon() * want + 1e-37)
                return where + QString(": exp at row %1 column %2 is %3, want %4").arg(r).arg(c).arg(e).arg(want);
            saw_one = saw_one || e == 1.0f;
        }
        if (!saw_one) return where + QString(": row %1's maximum did not become exactly 1").arg(r);
        const double want_inv = 1.0 / sum;
        if (std::abs(inv_sum[size_t(r)] - want_inv) > 1e-6 * want_inv)
            return where + QString(": inv_sum[%1] is %2, want %3").arg(r).arg(inv_sum[size_t(r)]).arg(want_inv);
    }
    for (size_t r = size_t(input.rows); r < inv_sum.size(); ++r)
        if (inv_sum[r] != kSentinel) return where + QString(": inv_sum[%1] written past the rows").arg(r);
    for (int c = 0; c < input.columns; ++c)
        for (size_t r = size_t(input.rows); r < input.ld; ++r)
            if (got.data[size_t(c) * input.ld + r] != kSentinel)
                return where + QString(": padding row %1 of column %2 was written").arg(r).arg(c);
    return {};
}

}  // namespace

class TestSoftmaxKernel : public QObject {
    Q_OBJECT

private slots:
    // Every row count over three vectors of 16 (full, masked and multiple vectors), several key counts,
    // packed (ld == rows) and strided columns.
    void matchesTheReferenceAcrossVectorEdges() {
        unsigned seed = 1;
        for (int rows = 1; rows <= 49; ++rows)
            for (int columns : {1, 2, 3, 16, 17, 49})
                for (size_t pad : {size_t(0), size_t(5)}) {
                    const QString problem = check(randomScores(rows, columns, size_t(rows) + pad, 8.0f, seed++));
                    if (!problem.isEmpty()) QFAIL(qPrintable(problem));
                }
    }

    // The shapes levit-128S runs (queries x keys per head): 196 x 196, 49 x 196, 49 x 49, 16 x 49, 16 x 16.
    void matchesTheReferenceAtTheModelsShapes() {
        unsigned seed = 100;
        for (const auto& [rows, columns] : {std::pair{196, 196}, {49, 196}, {49, 49}, {16, 49}, {16, 16}}) {
            const QString problem = check(randomScores(rows, columns, size_t(rows), 6.0f, seed++));
            if (!problem.isEmpty()) QFAIL(qPrintable(problem));
        }
    }

    // Scores far apart: the small ones underflow to 0 (the AVX-512 exponential stops at exp(-87), about
    // 1.6e-38, which the reference check allows), never NaN; the sum is carried by the largest scores.
    void hugeRangesUnderflowCleanly() {
        for (int rows : {1, 16, 21}) {
            Scores s = randomScores(rows, 33, size_t(rows), 1000.0f, unsigned(rows));
            const QString problem = check(s);
            if (!problem.isEmpty()) QFAIL(qPrintable(problem));
        }
    }

    // Equal scores give a uniform row: every exp is 1 and inv_sum is 1 / columns.
    void equalScoresGiveAUniformRow() {
        for (int columns : {1, 7, 196}) {
            const int rows = 19;
            std::vector<float> data(size_t(rows) * columns, 3.5f), inv_sum(size_t(rows), 0.0f);
            softmaxRowsUnnormalised(data.data(), rows, columns, size_t(rows), inv_sum.data());
            for (float e : data) QCOMPARE(e, 1.0f);
            for (float v : inv_sum) QCOMPARE(v, 1.0f / float(columns));
        }
    }

    // A key whose scores are -inf (masked out) gets (nearly) 0 and leaves the rest of the row finite.
    void minusInfinityKeysGetZero() {
        const int rows = 17, columns = 5;
        Scores s = randomScores(rows, columns, size_t(rows), 4.0f, 7);
        for (int r = 0; r < rows; ++r) s.data[size_t(2) * rows + r] = -INFINITY;
        std::vector<float> inv_sum(size_t(rows), 0.0f);
        softmaxRowsUnnormalised(s.data.data(), rows, columns, size_t(rows), inv_sum.data());
        for (int r = 0; r < rows; ++r) {
            const float masked = s.data[size_t(2) * rows + r];
            QVERIFY(masked >= 0.0f && masked <= 2e-38f);
            QVERIFY(std::isfinite(inv_sum[size_t(r)]) && inv_sum[size_t(r)] > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestSoftmaxKernel)
#include "test_softmax_kernel.moc"
