// The `levit` command line given hostile local files: each run ends with exit code 1, nothing on stdout
// and one line on stderr naming the file and the problem, within seconds: no crash (stack overflow,
// SIGFPE), no "-nan%" output, no bare "out of memory" or "stoll". The files are generated per test.
#include <QtTest/QtTest>

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "levit/checkpoint.h"
#include "levit/safetensors.h"
#include "cli_runner.h"
#include "test_support.h"
#include "torch_zip_writer.h"

namespace {

namespace fs = std::filesystem;
using levit_test::CliRun;
using levit_test::runLevit;

// Process start and model loading included (well under a second on an idle machine; room for a busy one);
// the reproductions took from 29 s to minutes, or crashed.
constexpr qint64 kTimeBoundMs = 10000 * levit_test::kSanitizerSlowdown;

std::string tinyDir() { return levit_test::testDataDir() + "/golden/tiny_seed0"; }
QString pixels() { return QString::fromStdString(tinyDir() + "/npy/pixel_values.npy"); }

// A .npy file with `dict` as its header (padded to 64 bytes as numpy does; format 2 when it needs 4 length bytes).
std::string npyFile(std::string dict, const std::string& data) {
    const int version = dict.size() > 60000 ? 2 : 1;
    const size_t prefix = version == 1 ? 10 : 12;
    dict.append(63 - (prefix + dict.size()) % 64, ' ');
    dict += '\n';
    std::string bytes("\x93NUMPY", 6);
    bytes += char(version);
    bytes += '\0';
    levit_test::putLE(bytes, dict.size(), version == 1 ? 2 : 4);
    return bytes + dict + data;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestHostileFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    int counter = 0;

    std::string folder() {
        const std::string dir = tmp.filePath(QString("case_%1").arg(++counter)).toStdString();
        fs::create_directories(dir);
        return dir;
    }
    // A folder with the tiny model's weights and its config.json with `field` set to raw JSON `value`.
    std::string tinyWith(const std::string& field, const std::string& value) {
        nlohmann::json j = nlohmann::json::parse(readAll(tinyDir() + "/config.json"));
        if (field == "num_labels") {
            j.erase("id2label");
            j.erase("label2id");
        }
        j[field] = "@VALUE@";
        std::string text = j.dump(2);
        text.replace(text.find("\"@VALUE@\""), 9, value);
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
        levit_test::writeFile(dir + "/config.json", text);
        return dir;
    }

    // Runs `levit args`: exit code 1, empty stdout, one stderr line with `file` and every word, in time.
    void expectError(const QStringList& args, const std::string& file, const QStringList& words) {
        QElapsedTimer timer;
        timer.start();
        const CliRun r = runLevit(args, 60000);
        const qint64 ms = timer.elapsed();
        const QString err = r.err.trimmed();
        qInfo("%lld ms, exit %d: %s", static_cast<long long>(ms), r.exit_code, qPrintable(err.left(300)));
        QVERIFY2(r.exit_code != -1, "crashed or timed out");
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.out.isEmpty(), qPrintable("stdout: " + r.out.left(200)));
        QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
        QVERIFY2(err.contains("error: "), qPrintable(err));
        QVERIFY2(err.contains(QString::fromStdString(file)), qPrintable("file not named: " + err));
        for (const QString& w : words) QVERIFY2(err.contains(w), qPrintable("'" + w + "' not in: " + err));
        QVERIFY2(ms < kTimeBoundMs, qPrintable(QString("took %1 ms").arg(ms)));
    }
    void expectClassifyError(const std::string& model, const std::string& file, const QStringList& words) {
        expectError({"classify", "--model", QString::fromStdString(model), "--pixel-values", pixels()}, file, words);
    }

private slots:
    void deeplyNestedConfigJson() {
        // A 1 MB nested list used to overflow the stack (SIGSEGV, no message).
        const std::string dir = tinyWith("image_size", std::string(500000, '[') + std::string(500000, ']'));
        expectClassifyError(dir, dir + "/config.json", {"nested deeper than"});
    }

    void configNumbersOutOfRange_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("1e400") << "image_size" << "1e400" << "out of range";
        QTest::newRow("image_size wraps to 96") << "image_size" << "4294967392" << "'image_size' is out of range";
        QTest::newRow("image_size 4096") << "image_size" << "4096" << "'image_size' is too large";
        QTest::newRow("num_labels 1e8") << "num_labels" << "1e8" << "'num_labels' must be between 1 and 100000";
        QTest::newRow("num_labels negative") << "num_labels" << "-3" << "'num_labels' must be between 1 and 100000";
    }
    void configNumbersOutOfRange() {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const std::string dir = tinyWith(field.toStdString(), value.toStdString());
        expectClassifyError(dir, dir + "/config.json", {expected});
    }

    void hugeAndEndlessFiles() {
        // An 80 MB config.json (sparse) is refused by its size, before it is read.
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/model.safetensors", dir + "/model.safetensors");
        levit_test::writeFile(dir + "/config.json", "{");
        fs::resize_file(dir + "/config.json", 80u << 20);
        expectClassifyError(dir, dir + "/config.json", {"too large"});
        if (!fs::exists("/dev/zero")) QSKIP("no /dev/zero");
        // /dev/zero as pixel values read until memory ran out.
        expectError({"classify", "--model", QString::fromStdString(tinyDir()), "--pixel-values", "/dev/zero"}, "/dev/zero",
                    {"not a regular file"});
    }

    void nanWeightsAreRefusedInsteadOfPrintingNan() {
        auto weights = levit::loadWeightsFile(tinyDir() + "/model.safetensors");
        const std::string name = "classifier.linear.weight";
        weights[name].values[0] = std::numeric_limits<float>::quiet_NaN();
        const std::string dir = folder();
        fs::copy_file(tinyDir() + "/config.json", dir + "/config.json");
        levit::writeSafeTensors(dir + "/model.safetensors", weights);
        expectClassifyError(dir, dir + "/model.safetensors", {"'" + QString::fromStdString(name) + "'", "NaN"});
    }

    void loneWeightsWithZeroHeads() {
        // Config inference divided by the head count: SIGFPE.
        auto weights = levit::loadWeightsFile(tinyDir() + "/model.safetensors");
        const std::string name = "levit.encoder.stages.0.layers.0.module.attention_biases";
        weights[name] = levit::Tensor{{0, 36}, {}};
        const std::string dir = folder();
        levit::writeSafeTensors(dir + "/lone.safetensors", weights);
        expectClassifyError(dir + "/lone.safetensors", dir + "/lone.safetensors", {"'" + QString::fromStdString(name) + "'"});
    }

    void loneWeightsWithAHugeStageIndex() {
        // Stage 1e9 sized vectors for 60 s (17.9 GB); a longer number printed just "stoi".
        for (const char* index : {"1000000000", "100000000000000000000"}) {
            std::map<std::string, levit::Tensor> w;
            w["levit.patch_embeddings.embedding_layer_1.convolution.weight"] = levit::Tensor{{1}, {1.0f}};
            w[std::string("levit.encoder.stages.") + index + ".layers.0.module.attention_biases"] = levit::Tensor{{1}, {1.0f}};
            const std::string file = folder() + "/w.safetensors";
            levit::writeSafeTensors(file, w);
            expectClassifyError(file, file, {QString("stage index ") + index});
        }
    }

    void hostilePickles_data() {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("expected");
        // A dict that contains itself through the memo (leaked; the 8-byte reproducer plus STOP).
        QTest::newRow("cycle") << QByteArray("\x80\x02}q\x00(\x89h\x00u.", 11) << "would contain itself";
        // 1,000,000 levels grown through the memo: freeing them overflowed the stack (SIGSEGV).
        QByteArray deep("\x80\x02]r\x00\x00\x00\x00", 8);
        for (uint32_t i = 1; i <= 1000000; ++i) {
            char step[13] = {'j', 0, 0, 0, 0, ']', 'r', 0, 0, 0, 0, 'a', '0'};
            for (int b = 0; b < 4; ++b) {
                step[1 + b] = char(((i - 1) >> (8 * b)) & 0xff);
                step[7 + b] = char((i >> (8 * b)) & 0xff);
            }
            deep.append(step, 13);
        }
        deep.append('.');
        QTest::newRow("deep through the memo") << deep << "already sits inside another one";
    }
    void hostilePickles() {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, expected);
        const std::string file = folder() + "/model.pth";
        levit_test::writeFile(file, levit_test::makeTorchZip(pickle.toStdString(), {}));
        expectClassifyError(file, file, {"refused pickle", expected});
    }

    void npyWithALongHeader() {
        // A 60 KB header (allowed: up to 64 KiB) overflowed the stack in std::regex (SIGSEGV, no message).
        std::string dims;
        for (int i = 0; i < 20000; ++i) dims += "1, ";
        const std::string file = folder() + "/long_header.npy";
        levit_test::writeFile(file, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }", std::string(4, '\0')));
        expectError({"classify", "--model", QString::fromStdString(tinyDir()), "--pixel-values", QString::fromStdString(file)},
                    file, {"20000 dimensions"});
    }

    void tensorNameOfHundredsOfKilobytes() {
        // Layout mapping matched names with std::regex, which recursed once per character: SIGSEGV.
        std::map<std::string, levit::Tensor> w;
        w["patch_embed.0.c.weight"] = levit::Tensor{{1}, {1.0f}};
        w["blocks.0." + std::string(300000, 'a')] = levit::Tensor{{1}, {1.0f}};
        const std::string file = folder() + "/long_name.safetensors";
        levit::writeSafeTensors(file, w);
        expectClassifyError(file, file, {"tensor name of 300009 bytes is too long (at most 1024)"});
    }

    void fileNamesWithANewlineStayOnOneLine() {
        // The message named the file as it is, so a newline in its name split the one error line in two.
        const std::string dir = folder();
        const std::string file = dir + "/bad\nname.png";
        levit_test::writeFile(file, "not a picture");
        expectError({"classify", "--model", QString::fromStdString(tinyDir()), QString::fromStdString(file)},
                    dir + "/bad\\nname.png", {"not an image"});
    }

    void danglingAndLoopingWeightLinks() {
        // A Hub snapshot's link whose blob is gone was reported as "no model.safetensors in this folder".
        const std::string dangling = folder();
        fs::copy_file(tinyDir() + "/config.json", dangling + "/config.json");
        fs::create_symlink("../blobs/0123abcd", dangling + "/model.safetensors");
        expectClassifyError(dangling, dangling + "/model.safetensors", {"a symbolic link to '../blobs/0123abcd', which does not exist"});
        const std::string looping = folder();
        fs::create_symlink("model.safetensors", looping + "/model.safetensors");
        expectClassifyError(looping, looping + "/model.safetensors", {"cannot be opened"});
    }

    void npyShapeOverflow() {
        const std::string file = folder() + "/overflow.npy";
        levit_test::writeFile(file, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
                                            std::string(16, '\0')));
        expectError({"classify", "--model", QString::fromStdString(tinyDir()), "--pixel-values", QString::fromStdString(file)},
                    file, {"too large"});
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "test_hostile_files.moc"
