// Hostile local files: every one fails with a levit::Error whose one-line message names the file, in
// bounded time and memory, instead of crashing (stack overflow, SIGFPE), allocating gigabytes or running
// for minutes. Each case is one reproduction from the "hostile files" report, generated here in a
// temporary folder; the slow ones carry a time bound.
#include <QtTest/QtTest>

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "levit/checkpoint.h"
#include "levit/config.h"
#include "levit/error.h"
#include "levit/model.h"
#include "levit/npy.h"
#include "levit/safetensors.h"
#include "checkpoint_errors.h"
#include "test_support.h"
#include "torch_zip_writer.h"

using namespace levit;
using levit_test::kFirstConvWeight;
using levit_test::Pickle;

namespace {

namespace fs = std::filesystem;

// The slow reproductions took 15 s to minutes before; a linear reader needs well under a second.
constexpr qint64 kTimeBoundMs = 5000 * levit_test::kSanitizerSlowdown;
// For the two cases that read large inputs (a 14 MB header; 20,000 tensors of a 16 MB storage): about a
// second each on an idle machine, far below the minutes the quadratic versions took, with room for a
// machine busy with parallel builds.
constexpr qint64 kHeavyCaseTimeBoundMs = 30000 * levit_test::kSanitizerSlowdown;

std::string tinyDir() { return levit_test::testDataDir() + "/golden/tiny_seed0"; }

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A safetensors file with this header text (no tensor data unless given).
std::string safetensorsBytes(const std::string& header, const std::string& data = {}) {
    std::string out;
    levit_test::putLE(out, header.size(), 8);
    return out + header + data;
}

// prefix + i (std::to_string after a literal trips GCC 12's -Wrestrict false positive).
std::string numbered(const std::string& prefix, int i) {
    std::string s = prefix;
    s += std::to_string(i);
    return s;
}

// "[[[...]]]" nested `depth` levels.
std::string nestedList(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Pickle opcodes with a 4-byte memo index (LONG_BINPUT / LONG_BINGET).
std::string longPut(uint32_t i) {
    std::string s = "r";
    levit_test::putLE(s, i, 4);
    return s;
}
std::string longGet(uint32_t i) {
    std::string s = "j";
    levit_test::putLE(s, i, 4);
    return s;
}
// LONG1 with 8 bytes: any int64.
std::string long8(int64_t v) {
    std::string s = "\x8a\x08";
    levit_test::putLE(s, uint64_t(v), 8);
    return s;
}

// torch._utils._rebuild_tensor_v2 of a FloatStorage with 64-bit numel, sizes and strides.
Pickle& bigTensor(Pickle& p, const std::string& key, int64_t numel, const std::vector<int64_t>& size,
                  const std::vector<int64_t>& stride) {
    p.global("torch._utils", "_rebuild_tensor_v2").mark();
    p.mark().str("storage").global("torch", "FloatStorage").str(key).str("cpu").raw(long8(numel)).tuple().binPersId();
    p.integer(0).mark();
    for (int64_t v : size) p.raw(long8(v));
    p.tuple().mark();
    for (int64_t v : stride) p.raw(long8(v));
    p.tuple().newFalse();
    p.global("collections", "OrderedDict").emptyTuple().reduce();
    return p.tuple().reduce();
}

}  // namespace

class TestHostileCheckpoints : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    int counter = 0;

    // A fresh folder inside the temporary directory.
    std::string folder() {
        const std::string dir = tmp.filePath(QString("case_%1").arg(++counter)).toStdString();
        fs::create_directories(dir);
        return dir;
    }
    std::string write(const std::string& dir, const std::string& name, const std::string& bytes) {
        const std::string path = dir + "/" + name;
        levit_test::writeFile(path, bytes);
        return path;
    }
    // A folder with the tiny model's weights and the given config.json text.
    std::string modelWithConfig(const std::string& config_json) {
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
        write(dir, "config.json", config_json);
        return dir;
    }
    // The tiny model's config.json with `field` set to `value`, raw JSON text that need not be valid for a
    // parser (1e400); fields in `drop` are removed.
    std::string tinyConfigWith(const std::string& field, const std::string& value, const QStringList& drop = {}) {
        nlohmann::json j = nlohmann::json::parse(readAll(tinyDir() + "/config.json"));
        for (const QString& d : drop) j.erase(d.toStdString());
        j[field] = "@VALUE@";
        std::string text = j.dump(2);
        const size_t at = text.find("\"@VALUE@\"");
        return text.replace(at, 9, value);
    }

    // Runs `load`, which must throw levit::Error: a single line naming `file` and containing `words`,
    // within kTimeBoundMs.
    void expectError(const std::function<void()>& load, const std::string& file, const QStringList& words,
                     qint64 bound_ms = kTimeBoundMs) {
        QElapsedTimer timer;
        timer.start();
        QString msg;
        try {
            load();
        } catch (const Error& e) {
            msg = QString::fromUtf8(e.what());
        }
        const qint64 ms = timer.elapsed();
        QVERIFY2(!msg.isEmpty(), ("accepted: " + file).c_str());
        qInfo("%lld ms: %s", static_cast<long long>(ms), qPrintable(msg.left(300)));
        QVERIFY2(msg.contains(QString::fromStdString(file)), qPrintable("file not named: " + msg));
        QVERIFY2(!msg.contains('\n'), qPrintable("more than one line: " + msg));
        QVERIFY2(!msg.contains("json.exception"), qPrintable(msg));
        for (const QString& w : words) QVERIFY2(msg.contains(w), qPrintable("'" + w + "' not in: " + msg));
        QVERIFY2(ms < bound_ms, qPrintable(QString("took %1 ms").arg(ms)));
    }
    void expectCheckpointError(const std::string& path, const std::string& file, const QStringList& words,
                               qint64 bound_ms = kTimeBoundMs) {
        expectError([&] { loadCheckpoint(path); }, file, words, bound_ms);
    }
    void expectModelError(const std::string& path, const std::string& file, const QStringList& words) {
        expectError([&] { loadModel(path); }, file, words);
    }

private slots:
    // --- JSON: nesting, numbers, size, non-regular files ---

    void deeplyNestedJsonIsRefusedWithoutRecursion_data() {
        QTest::addColumn<QString>("where");
        QTest::newRow("config.json") << "config";
        QTest::newRow("preprocessor_config.json") << "preprocessor";
        QTest::newRow("timm config") << "timm";
        QTest::newRow("safetensors shape") << "safetensors";
    }
    void deeplyNestedJsonIsRefusedWithoutRecursion() {
        QFETCH(QString, where);
        // 500,000 levels (1 MB): nlohmann's recursive dump() used to overflow the stack building the message.
        const std::string deep = nestedList(500000);
        const std::string dir = folder();
        std::string file;
        if (where == "safetensors") {
            file = write(dir, "model.safetensors",
                         safetensorsBytes("{\"" + kFirstConvWeight + "\":{\"dtype\":\"F32\",\"shape\":" + deep +
                                          ",\"data_offsets\":[0,0]}}"));
        } else {
            fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
            if (where == "config") file = write(dir, "config.json", "{\"image_size\": " + deep + "}");
            if (where == "timm") file = write(dir, "config.json", "{\"architecture\": \"levit_128s\", \"label_names\": " + deep + "}");
            if (where == "preprocessor") {
                fs::copy_file(tinyDir() + "/config.json", dir + "/config.json");
                file = write(dir, "preprocessor_config.json", "{\"size\": " + deep + "}");
            }
        }
        expectCheckpointError(dir, file, {"nested deeper than"});
    }

    void jsonNumbersOutOfRangeNameTheFile() {
        // 1e400 does not fit a double: one line naming the file, not "[json.exception.out_of_range.406]".
        const std::string dir = modelWithConfig(tinyConfigWith("image_size", "1e400"));
        expectCheckpointError(dir, dir + "/config.json", {"out of range"});
        const std::string st = folder();
        const std::string file = write(st, "w.safetensors",
                                       safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e400],\"data_offsets\":[0,0]}}"));
        expectCheckpointError(file, file, {"out of range"});
    }

    void configValuesBeyondTheLimitsAreRefusedBeforeAllocating_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        // 2048 took 29 s and 2.1 GB before the mismatch error; 4096 asked for 17 GB.
        QTest::newRow("image_size 2048") << "image_size" << "2048" << "'image_size' is too large";
        QTest::newRow("image_size 4096") << "image_size" << "4096" << "'image_size' is too large";
        // Used to wrap around to 96 (the tiny model's size) and load.
        QTest::newRow("image_size 2^32+96") << "image_size" << "4294967392" << "'image_size' is out of range";
        QTest::newRow("image_size 1e300") << "image_size" << "1e300" << "'image_size' is out of range";
        QTest::newRow("hidden_sizes int overflow") << "hidden_sizes" << "[32, 48, 4294967360]" << "'hidden_sizes'";
        QTest::newRow("depths huge") << "depths" << "[1, 2, 1000000]" << "'depths[2]' is too large";
        QTest::newRow("heads huge") << "num_attention_heads" << "[100000, 6, 8]" << "'num_attention_heads[0]' is too large";
    }
    void configValuesBeyondTheLimitsAreRefusedBeforeAllocating() {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const std::string dir = modelWithConfig(tinyConfigWith(field.toStdString(), value.toStdString()));
        expectModelError(dir, dir + "/config.json", {expected});
    }

    void labelCountsAreBounded_data() {
        QTest::addColumn<QString>("num_labels");
        QTest::newRow("1e8") << "1e8";         // 3.1 GB of label strings
        QTest::newRow("300000000") << "300000000";  // 8.7 GB
        QTest::newRow("negative") << "-5";     // printed "vector::reserve"
        QTest::newRow("zero") << "0";
    }
    void labelCountsAreBounded() {
        QFETCH(QString, num_labels);
        // Without id2label the labels are generated: num_labels alone decides how many.
        const std::string dir =
            modelWithConfig(tinyConfigWith("num_labels", num_labels.toStdString(), {"id2label", "label2id"}));
        expectCheckpointError(dir, dir + "/config.json", {"'num_labels' must be between 1 and 100000"});
    }

    void hugeAndNonRegularConfigFilesAreNotRead() {
        // 80 MB (sparse: no disk used) used to be read and parsed into 2.1 GB.
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
        {
            std::ofstream(dir + "/config.json") << "{";
        }
        fs::resize_file(dir + "/config.json", 80u << 20);
        expectCheckpointError(dir, dir + "/config.json", {"too large"});
        // /dev/zero never ends: refused as not a regular file instead of read until memory runs out.
        if (!fs::exists("/dev/zero")) QSKIP("no /dev/zero");
        const std::string zero = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", zero + "/model.safetensors");
        fs::create_symlink("/dev/zero", zero + "/config.json");
        expectCheckpointError(zero, zero + "/config.json", {"not a regular file"});
        const std::string pre = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", pre + "/model.safetensors");
        fs::copy_file(tinyDir() + "/config.json", pre + "/config.json");
        fs::create_symlink("/dev/zero", pre + "/preprocessor_config.json");
        expectCheckpointError(pre, pre + "/preprocessor_config.json", {"not a regular file"});
    }

    void fifosAreRefusedWithoutWaitingForAWriter() {
        // Opening a FIFO for reading blocks until someone writes: every reader must refuse it instead.
        for (const char* name : {"model.safetensors", "model.pth", "weights", "config.json", "preprocessor_config.json"}) {
            const std::string dir = folder();
            const bool weights = std::string(name).find("config") == std::string::npos;
            if (!weights) fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
            if (std::string(name) == "preprocessor_config.json") fs::copy_file(tinyDir() + "/config.json", dir + "/config.json");
            const std::string fifo = dir + "/" + name;
            QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
            expectCheckpointError(weights ? fifo : dir, fifo, {"not a regular file"});
        }
        const std::string npy = folder() + "/pixels.npy";
        QCOMPARE(mkfifo(npy.c_str(), 0600), 0);
        expectError([&] { readNpy(npy); }, npy, {"not a regular file"});
    }

    // --- weights: non-finite values, shapes that size tables ---

    void nonFiniteWeightsAreRefusedNamingTheTensor() {
        auto weights = loadWeightsFile(tinyDir() + "/model.safetensors");
        const std::string name = "levit.encoder.stages.0.layers.0.module.attention_biases";
        QVERIFY(weights.count(name));
        weights[name].values[3] = std::numeric_limits<float>::quiet_NaN();
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/config.json", dir + "/config.json");
        writeSafeTensors(dir + "/model.safetensors", weights);
        expectModelError(dir, dir + "/model.safetensors", {"'" + QString::fromStdString(name) + "'", "NaN"});
        weights[name].values[3] = std::numeric_limits<float>::infinity();
        writeSafeTensors(dir + "/model.safetensors", weights);
        expectModelError(dir, dir + "/model.safetensors", {"infinity"});
    }

    void biasTablesAreBuiltOnlyAfterTheBiasShapeMatches() {
        // image_size 512 passes the limits, but the tiny model's biases are for 96: the shape error must come
        // before a (32^2)^2-entry table is built for each block.
        const std::string dir = modelWithConfig(tinyConfigWith("image_size", "512"));
        expectModelError(dir, dir + "/model.safetensors", {"attention_biases", "config does not match weights"});
    }

    // --- config inference from a lone weights file ---

    void inferenceRefusesZeroAndHugeDimensions_data() {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("expected");
        // Zero heads (attention_biases [0, n]) used to divide by zero: SIGFPE.
        QTest::newRow("zero heads") << "levit.encoder.stages.0.layers.0.module.attention_biases" << "[0, 36]"
                                    << "each dimension must be between 1 and";
        QTest::newRow("zero heads in a subsample") << "levit.encoder.stages.0.layers.2.attention_biases" << "[0, 36]"
                                                   << "each dimension must be between 1 and";
        QTest::newRow("zero MLP width") << "levit.encoder.stages.0.layers.1.module.linear_up.linear.weight" << "[64, 0]"
                                        << "each dimension must be between 1 and";
        QTest::newRow("empty classifier") << "classifier.linear.weight" << "[0, 64]"
                                          << "each dimension must be between 1 and";
    }
    void inferenceRefusesZeroAndHugeDimensions() {
        QFETCH(QString, tensor);
        QFETCH(QString, shape);
        QFETCH(QString, expected);
        // The tiny model's tensors with one replaced by an empty tensor of the given shape (no data needed).
        auto weights = loadWeightsFile(tinyDir() + "/model.safetensors");
        weights.erase(tensor.toStdString());
        const std::string dir = folder();
        const std::string good = dir + "/base.safetensors";
        writeSafeTensors(good, weights);
        // Splice the entry into the header: the data section is unchanged, the new tensor has no bytes.
        std::string bytes = readAll(good);
        uint64_t header_len = 0;
        for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[i]);
        std::string header = bytes.substr(8, header_len);
        const std::string entry =
            QString("\"%1\":{\"dtype\":\"F32\",\"shape\":%2,\"data_offsets\":[0,0]},").arg(tensor, shape).toStdString();
        header.insert(1, entry);
        const std::string file = write(dir, "lone.safetensors", safetensorsBytes(header, bytes.substr(8 + header_len)));
        expectCheckpointError(file, file, {"'" + tensor + "'", expected});
    }

    void inferenceRefusesHugeStageAndLayerIndices_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("stage 1e9") << "levit.encoder.stages.1000000000.layers.0.module.attention_biases"
                                   << "stage index 1000000000";  // sized vectors: 17.9 GB after 60 s
        QTest::newRow("stage INT_MAX") << "levit.encoder.stages.2147483647.layers.0.module.attention_biases"
                                       << "stage index 2147483647";  // "cannot create std::vector"
        QTest::newRow("stage 10^20") << "levit.encoder.stages.100000000000000000000.layers.0.module.attention_biases"
                                     << "stage index 100000000000000000000";  // "stoi"
        QTest::newRow("layer 10^20") << "levit.encoder.stages.0.layers.100000000000000000000.module.attention_biases"
                                     << "layer index 100000000000000000000";
    }
    void inferenceRefusesHugeStageAndLayerIndices() {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        std::map<std::string, Tensor> w;
        w[kFirstConvWeight] = Tensor{{1}, {0.5f}};
        w[name.toStdString()] = Tensor{{1, 1}, {0.5f}};
        const std::string dir = folder();
        writeSafeTensors(dir + "/w.safetensors", w);
        expectCheckpointError(dir + "/w.safetensors", dir + "/w.safetensors", {"'" + name + "'", expected});
    }

    // --- safetensors: quadratic loading, empty tensors, shape overflow ---

    void manyEmptyTensorsLoadInLinearTime() {
        // 250,000 empty tensors (14 MB of header): a linear search per tensor made 300,000 take over 90 s.
        std::string header = "{";
        for (int i = 0; i < 250000; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "t%07d", i);
            header += std::string(i ? "," : "") + "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
        }
        header += "}";
        const std::string dir = folder();
        const std::string file = write(dir, "empty.safetensors", safetensorsBytes(header));
        QElapsedTimer timer;
        timer.start();
        const auto st = SafeTensorsFile::open(file);
        const auto all = st->readAllFloating();  // memcpy of zero bytes from the end of the file: no UB
        QCOMPARE(int(all.size()), 250000);
        QVERIFY(all.at("t0000042").values.empty());
        QVERIFY2(timer.elapsed() < kHeavyCaseTimeBoundMs, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
        expectCheckpointError(file, file, {"not a LeViT checkpoint"}, kHeavyCaseTimeBoundMs);
    }

    void oversizedHeadersAreRefusedBeforeParsing() {
        // 300,000 empty tensors need an 18 MB header: refused by its length, before any JSON is parsed.
        const std::string dir = folder();
        const std::string file = dir + "/big_header.safetensors";
        {
            std::string head;
            levit_test::putLE(head, 18u << 20, 8);
            std::ofstream(file, std::ios::binary) << head << '{';
        }
        fs::resize_file(file, 8 + (18u << 20));
        expectCheckpointError(file, file, {"header is larger than the 16777216 bytes accepted"});
    }

    void emptyTensorsWithHugeDimensionsAreRefused() {
        // [0, 2^40, 2^40] holds no element, but the product of its other dimensions overflows int64.
        const std::string dir = folder();
        const std::string file = write(dir, "w.safetensors",
                                       safetensorsBytes("{\"" + kFirstConvWeight +
                                                        "\":{\"dtype\":\"F32\",\"shape\":[0,1099511627776,1099511627776],"
                                                        "\"data_offsets\":[0,0]}}"));
        expectCheckpointError(file, file, {"'" + QString::fromStdString(kFirstConvWeight) + "'", "elements"});
    }

    void namesWithControlCharactersKeepMessagesOnOneLine() {
        // A newline in a tensor name would split the error line (and no real checkpoint has one).
        const std::string dir = folder();
        const std::string st = write(dir, "w.safetensors",
                                     safetensorsBytes("{\"a\\nb\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"));
        expectCheckpointError(st, st, {"'a\\x0ab'", "control character"});
        Pickle p;
        p.proto(2).emptyDict().mark().str("a\nb").tensor("FloatStorage", "0", 1, 0, {1}, {1}).setItems().stop();
        const std::string pth = write(dir, "w.pth", levit_test::makeTorchZip(p.b, {{"0", levit_test::floatBytes({1})}}));
        expectCheckpointError(pth, pth, {"'a\\x0ab'", "control character"});
        // A global named across lines with STACK_GLOBAL.
        const std::string global = write(
            dir, "g.pth", levit_test::makeTorchZip(Pickle().proto(2).str("os\nx").str("system").raw("\x93").stop().b, {}));
        expectCheckpointError(global, global, {"'os\\x0ax.system' is not allowed"});
    }

    // --- PyTorch checkpoints: shared storages, view arithmetic ---

    void tensorsSharingOneStorageCheckItsCrcOnce() {
        // 20,000 one-element views of one 16 MB storage: its CRC-32 was computed per tensor (> 120 s).
        const int n = 20000;
        const int storage = 4 << 20;  // floats
        Pickle p;
        p.proto(2).emptyDict().mark();
        for (int i = 0; i < n; ++i)
            p.str(i ? numbered("levit.w", i) : kFirstConvWeight).tensor("FloatStorage", "0", storage, i, {1}, {1});
        p.setItems().stop();
        const std::string dir = folder();
        const std::string file =
            write(dir, "shared.pth", levit_test::makeTorchZip(p.b, {{"0", std::string(size_t(storage) * 4, '\0')}}));
        QElapsedTimer timer;
        timer.start();
        const auto w = loadWeightsFile(file);
        QCOMPARE(int(w.size()), n);
        QVERIFY2(timer.elapsed() < kHeavyCaseTimeBoundMs, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }

    void tensorsViewingTheSameBytesOverAndOverAreRefused() {
        // 1,000 full views of a 4 MB storage would need 4 GB of floats from a 4 MB file.
        const int storage = 1 << 20;
        Pickle p;
        p.proto(2).emptyDict().mark();
        for (int i = 0; i < 1000; ++i) p.str(numbered("w", i)).tensor("FloatStorage", "0", storage, 0, {storage}, {1});
        p.setItems().stop();
        const std::string dir = folder();
        const std::string file =
            write(dir, "views.pth", levit_test::makeTorchZip(p.b, {{"0", std::string(size_t(storage) * 4, '\0')}}));
        expectError([&] { loadWeightsFile(file); }, file, {"view the same storage bytes"});
    }

    void viewArithmeticCannotOverflow() {
        // Sizes and strides near 2^62 in 16 dimensions: the old 128-bit sum of (size-1)*stride overflowed.
        const int64_t big = int64_t(1) << 62;
        Pickle p;
        p.proto(2).emptyDict().mark().str(kFirstConvWeight);
        bigTensor(p, "0", big, std::vector<int64_t>(16, big), std::vector<int64_t>(16, big)).setItems().stop();
        const std::string dir = folder();
        const std::string file = write(dir, "overflow.pth", levit_test::makeTorchZip(p.b, {{"0", std::string(4, '\0')}}));
        expectCheckpointError(file, file, {"reaches past the end of storage"});
        // An empty view with huge other dimensions: no element, and its shape must not overflow either.
        Pickle q;
        q.proto(2).emptyDict().mark().str(kFirstConvWeight);
        bigTensor(q, "0", 1, {0, big, big}, {1, 1, 1}).setItems().stop();
        const std::string empty = write(dir, "empty.pth", levit_test::makeTorchZip(q.b, {{"0", std::string(4, '\0')}}));
        const auto w = loadWeightsFile(empty);
        QCOMPARE(w.at(kFirstConvWeight).numel(), int64_t(0));
        expectCheckpointError(empty, empty, {"cannot infer the config"});
    }

    // --- the restricted unpickler: memo tricks ---

    void nestingThroughTheMemoIsBounded() {
        // 1,000,000 levels built by reaching the innermost list again through the memo and growing it: the
        // depth check only saw each new child (depth 0), and freeing the result overflowed the stack.
        std::string b = "\x80\x02]" + longPut(0);
        const uint32_t levels = 1000000;
        for (uint32_t i = 1; i <= levels; ++i) b += longGet(i - 1) + "]" + longPut(i) + "a0";
        b += ".";
        const std::string dir = folder();
        const std::string file = write(dir, "deep.pth", levit_test::makeTorchZip(b, {}));
        expectCheckpointError(file, file, {"refused pickle", "already sits inside another one"});
    }

    void referenceCyclesAreRefused() {
        // The 8-byte reproducer: a dict that contains itself through the memo (it leaked).
        const std::string cycle("}q\x00(\x89h\x00u", 8);
        const std::string dir = folder();
        const std::string file = write(dir, "cycle.pth", levit_test::makeTorchZip("\x80\x02" + cycle + ".", {}));
        expectCheckpointError(file, file, {"refused pickle", "would contain itself"});
        // A list appended to itself with DUP.
        const std::string self = write(dir, "self.pth", levit_test::makeTorchZip(std::string("\x80\x02]2a.", 6), {}));
        expectCheckpointError(self, self, {"would contain itself"});
    }

    void valueCountIsBounded() {
        // A million None values: each would cost a few hundred bytes of memory.
        const std::string b = "\x80\x02" + std::string(1000000, 'N') + ".";
        const std::string dir = folder();
        const std::string file = write(dir, "many.pth", levit_test::makeTorchZip(b, {}));
        expectCheckpointError(file, file, {"refused pickle", "values"});
    }

    // --- .npy ---

    void npyShapesAndNonRegularFilesAreChecked() {
        const std::string dir = folder();
        auto npy = [&](const std::string& name, const std::string& shape) {
            std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
            header.append(63 - (10 + header.size()) % 64, ' ');
            header += '\n';
            std::string bytes("\x93NUMPY\x01\x00", 8);
            levit_test::putLE(bytes, header.size(), 2);
            return write(dir, name, bytes + header + std::string(16, '\0'));
        };
        // The product of the dimensions overflows int64 (signed overflow in NpyArray::numel).
        const std::string overflow = npy("overflow.npy", "(4294967296, 4294967296, 4294967296)");
        expectError([&] { readNpy(overflow); }, overflow, {"too"});
        const std::string huge = npy("huge.npy", "(100000000000000000000,)");
        expectError([&] { readNpy(huge); }, huge, {"too large"});
        const std::string big = npy("big.npy", "(1000000, 1000000)");
        expectError([&] { readNpy(big); }, big, {"too"});
        // The same arithmetic on shapes made in code: an error, not signed overflow.
        NpyArray a;
        a.shape = {int64_t(1) << 40, int64_t(1) << 40};
        QVERIFY_THROWS_EXCEPTION(Error, a.numel());
        Tensor t;
        t.shape = {int64_t(1) << 40, int64_t(1) << 40, 0, -1};
        QVERIFY_THROWS_EXCEPTION(Error, t.numel());
        t.shape = {0, int64_t(1) << 40, int64_t(1) << 40};
        QCOMPARE(t.numel(), int64_t(0));
        if (!fs::exists("/dev/zero")) QSKIP("no /dev/zero");
        expectError([&] { readNpy("/dev/zero"); }, "/dev/zero", {"not a regular file"});
    }

    // Block numbers in timm's and the official layout's names are read bounded, never with std::stoi.
    void hugeBlockNumbersInForeignLayoutsAreNamed() {
        for (const std::string& name : {std::string("blocks.99999999999999999999.m.qkv.c.weight"),
                                        std::string("stages.0.blocks.5000.attn.qkv.linear.weight")}) {
            const std::string path = tmp.filePath(QString::fromStdString("layout_" + std::to_string(name.size()) + ".safetensors")).toStdString();
            std::map<std::string, Tensor> weights;
            weights[name] = Tensor{{2, 2}, {1, 2, 3, 4}};
            weights[name.rfind("blocks", 0) == 0 ? "patch_embed.0.c.weight" : "stem.conv1.linear.weight"] = Tensor{{2, 2}, {1, 2, 3, 4}};
            writeSafeTensors(path, weights);
            try {
                loadWeightsFile(path);
                QFAIL("accepted");
            } catch (const Error& e) {
                const std::string message = e.what();
                QVERIFY2(message.find(path) != std::string::npos, message.c_str());
                QVERIFY2(message.find("stoi") == std::string::npos && message.find('\n') == std::string::npos, message.c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestHostileCheckpoints)
#include "test_hostile_checkpoints.moc"
