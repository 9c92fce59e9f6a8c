// Broken PyTorch checkpoint files fail with one clear message naming the file and the problem: truncated or
// corrupt ZIP archives, compressed entries, missing or wrongly sized storage records, legacy and foreign
// files, checkpoints that are not state dicts. Nothing is read past the file and nothing crashes.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "levit/checkpoint.h"
#include "levit/error.h"
#include "checkpoint_errors.h"
#include "test_support.h"
#include "torch_zip_writer.h"

using namespace levit;
using levit_test::checkpointLoadError;
using levit_test::kFirstConvWeight;
using levit_test::Pickle;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// {kFirstConvWeight: float tensor of `numel` elements from storage "0"}
std::string oneTensorPickle(int numel) {
    return Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", numel, 0, {numel}, {1}).setItems().stop().b;
}

}  // namespace

class TestTorchCheckpointFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const std::string real = levit_test::testDataDir() + "/golden/tiny_seed0/formats/pytorch_model.bin";

    std::string write(const std::string& name, const std::string& bytes) {
        const std::string path = tmp.filePath(QString::fromStdString(name)).toStdString();
        levit_test::writeFile(path, bytes);
        return path;
    }

    void expectError(const std::string& path, const QStringList& words) {
        const QString msg = checkpointLoadError(path);
        QVERIFY2(!msg.isEmpty(), ("accepted: " + path).c_str());
        qInfo("%s", qPrintable(msg));
        QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable("file not named: " + msg));
        for (const QString& w : words) QVERIFY2(msg.contains(w), qPrintable("'" + w + "' not in: " + msg));
        QVERIFY2(!msg.contains('\n'), qPrintable(msg));
    }

private slots:
    void truncatedArchives() {
        const std::string bytes = readAll(real);
        QVERIFY(bytes.size() > 100000);
        // Cut anywhere: the end record (or what it points to) is gone or lies outside the file.
        for (size_t keep : {bytes.size() - 5, bytes.size() - 100, bytes.size() / 2, size_t(300), size_t(10)})
            expectError(write("cut_" + std::to_string(keep) + ".bin", bytes.substr(0, keep)), {});
        expectError(write("cut_end.bin", bytes.substr(0, bytes.size() - 5)), {"end-of-central-directory record not found"});
        // The directory survives but entries are cut off: the end record is kept, data removed before it.
        const std::string zip = levit_test::makeTorchZip(oneTensorPickle(3), {{"0", levit_test::floatBytes({1, 2, 3})}});
        std::string shifted = zip;
        shifted.erase(40, 60);  // the central directory's offsets now point past their records
        expectError(write("shifted.pth", shifted), {});
    }

    void corruptedBytesFailTheCrcCheck() {
        std::string bytes = readAll(real);
        // Flip a byte in the middle of a storage (the data records follow data.pkl).
        const size_t at = bytes.size() / 2;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x40);
        expectError(write("flipped.bin", bytes), {"fails its CRC-32 check", "corrupt"});
    }

    void compressedEntriesAreRefused() {
        std::vector<levit_test::ZipEntry> entries{{"archive/data.pkl", oneTensorPickle(3), 8},
                                                  {"archive/data/0", levit_test::floatBytes({1, 2, 3})}};
        expectError(write("deflated.pth", levit_test::makeZip(entries)), {"'archive/data.pkl'", "is compressed (method 8)"});
    }

    void missingOrMisSizedStorageRecords() {
        expectError(write("missing.pth", levit_test::makeTorchZip(oneTensorPickle(3), {})),
                    {"tensor '" + QString::fromStdString(kFirstConvWeight) + "'", "'archive/data/0'", "does not hold"});
        expectError(write("short.pth", levit_test::makeTorchZip(oneTensorPickle(3), {{"0", levit_test::floatBytes({1, 2})}})),
                    {"'archive/data/0'", "holds 8 bytes, but its 3 float32 elements need 12"});
        // A storage claiming 2^61 + 1 float64 elements (x8 bytes wraps around to 8) over an 8-byte record.
        std::string hostile = Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("DoubleStorage", "0", 1, 0, {1}, {1}).setItems().stop().b;
        const std::string numel_one = std::string("J\x01\x00\x00\x00", 5) + "tQ";  // BININT 1, TUPLE, BINPERSID
        const size_t at = hostile.find(numel_one);
        QVERIFY(at != std::string::npos);
        hostile.replace(at, 5, std::string("\x8a\x08\x01\x00\x00\x00\x00\x00\x00\x20", 10));  // LONG1 2^61 + 1
        expectError(write("wrap.pth", levit_test::makeTorchZip(hostile, {{"0", std::string(8, '\0')}})),
                    {"holds 8 bytes, but its 2305843009213693953 float64 elements need more"});
        expectError(write("long.pth", levit_test::makeTorchZip(oneTensorPickle(3), {{"0", levit_test::floatBytes({1, 2, 3, 4})}})),
                    {"holds 16 bytes, but its 3 float32 elements need 12"});
    }

    void archivesThatAreNotStateDicts() {
        expectError(write("nopickle.pth", levit_test::makeZip({{"archive/weights", "x"}})), {"without <name>/data.pkl"});
        expectError(write("list.pth", levit_test::makeTorchZip(Pickle().proto(2).raw("]").stop().b, {})), {"does not hold a dict of tensors"});
        expectError(write("empty.pth", levit_test::makeTorchZip(Pickle().proto(2).emptyDict().stop().b, {})),
                    {"holds no floating-point tensors"});
        const std::string wrapped = Pickle().proto(2).emptyDict().mark().str("model").emptyDict().str("epoch").integer(3).setItems().stop().b;
        expectError(write("wrapped_empty.pth", levit_test::makeTorchZip(wrapped, {})), {"no floating-point tensors under 'model'"});
        std::vector<levit_test::ZipEntry> big_endian{{"archive/data.pkl", oneTensorPickle(1)},
                                                     {"archive/byteorder", "big"},
                                                     {"archive/data/0", levit_test::floatBytes({1})}};
        expectError(write("big.pth", levit_test::makeZip(big_endian)), {"'big' byte order"});
    }

    void legacyAndForeignFiles() {
        // torch.save(..., _use_new_zipfile_serialization=False): a pickle stream starting with torch's magic number.
        expectError(write("legacy.pth", std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15)),
                    {"legacy (PyTorch < 1.6)", "save it again"});
        expectError(write("text.bin", "this is not a checkpoint"), {"not a PyTorch checkpoint"});
        expectError(write("empty.bin", ""), {"not a PyTorch checkpoint"});
        expectError(tmp.filePath("absent.pth").toStdString(), {"no such file"});
    }
};

QTEST_GUILESS_MAIN(TestTorchCheckpointFiles)
#include "test_torch_checkpoint_files.moc"
