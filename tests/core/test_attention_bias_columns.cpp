// The attention bias's compact column layout (buildBiasColumns) against the table it replaces: for every
// head, query and key, the window of key k holds at query q exactly the bias Hugging Face's index table
// gives (biases[head][index(q, k)]), on plain grids and on subsampling ones (stride 2 and 3, key sides
// that the stride divides and that it does not), and the layout is smaller than the spelt-out table.
#include <QtTest/QtTest>

#include <random>
#include <vector>

#include "attention_bias.h"

namespace {

// Returns an empty string when every (head, query, key) matches, else the first mismatch.
QString check(int resolution_in, int resolution_out, int stride, int heads) {
    const levit::BiasIndexTable table = levit::buildBiasIndexTable(resolution_in, resolution_out, stride);
    const int offsets = static_cast<int>(table.offsets.size());
    std::mt19937 rng(unsigned(resolution_in * 97 + resolution_out * 13 + stride));
    std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
    std::vector<float> biases(size_t(heads) * offsets);
    for (float& b : biases) b = dist(rng);
    const levit::BiasColumns columns =
        levit::buildBiasColumns(table, resolution_in, resolution_out, stride, biases.data(), heads);
    if (columns.columns.size() != size_t(heads) * table.keys)
        return QString("%1 column starts for %2 heads x %3 keys").arg(columns.columns.size()).arg(heads).arg(table.keys);
    for (int h = 0; h < heads; ++h)
        for (int k = 0; k < table.keys; ++k) {
            const size_t start = columns.columns[size_t(h) * table.keys + k];
            if (start + table.queries > columns.values.size())
                return QString("head %1 key %2: column runs past the values").arg(h).arg(k);
            for (int q = 0; q < table.queries; ++q) {
                const float want = biases[size_t(h) * offsets + table.index[size_t(q) * table.keys + k]];
                const float got = columns.values[start + q];
                if (got != want)
                    return QString("in %1 out %2 stride %3: head %4 query %5 key %6: %7, want %8")
                        .arg(resolution_in).arg(resolution_out).arg(stride).arg(h).arg(q).arg(k).arg(got).arg(want);
            }
        }
    return {};
}

}  // namespace

class TestAttentionBiasColumns : public QObject {
    Q_OBJECT

private slots:
    void plainAttentionGrids() {
        for (int side = 1; side <= 16; ++side) {
            const QString failure = check(side, side, 1, 3);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }
    }

    // Queries on every stride-th key of each axis, as LevitAttentionSubsample places them
    // (resolution_out = (resolution_in - 1) / stride + 1), and more or fewer query rows than that.
    void subsamplingGrids() {
        for (int stride = 2; stride <= 3; ++stride)
            for (int side = 1; side <= 16; ++side)
                for (int out : {(side - 1) / stride + 1, 1, side / stride + 2}) {
                    const QString failure = check(side, out, stride, 2);
                    QVERIFY2(failure.isEmpty(), qPrintable(failure));
                }
    }

    // What the layout is for: the first stage of a 224-pixel model (14 x 14 keys) in 21 KB per head
    // instead of 154 KB, its subsampling layer in 10 KB instead of 38 KB.
    void smallerThanTheTable() {
        for (auto [in, out, stride] : {std::tuple{14, 14, 1}, {14, 7, 2}, {7, 7, 1}, {7, 4, 2}, {4, 4, 1}}) {
            const levit::BiasIndexTable table = levit::buildBiasIndexTable(in, out, stride);
            const std::vector<float> biases(table.offsets.size(), 1.0f);
            const auto columns = levit::buildBiasColumns(table, in, out, stride, biases.data(), 1);
            QVERIFY2(columns.values.size() < size_t(table.queries) * table.keys,
                     qPrintable(QString("in %1 out %2: %3 values, the table has %4")
                                    .arg(in).arg(out).arg(columns.values.size()).arg(table.queries * table.keys)));
        }
    }
};

QTEST_APPLESS_MAIN(TestAttentionBiasColumns)
#include "test_attention_bias_columns.moc"
