// The safetensors reader refuses every malformed file with a message naming the file and the problem,
// before touching tensor data; it converts F16/BF16 and skips integer buffers.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <cstring>
#include <fstream>

#include "levit/error.h"
#include "levit/npy.h"
#include "levit/safetensors.h"
#include "test_support.h"

using namespace levit;

namespace {

std::string makeFile(const QTemporaryDir& dir, const std::string& name, const std::string& header,
                     const std::string& data, int64_t claimed_length = -1) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream out(path, std::ios::binary);
    uint64_t n = claimed_length >= 0 ? uint64_t(claimed_length) : header.size();
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>(n >> (8 * i)));
    out << header << data;
    return path;
}

QString openError(const std::string& path) {
    try {
        SafeTensorsFile::open(path);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestSafeTensors : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    void expectRejected(const std::string& name, const std::string& header, const std::string& data,
                        const QString& words, int64_t claimed = -1) {
        const std::string path = makeFile(dir, name, header, data, claimed);
        const QString msg = openError(path);
        QVERIFY2(!msg.isEmpty(), ("accepted: " + name).c_str());
        QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable(msg));
        QVERIFY2(msg.contains(words), qPrintable(msg + " -- expected: " + words));
    }

private slots:
    void readsTheGoldenCheckpoints() {
        auto f = SafeTensorsFile::open(levit_test::testDataDir() + "/golden/tiny_seed0/model.safetensors");
        QCOMPARE(int(f->tensors().size()), 200);
        QCOMPARE(f->metadata().at("format"), std::string("pt"));
        const auto floating = f->readAllFloating();
        int integer_buffers = 0;
        for (const TensorInfo& t : f->tensors())
            if (t.dtype == DType::I64) {
                QVERIFY(QString::fromStdString(t.name).endsWith("num_batches_tracked"));
                ++integer_buffers;
            }
        QCOMPARE(integer_buffers, 32);  // one num_batches_tracked per BatchNorm
        QCOMPARE(int(floating.size()), 200 - integer_buffers);
        auto hub = SafeTensorsFile::open(levit_test::testDataDir() + "/golden/tiny_seed0/model_hubstyle.safetensors");
        QVERIFY(hub->find("levit.encoder.stages.0.layers.0.module.attention_bias_idxs"));
        QCOMPARE(hub->readAllFloating().size(), floating.size());
        try {
            hub->read("levit.encoder.stages.0.layers.0.module.attention_bias_idxs");
            QFAIL("read an I64 tensor as float");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("is I64, not a floating tensor"));
        }
    }

    void writesWhatItReads() {
        std::map<std::string, Tensor> tensors;
        tensors["b"] = Tensor{{2, 3}, {1, 2, 3, 4, 5, 6}};
        tensors["a"] = Tensor{{1}, {-0.5f}};
        const std::string path = dir.filePath("roundtrip.safetensors").toStdString();
        writeSafeTensors(path, tensors);
        auto f = SafeTensorsFile::open(path);
        QCOMPARE(f->read("b").values, tensors["b"].values);
        QCOMPARE(f->read("b").shape, tensors["b"].shape);
        QCOMPARE(f->read("a").values, tensors["a"].values);
    }

    void convertsHalfAndBfloat16() {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 0x0001; BF16: 1.5 = 0x3FC0.
        const std::string data("\x00\x3C\x00\xC0\xFF\x7B\x01\x00\xC0\x3F", 10);
        const std::string header = R"({"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]}})";
        auto f = SafeTensorsFile::open(makeFile(dir, "half.safetensors", header, data));
        const Tensor h = f->read("h");
        QCOMPARE(h.values[0], 1.0f);
        QCOMPARE(h.values[1], -2.0f);
        QCOMPARE(h.values[2], 65504.0f);
        QCOMPARE(h.values[3], std::ldexp(1.0f, -24));
        QCOMPARE(f->read("b").values[0], 1.5f);
    }

    void rejectsMalformedFiles() {
        const std::string four_floats(16, '\0');
        {
            const std::string path = dir.filePath("tiny.safetensors").toStdString();
            std::ofstream(path, std::ios::binary) << "abc";
            QVERIFY(openError(path).contains("only 3 bytes"));
        }
        expectRejected("huge_header.safetensors", "{}", "", "does not fit", 1 << 20);
        expectRejected("bad_json.safetensors", "{not json", "", "not valid JSON");
        expectRejected("array.safetensors", "[1,2]", "", "not a JSON object");
        expectRejected("no_dtype.safetensors", R"({"t":{"shape":[4],"data_offsets":[0,16]}})", four_floats,
                       "needs dtype, shape and data_offsets");
        expectRejected("dtype_type.safetensors", R"({"t":{"dtype":4,"shape":[4],"data_offsets":[0,16]}})", four_floats,
                       "dtype must be a string");
        expectRejected("unknown_dtype.safetensors", R"({"t":{"dtype":"F33","shape":[4],"data_offsets":[0,16]}})",
                       four_floats, "unknown dtype 'F33'");
        expectRejected("negative_dim.safetensors", R"({"t":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}})",
                       four_floats, "not a non-negative integer");
        expectRejected("reversed.safetensors", R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}})", four_floats,
                       "is after end");
        expectRejected("beyond.safetensors", R"({"t":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})", four_floats,
                       "truncated file");
        expectRejected("size.safetensors", R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", four_floats,
                       "needs 12");
        expectRejected("overlap.safetensors",
                       R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}})",
                       four_floats, "overlap");
        expectRejected("offsets.safetensors", R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[0]}})", four_floats,
                       "data_offsets must be [begin, end]");
        expectRejected("metadata.safetensors", R"({"__metadata__":{"format":1}})", "", "__metadata__ value 'format'");
    }

    void truncatedGoldenFileIsCaughtBeforeReading() {
        std::ifstream in(levit_test::testDataDir() + "/golden/tiny_seed0/model.safetensors", std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string path = dir.filePath("cut.safetensors").toStdString();
        std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 100);
        const QString msg = openError(path);
        QVERIFY2(msg.contains("truncated file"), qPrintable(msg));
    }

    void missingFileIsNamed() {
        QVERIFY(openError("/nonexistent/model.safetensors") == "/nonexistent/model.safetensors: no such file");
    }

    void npyRoundTripAndErrors() {
        const std::string path = dir.filePath("a.npy").toStdString();
        const float values[6] = {1, 2, 3, 4, 5, 6};
        writeNpy(path, {2, 3}, values);
        const NpyArray a = readNpy(path);
        QCOMPARE(a.dtype, std::string("f4"));
        QCOMPARE(a.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(a.toFloat(), std::vector<float>(values, values + 6));
        const NpyArray u8 = readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/pre_0_cropped_uint8.npy");
        QCOMPARE(u8.dtype, std::string("u1"));
        QCOMPARE(u8.shape, (std::vector<int64_t>{96, 96, 3}));
        const std::string bad = dir.filePath("bad.npy").toStdString();
        std::ofstream(bad, std::ios::binary) << "not numpy";
        try {
            readNpy(bad);
            QFAIL("accepted a non-npy file");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("not a .npy file"));
        }
    }
};

QTEST_GUILESS_MAIN(TestSafeTensors)
#include "test_safetensors.moc"
