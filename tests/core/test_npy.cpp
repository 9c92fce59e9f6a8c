// The .npy reader: headers as NumPy writes them and as other writers space them, every refusal naming the
// file, and long headers parsed without recursion.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <cstring>
#include <string>

#include "levit/error.h"
#include "levit/npy.h"
#include "test_support.h"
#include "torch_zip_writer.h"

using namespace levit;

namespace {

// A .npy file: magic, version, header length (2 bytes in v1, 4 in v2), header, data.
std::string npyBytes(const std::string& header, const std::string& data, int version = 1) {
    std::string out("\x93NUMPY", 6);
    out += char(version);
    out += '\0';
    const int length_bytes = version == 1 ? 2 : 4;
    for (int i = 0; i < length_bytes; ++i) out += char((header.size() >> (8 * i)) & 0xff);
    return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
    std::string out;
    for (float v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
    return out;
}

}  // namespace

class TestNpy : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    int counter = 0;

    std::string write(const std::string& bytes) {
        const std::string path = tmp.filePath(QString("a%1.npy").arg(++counter)).toStdString();
        levit_test::writeFile(path, bytes);
        return path;
    }
    QString readError(const std::string& path) {
        try {
            readNpy(path);
        } catch (const Error& e) {
            return QString::fromUtf8(e.what());
        }
        return {};
    }

private slots:
    void roundTrip() {
        const std::string path = tmp.filePath("round.npy").toStdString();
        const float values[6] = {1, -2, 3.5f, 0, 1e-7f, 42};
        writeNpy(path, {2, 3}, values);
        const NpyArray a = readNpy(path);
        QCOMPARE(a.dtype, std::string("f4"));
        QCOMPARE(a.shape, (std::vector<int64_t>{2, 3}));
        const std::vector<float> back = a.toFloat();
        QCOMPARE(back.size(), size_t(6));
        for (int i = 0; i < 6; ++i) QCOMPARE(back[i], values[i]);
    }

    void headerSpellings_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<int>("version");
        QTest::newRow("numpy") << "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }" << 1;
        QTest::newRow("no blanks") << "{'descr':'<f4','fortran_order':False,'shape':(2,1)}" << 1;
        QTest::newRow("other order, tabs and newlines") << "{'shape' :\t(2,\n 1), 'fortran_order' : False, 'descr' :  '<f4'}" << 1;
        QTest::newRow("version 2") << "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }" << 2;
        QTest::newRow("a key without a colon first") << "{'note': 'descr', 'descr' x, 'descr': '<f4', 'shape': (2, 1)}" << 1;
    }
    void headerSpellings() {
        QFETCH(QString, header);
        QFETCH(int, version);
        const NpyArray a = readNpy(write(npyBytes(header.toStdString() + "\n", floats({5, 6}), version)));
        QCOMPARE(a.dtype, std::string("f4"));
        QCOMPARE(a.shape, (std::vector<int64_t>{2, 1}));
        QCOMPARE(a.toFloat(), (std::vector<float>{5, 6}));
    }

    void scalarAndByteArrays() {
        const NpyArray scalar = readNpy(write(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n", floats({7}))));
        QVERIFY(scalar.shape.empty());
        QCOMPARE(scalar.toFloat(), std::vector<float>{7});
        const NpyArray bytes = readNpy(write(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }\n", "\x01\x02\xff")));
        QCOMPARE(bytes.toInt64(), (std::vector<int64_t>{1, 2, 255}));
    }

    void refusals_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto npy = [](const std::string& header, const std::string& data) {
            const std::string b = npyBytes(header + "\n", data);
            return QByteArray(b.data(), qsizetype(b.size()));
        };
        QTest::newRow("no magic") << QByteArray("NUMPY......") << "not a .npy file";
        QTest::newRow("no descr") << npy("{'shape': (1,)}", floats({1})) << "has no descr";
        QTest::newRow("descr without a size") << npy("{'descr': '<f', 'shape': (1,)}", floats({1})) << "has no descr";
        QTest::newRow("no shape") << npy("{'descr': '<f4'}", floats({1})) << "has no shape";
        QTest::newRow("unclosed shape") << npy("{'descr': '<f4', 'shape': (1,", floats({1})) << "has no shape";
        QTest::newRow("big endian") << npy("{'descr': '>f4', 'shape': (1,)}", floats({1})) << "big-endian";
        QTest::newRow("fortran order") << npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,)}", floats({1}))
                                       << "Fortran-ordered";
        QTest::newRow("complex") << npy("{'descr': '<c8', 'shape': (1,)}", floats({1, 2})) << "unsupported .npy dtype 'c8'";
        QTest::newRow("truncated data") << npy("{'descr': '<f4', 'shape': (3,)}", floats({1})) << "truncated .npy data";
        QTest::newRow("huge dimension") << npy("{'descr': '<f4', 'shape': (99999999999999999999999,)}", "")
                                        << "dimension 99999999999999999999999 is too large";
    }
    void refusals() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const std::string path = write(bytes.toStdString());
        const QString error = readError(path);
        QVERIFY2(error.contains(QString::fromStdString(path)), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void tooManyDimensions() {
        std::string dims;
        for (int i = 0; i < 33; ++i) dims += "1, ";
        const std::string path = write(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }\n", floats({1})));
        QVERIFY2(readError(path).contains("33 dimensions (at most 32)"), qPrintable(readError(path)));
        std::string thirty_two;
        for (int i = 0; i < 32; ++i) thirty_two += "1, ";
        QCOMPARE(readNpy(write(npyBytes("{'descr': '<f4', 'shape': (" + thirty_two + ")}\n", floats({1})))).shape.size(), size_t(32));
    }

    void aHeaderOfSixtyKilobytesIsParsedWithoutRecursion() {
        // Padding is allowed to be long; std::regex recursed per character here and overflowed the stack.
        std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        header.append(60000, ' ');
        const NpyArray a = readNpy(write(npyBytes(header + "\n", floats({1, 2}), 2)));
        QCOMPARE(a.shape, std::vector<int64_t>{2});
        const std::string long_shape = "{'descr': '<f4', 'shape': (" + std::string(60000, ' ') + "2,)}\n";
        QCOMPARE(readNpy(write(npyBytes(long_shape, floats({1, 2}), 2))).shape, std::vector<int64_t>{2});
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "test_npy.moc"
