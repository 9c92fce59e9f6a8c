// Loading a checkpoint never executes code: the restricted unpickler refuses every global outside its
// allow-list (os.system, builtins.eval, ...), every __reduce__ payload, every opcode a state dict does
// not need and every malformed construct, with a message naming the file, the opcode or global and the
// byte offset. What it does accept (tensor rebuilds of every float dtype, strided views, OrderedDict
// state dicts with _metadata, protocol 4 framing) decodes to the right values.
#include <QtTest/QtTest>

#include <QTemporaryDir>

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

// A byte string literal with embedded NULs, whole.
#define BYTES(literal) std::string(literal, sizeof(literal) - 1)

}  // namespace

class TestRestrictedUnpickler : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    int counter = 0;

    // Writes `pickle` as archive/data.pkl of a torch-style .pth and returns the load error.
    QString errorFor(const std::string& pickle, std::string* path_out = nullptr) {
        const std::string path = tmp.filePath(QString("case_%1.pth").arg(++counter)).toStdString();
        levit_test::writeFile(path, levit_test::makeTorchZip(pickle, {}));
        if (path_out) *path_out = path;
        return checkpointLoadError(path);
    }

    void expectRefused(const std::string& pickle, const QStringList& words) {
        std::string path;
        const QString msg = errorFor(pickle, &path);
        QVERIFY2(!msg.isEmpty(), "a hostile pickle was accepted");
        QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable("file not named: " + msg));
        QVERIFY2(msg.contains("refused pickle"), qPrintable(msg));
        for (const QString& w : words) QVERIFY2(msg.contains(w), qPrintable("'" + w + "' not in: " + msg));
    }

private slots:
    void refusesGlobalsOutsideTheAllowList_data() {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        for (const auto& [m, n] : std::vector<std::pair<const char*, const char*>>{
                 {"os", "system"}, {"posix", "system"}, {"nt", "system"}, {"builtins", "eval"}, {"builtins", "exec"},
                 {"__builtin__", "eval"}, {"builtins", "getattr"}, {"builtins", "__import__"}, {"subprocess", "Popen"},
                 {"shutil", "rmtree"}, {"torch", "load"}, {"torch._utils", "_rebuild_device_tensor_from_numpy"},
                 {"numpy.core.multiarray", "_reconstruct"}, {"collections", "OrderedDictX"}})
            QTest::newRow((std::string(m) + "." + n).c_str()) << QString(m) << QString(n);
    }
    void refusesGlobalsOutsideTheAllowList() {
        QFETCH(QString, module);
        QFETCH(QString, name);
        // GLOBAL at byte 2, right after PROTO: refused before anything could be called.
        const std::string p = Pickle().proto(2).global(module.toStdString(), name.toStdString()).str("id").raw("\x85").reduce().stop().b;
        expectRefused(p, {"'" + module + "." + name + "' is not allowed", "GLOBAL at byte 2"});
    }

    void refusesReducePayloadsAsPythonWritesThem() {
        // pickle.dumps(obj, protocol=2) where obj.__reduce__ returns (os.system, ('echo pwned',)).
        const std::string posix = BYTES("\x80\x02" "cposix\nsystem\nq\x00X\n\x00\x00\x00" "echo pwnedq\x01\x85q\x02Rq\x03.");
        QCOMPARE(posix.size(), size_t(42));
        expectRefused(posix,
                      {"posix.system", "GLOBAL at byte 2"});
        // The same with protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL).
        const std::string posix4 = BYTES("\x80\x04\x95%\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94"
                                         "\x8c\necho pwned\x94\x85\x94R\x94.");
        QCOMPARE(posix4.size(), size_t(48));
        expectRefused(posix4, {"posix.system", "STACK_GLOBAL at byte 28"});
        // Hidden as a value of a dict: {'w': eval('1+1')}.
        const std::string eval = BYTES("\x80\x02}q\x00X\x01\x00\x00\x00wq\x01" "c__builtin__\neval\nq\x02X\x03\x00\x00\x00"
                                       "1+1q\x03\x85q\x04Rq\x05s.");
        QCOMPARE(eval.size(), size_t(51));
        expectRefused(eval, {"__builtin__.eval", "GLOBAL at byte 13"});
        // After a valid tensor, inside a real state dict.
        Pickle p;
        p.proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 1, 0, {1}, {1});
        p.str("evil").global("os", "system").str("rm -rf /").raw("\x85").reduce().setItems().stop();
        expectRefused(p.b, {"os.system", "not allowed"});
    }

    void refusesReduceOfAllowedNamesThatAreNotRebuilders() {
        // torch.FloatStorage may name a storage type, not be called.
        expectRefused(Pickle().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop().b,
                      {"REDUCE of 'torch.FloatStorage' is not allowed", "REDUCE at byte"});
        // argparse.Namespace is an inert placeholder: it may be created with NEWOBJ, never called.
        expectRefused(Pickle().proto(2).global("argparse", "Namespace").emptyTuple().reduce().stop().b,
                      {"REDUCE of 'argparse.Namespace' is not allowed"});
        expectRefused(Pickle().proto(2).global("collections", "OrderedDict").str("x").raw("\x85").reduce().stop().b,
                      {"OrderedDict called with arguments"});
        // REDUCE of a string (not a global at all).
        expectRefused(Pickle().proto(2).str("os.system").emptyTuple().reduce().stop().b, {"not an allowed callable"});
    }

    void refusesOpcodesAStateDictDoesNotUse_data() {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("where");
        QTest::newRow("INST") << QByteArray("\x80\x02(ios\nsystem\nX\x02\x00\x00\x00id.", 22) << "opcode 0x69 (INST)" << "INST at byte 3";
        QTest::newRow("OBJ") << QByteArray("\x80\x02(o.", 5) << "opcode 0x6f (OBJ)" << "OBJ at byte 3";
        QTest::newRow("NEWOBJ") << QByteArray("\x80\x02))\x81.", 6) << "NEWOBJ of a value that is not argparse.Namespace" << "NEWOBJ at byte 4";
        QTest::newRow("NEWOBJ_EX") << QByteArray("\x80\x02)))\x92.", 7) << "opcode 0x92 (NEWOBJ_EX)" << "NEWOBJ_EX at byte 5";
        QTest::newRow("EXT1") << QByteArray("\x80\x02\x82\x01.", 5) << "opcode 0x82 (EXT1)" << "EXT1 at byte 2";
        QTest::newRow("PERSID") << QByteArray("\x80\x02Pid\n.", 7) << "opcode 0x50 (PERSID)" << "PERSID at byte 2";
        QTest::newRow("text STRING") << QByteArray("\x80\x02S'x'\n.", 8) << "opcode 0x53 (STRING)" << "STRING at byte 2";
        QTest::newRow("unknown byte") << QByteArray("\x80\x02\xff.", 4) << "opcode 0xff (unknown)" << "unknown at byte 2";
        QTest::newRow("protocol 1") << QByteArray("\x80\x01}.", 4) << "pickle protocol 1 is not supported" << "PROTO at byte 0";
    }
    void refusesOpcodesAStateDictDoesNotUse() {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, expected);
        QFETCH(QString, where);
        expectRefused(pickle.toStdString(), {expected, where});
    }

    void refusesMalformedPickles() {
        expectRefused(Pickle().proto(2).emptyDict().b, {"ends without a STOP"});
        expectRefused(Pickle().proto(2).str("abc").b.substr(0, 6), {"ends inside an opcode's argument"});
        expectRefused(Pickle().proto(2).raw("h\x07").stop().b, {"memo entry 7 was never stored"});
        expectRefused(Pickle().proto(2).raw("\x85").stop().b, {"stack underflow"});
        expectRefused(Pickle().proto(2).setItems().stop().b, {"no MARK"});
        expectRefused(Pickle().proto(2).emptyDict().emptyDict().stop().b, {"STOP with 2 values"});
        // A nesting bomb: 300 nested 1-tuples.
        std::string bomb = Pickle().proto(2).emptyTuple().b;
        for (int i = 0; i < 300; ++i) bomb += '\x85';
        expectRefused(bomb + ".", {"nested deeper than"});
        // Persistent ids other than storages.
        expectRefused(Pickle().proto(2).mark().str("module").str("os").tuple().binPersId().stop().b,
                      {"persistent id is not ('storage'"});
        // Tensor views that reach outside their storage, or have negative sizes.
        expectRefused(Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 4, 2, {2, 2}, {2, 1}).setItems().stop().b,
                      {"reaches past the end of storage '0' of 4 elements"});
        expectRefused(Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 4, 0, {-1}, {1}).setItems().stop().b,
                      {"not a non-negative integer"});
        expectRefused(Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 4, 0, {2, 2}, {2}).setItems().stop().b,
                      {"size and stride differ in rank"});
        // A broadcast (stride 0) view asking for far more elements than its storage holds.
        expectRefused(Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 1, 0, {65536, 65536, 65536}, {0, 0, 0}).setItems().stop().b,
                      {"larger than its storage '0' of 1 elements"});
        expectRefused(Pickle().proto(2).emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 1, 0, std::vector<int32_t>(17, 1), std::vector<int32_t>(17, 1)).setItems().stop().b,
                      {"tensor of rank 17"});
    }

    void readsTheModelOfATrainingCheckpoint() {
        // LeViT's main.py: {'model': ..., 'optimizer': {...}, 'epoch': 299, 'args': Namespace(...)}.
        Pickle p;
        p.proto(2).emptyDict().mark();
        p.str("model").emptyDict().mark().str(kFirstConvWeight).tensor("FloatStorage", "0", 2, 0, {2}, {1}).setItems();
        p.str("optimizer").emptyDict().mark().str("param_groups").raw("]").mark().emptyDict().mark().str("lr");
        p.raw(BYTES("G\x3f\x1a\x36\xe2\xeb\x1c\x43\x2d")).str("betas").integer(0).integer(1).raw("\x86").setItems().raw("e").setItems();
        p.str("epoch").integer(299);
        p.str("args").global("argparse", "Namespace").emptyTuple().raw("\x81").emptyDict().mark().str("model").str("LeViT_128S");
        p.str("distillation_type").str("hard").str("resume").raw("N").setItems().raw("b");
        p.setItems().stop();
        const std::string path = tmp.filePath("training.pth").toStdString();
        levit_test::writeFile(path, levit_test::makeTorchZip(p.b, {{"0", levit_test::floatBytes({0.5f, -1.5f})}}));
        const auto w = loadWeightsFile(path);
        QCOMPARE(int(w.size()), 1);
        QCOMPARE(w.at(kFirstConvWeight).values, (std::vector<float>{0.5f, -1.5f}));
    }

    void decodesWhatTorchSaveWrites() {
        // A state dict as torch.save writes it: OrderedDict, BUILD with _metadata, and tensors of every
        // float dtype, one a transposed view with a storage offset; plus an int64 buffer that is skipped.
        Pickle p;
        p.proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str(kFirstConvWeight).tensor("FloatStorage", "0", 7, 1, {2, 3}, {1, 2});  // view of elements 1..6, transposed
        p.str("levit.half").tensor("HalfStorage", "1", 3, 0, {3}, {1});
        p.str("levit.bfloat16").tensor("BFloat16Storage", "2", 2, 0, {2}, {1});
        p.str("levit.double").tensor("DoubleStorage", "3", 1, 0, {}, {});
        p.str("levit.count.num_batches_tracked").tensor("LongStorage", "4", 1, 0, {}, {});
        p.setItems();
        p.emptyDict().str("_metadata").global("collections", "OrderedDict").emptyTuple().reduce().raw("s").raw("b").stop();
        const std::string half("\x00\x3c\x00\xc0\x00\x7c", 6);  // 1.0, -2.0, +inf
        const std::string bf16("\x80\x3f\x40\xc0", 4);           // 1.0, -3.0
        double d = 0.1;
        const std::string dbl(reinterpret_cast<const char*>(&d), 8);
        const std::string path = tmp.filePath("good.pth").toStdString();
        levit_test::writeFile(path, levit_test::makeTorchZip(p.b, {{"0", levit_test::floatBytes({9, 1, 2, 3, 4, 5, 6})},
                                                                    {"1", half}, {"2", bf16}, {"3", dbl},
                                                                    {"4", std::string(8, '\0')}}, "good"));
        const auto w = loadWeightsFile(path);
        QCOMPARE(int(w.size()), 4);
        QCOMPARE(w.at(kFirstConvWeight).shape, (std::vector<int64_t>{2, 3}));
        // element (i, j) = storage[1 + i + 2j]
        QCOMPARE(w.at(kFirstConvWeight).values, (std::vector<float>{1, 3, 5, 2, 4, 6}));
        QCOMPARE(w.at("levit.half").values[0], 1.0f);
        QCOMPARE(w.at("levit.half").values[1], -2.0f);
        QVERIFY(std::isinf(w.at("levit.half").values[2]));
        QCOMPARE(w.at("levit.bfloat16").values, (std::vector<float>{1.0f, -3.0f}));
        QCOMPARE(w.at("levit.double").shape, std::vector<int64_t>{});
        QCOMPARE(w.at("levit.double").values, std::vector<float>{0.1f});
    }
};

QTEST_GUILESS_MAIN(TestRestrictedUnpickler)
#include "test_restricted_unpickler.moc"
