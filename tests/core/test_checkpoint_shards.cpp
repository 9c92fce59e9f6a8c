// Sharded checkpoints (tests/data/sharded, written by tools/fixtures/make_sharded_checkpoints.py from the
// tiny golden model): the safetensors and the pytorch_model.bin shards, opened as a folder or through the
// index, give exactly the logits of the single-file model; hostile indexes (a missing shard, a path outside
// the folder, a tensor in two shards, a shard of another format, too many shards) give one error naming
// the index and the shard.
#include <QtTest/QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "checkpoint_errors.h"
#include "checkpoint_shards.h"
#include "levit/checkpoint.h"
#include "levit/npy.h"
#include "test_support.h"

using namespace levit;
namespace fs = std::filesystem;

using levit_test::checkpointLoadError;

namespace {

const std::string kTiny = levit_test::testDataDir() + "/golden/tiny_seed0";
const std::string kShardedSafetensors = levit_test::testDataDir() + "/sharded/safetensors";
const std::string kShardedBin = levit_test::testDataDir() + "/sharded/bin";
const std::string kSafetensorsIndex = "model.safetensors.index.json";

std::vector<float> logitsOf(const std::string& path) {
    const LoadedCheckpoint ck = loadCheckpoint(path);
    auto model = std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
    const NpyArray pixels = readNpy(kTiny + "/npy/pixel_values.npy");
    Session session(model, 1);
    return session.run(pixels.toFloat(), int(pixels.shape[0])).logits;
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// `text` with every `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

}  // namespace

class TestCheckpointShards : public QObject {
    Q_OBJECT
    std::vector<float> single_file_logits;

    // A copy of the sharded safetensors folder to break, in a fresh temporary folder.
    std::string brokenCopy(QTemporaryDir& tmp) {
        const std::string dir = tmp.filePath("model").toStdString();
        fs::copy(kShardedSafetensors, dir);
        return dir;
    }

    static void expectError(const std::string& path, const QStringList& parts) {
        const QString error = checkpointLoadError(path);
        QVERIFY2(!error.isEmpty(), "the hostile index loaded");
        for (const QString& part : parts) QVERIFY2(error.contains(part), qPrintable("'" + part + "' not in: " + error));
    }

private slots:
    void initTestCase() { single_file_logits = logitsOf(kTiny); }

    void shardedSafetensorsGiveTheSingleFileLogitsExactly() {
        for (const std::string& path : {kShardedSafetensors, kShardedSafetensors + "/" + kSafetensorsIndex}) {
            const LoadedCheckpoint ck = loadCheckpoint(path);
            QVERIFY2(ck.description.find("sharded safetensors (3 shards)") != std::string::npos, ck.description.c_str());
            QCOMPARE(ck.weights_path, kShardedSafetensors + "/" + kSafetensorsIndex);
            QCOMPARE(ck.weights.size(), loadCheckpoint(kTiny).weights.size());
            QVERIFY(logitsOf(path) == single_file_logits);
        }
    }

    void shardedPytorchBinGiveTheSingleFileLogitsExactly() {
        const LoadedCheckpoint ck = loadCheckpoint(kShardedBin);
        QVERIFY2(ck.description.find("sharded PyTorch checkpoint (3 shards)") != std::string::npos, ck.description.c_str());
        QVERIFY(logitsOf(kShardedBin) == single_file_logits);
        QVERIFY(logitsOf(kShardedBin + "/pytorch_model.bin.index.json") == single_file_logits);
    }

    void loadWeightsFileReadsAnIndexToo() {
        const auto weights = loadWeightsFile(kShardedSafetensors + "/" + kSafetensorsIndex);
        QCOMPARE(weights.size(), loadWeightsFile(kTiny + "/model.safetensors").size());
    }

    void aMissingShardIsNamed() {
        QTemporaryDir tmp;
        const std::string dir = brokenCopy(tmp);
        fs::remove(dir + "/model-00002-of-00003.safetensors");
        expectError(dir, {QString::fromStdString(dir + "/" + kSafetensorsIndex), "shard model-00002-of-00003.safetensors",
                          "is missing", "does not exist"});
    }

    void aShardOutsideTheFolderIsRefused() {
        QTemporaryDir tmp;
        const std::string dir = brokenCopy(tmp);
        // The shard exists one level up: only the name decides, never whether the path happens to exist.
        fs::copy_file(dir + "/model-00001-of-00003.safetensors", tmp.filePath("x.safetensors").toStdString());
        const std::string index = dir + "/" + kSafetensorsIndex;
        writeText(index, replaced(readText(index), "model-00001-of-00003.safetensors", "../x.safetensors"));
        expectError(dir, {QString::fromStdString(index), "shard '../x.safetensors'", "not a plain file name"});
        writeText(index, replaced(readText(index), "../x.safetensors", "/etc/passwd.safetensors"));
        expectError(dir, {QString::fromStdString(index), "not a plain file name"});
    }

    void aTensorInTwoShardsIsRefused() {
        QTemporaryDir tmp;
        const std::string dir = brokenCopy(tmp);
        // Shard 3 replaced by a copy of shard 1: every tensor of shard 1 is then stored twice.
        fs::copy_file(dir + "/model-00001-of-00003.safetensors", dir + "/model-00003-of-00003.safetensors",
                      fs::copy_options::overwrite_existing);
        expectError(dir, {QString::fromStdString(dir + "/" + kSafetensorsIndex), "is stored in two shards",
                          "model-00001-of-00003.safetensors and model-00003-of-00003.safetensors"});
    }

    void aShardOfAnotherFormatIsRefused() {
        QTemporaryDir tmp;
        const std::string dir = brokenCopy(tmp);
        const std::string index = dir + "/" + kSafetensorsIndex;
        writeText(index, replaced(readText(index), "model-00001-of-00003.safetensors", "model-00001-of-00003.bin"));
        expectError(dir, {QString::fromStdString(index), "model-00001-of-00003.bin", "not a .safetensors file"});
    }

    void tooManyShardsAreRefusedBeforeAnyIsOpened() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        QJsonObject map;
        for (size_t i = 0; i <= kMaxShards; ++i) map.insert(QString("t%1").arg(i), QString("s%1.safetensors").arg(i));
        writeText(dir + "/" + kSafetensorsIndex, QJsonDocument(QJsonObject{{"weight_map", map}}).toJson().toStdString());
        expectError(dir, {"more than " + QString::number(kMaxShards) + " shards"});
    }

    void anIndexWithoutAWeightMapIsRefused() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeText(dir + "/" + kSafetensorsIndex, "{\"metadata\":{}}");
        expectError(dir, {QString::fromStdString(dir + "/" + kSafetensorsIndex), "\"weight_map\""});
        writeText(dir + "/" + kSafetensorsIndex, "{\"weight_map\":{\"a\":7}}");
        expectError(dir, {"tensor 'a'", "not a file name"});
    }
};

QTEST_GUILESS_MAIN(TestCheckpointShards)
#include "test_checkpoint_shards.moc"
