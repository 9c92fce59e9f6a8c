// LevitImageProcessor's options as transformers applies them: every PIL resampling filter bit-exact with
// Pillow (fixtures from tests/data/make_resample_fixtures.py), the output size computed from the options,
// buffers checked against it, and preprocessor_config.json values bounded with messages naming the file.
#include <QtTest/QtTest>

#include <functional>

#include "levit/config.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "engine_test_helpers.h"
#include "test_support.h"

using namespace levit;
using levit_test::imageFromNpy;
const auto messageOf = levit_test::errorMessageOf;

namespace {

std::string resampleDir() { return levit_test::testDataDir() + "/resample"; }


}  // namespace

class TestPreprocessOptions : public QObject {
    Q_OBJECT

private slots:
    void everyPilFilterMatchesPillow_data() {
        QTest::addColumn<int>("filter");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        const char* names[] = {"nearest", "lanczos", "bilinear", "bicubic", "box", "hamming"};
        for (int f = 0; f < 6; ++f)
            for (auto [w, h] : {std::pair{17, 11}, {53, 41}, {50, 9}, {37, 5}, {3, 23}})
                QTest::addRow("%s %dx%d", names[f], w, h) << f << w << h;
    }
    void everyPilFilterMatchesPillow() {
        QFETCH(int, filter);
        QFETCH(int, width);
        QFETCH(int, height);
        const ImageRGB8 input = imageFromNpy(resampleDir() + "/input.npy");
        const ImageRGB8 expected = imageFromNpy(resampleDir() + "/filter" + std::to_string(filter) + "_" +
                                                std::to_string(width) + "x" + std::to_string(height) + ".npy");
        const ImageRGB8 ours = resizePIL(input, width, height, filter);
        QCOMPARE(ours.width, expected.width);
        QCOMPARE(ours.height, expected.height);
        QVERIFY(ours.pixels == expected.pixels);
    }

    void outputSizeFollowsTheOptions() {
        PreprocessConfig p;
        p.shortest_edge = 224;
        p.crop_height = p.crop_width = 224;
        QCOMPARE(preprocessedSize(480, 640, p), (Size2{224, 224}));
        p.do_center_crop = false;
        QCOMPARE(preprocessedSize(480, 640, p), (Size2{256, 341}));  // int(256 * 640 / 480)
        p.resize_height = 200;
        p.resize_width = 300;
        QCOMPARE(preprocessedSize(480, 640, p), (Size2{200, 300}));
        p.do_resize = false;
        QCOMPARE(preprocessedSize(480, 640, p), (Size2{480, 640}));
        p.do_center_crop = true;
        p.crop_height = 10;
        p.crop_width = 20;
        QCOMPARE(preprocessedSize(480, 640, p), (Size2{10, 20}));

        // What preprocess() writes has exactly that size, for every combination.
        const ImageRGB8 input = imageFromNpy(resampleDir() + "/input.npy");
        for (bool resize : {false, true})
            for (bool crop : {false, true})
                for (int fixed : {0, 19}) {
                    PreprocessConfig q;
                    q.do_resize = resize;
                    q.do_center_crop = crop;
                    q.shortest_edge = 14;
                    q.resize_height = q.resize_width = fixed;
                    q.crop_height = 12;
                    q.crop_width = 16;
                    const Size2 s = preprocessedSize(input.height, input.width, q);
                    QCOMPARE(preprocess(input, q).size(), size_t(3) * s.height * s.width);
                }
    }

    void buffersOfTheWrongSizeAreRefused() {
        const ImageRGB8 input = imageFromNpy(resampleDir() + "/input.npy");
        PreprocessConfig p;
        p.shortest_edge = 14;
        p.crop_height = p.crop_width = 14;
        std::vector<float> right(3 * 14 * 14), wrong(3 * 14 * 14 - 1);
        QVERIFY(messageOf([&] { preprocessInto(input, p, right); }).empty());
        QVERIFY(!messageOf([&] { preprocessInto(input, p, wrong); }).empty());
        p.do_center_crop = false;  // now the whole resized image: larger than the buffer
        QVERIFY(!messageOf([&] { preprocessInto(input, p, right); }).empty());
    }

    void resizesBeyondTheLimitsAreRefused() {
        const ImageRGB8 input = imageFromNpy(resampleDir() + "/input.npy");
        QVERIFY(!messageOf([&] { resizePIL(input, kMaxResizedSide + 1, 4, 3); }).empty());
        QVERIFY(!messageOf([&] { resizePIL(input, 8000, 8000, 3); }).empty());  // 64 M pixels
        QVERIFY(!messageOf([&] { resizePIL(input, 0, 4, 3); }).empty());
        QVERIFY(!messageOf([&] { resizePIL(input, 4, 4, 6); }).empty());
    }

    void processorJsonReadsEveryForm() {
        Config c = Config::preset("128S");
        c.applyPreprocessorJson(R"({"size": {"height": 230, "width": 240}, "crop_size": 224, "resample": 2,
                                    "image_mean": 0.5, "image_std": [0.5, 0.25, 0.125], "rescale_factor": 0.5})", "p.json");
        QCOMPARE(c.preprocess.resize_height, 230);
        QCOMPARE(c.preprocess.resize_width, 240);
        QCOMPARE(c.preprocess.crop_height, 224);
        QCOMPARE(c.preprocess.resample, 2);
        QCOMPARE(c.preprocess.image_mean[2], 0.5f);
        QCOMPARE(c.preprocess.image_std[2], 0.125f);
        QCOMPARE(c.preprocess.rescale_factor, 0.5);
        c.applyPreprocessorJson(R"({"size": 200})", "p.json");
        QCOMPARE(c.preprocess.shortest_edge, 200);
        QCOMPARE(c.preprocess.resize_height, 0);  // back to the shortest-edge rule
    }

    void processorJsonValuesAreBounded_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("huge shortest edge") << R"({"size": {"shortest_edge": 30000}})" << "shortest_edge";
        QTest::newRow("shortest edge that resizes past the limit") << R"({"size": {"shortest_edge": 16000}})" << "shortest_edge";
        QTest::newRow("zero crop") << R"({"crop_size": {"height": 0, "width": 5}})" << "crop_size.height";
        QTest::newRow("crop beyond 32 bits") << R"({"crop_size": 4294967392})" << "crop_size";
        QTest::newRow("fractional size") << R"({"size": 12.5})" << "size";
        QTest::newRow("negative height") << R"({"size": {"height": -3, "width": 5}})" << "size.height";
        QTest::newRow("unknown filter") << R"({"resample": 7})" << "resample";
        QTest::newRow("tiny std") << R"({"image_std": [1e-30, 0.2, 0.2]})" << "image_std[0]";
        QTest::newRow("std of wrong length") << R"({"image_std": [0.2, 0.2]})" << "image_std";
        QTest::newRow("text mean") << R"({"image_mean": ["a", 0, 0]})" << "image_mean[0]";
        QTest::newRow("zero rescale") << R"({"rescale_factor": 0})" << "rescale_factor";
        QTest::newRow("size of wrong type") << R"({"size": "big"})" << "size";
    }
    void processorJsonValuesAreBounded() {
        QFETCH(QString, json);
        QFETCH(QString, field);
        Config c = Config::preset("128S");
        const PreprocessConfig before = c.preprocess;
        const std::string message = messageOf([&] { c.applyPreprocessorJson(json.toStdString(), "dir/preprocessor_config.json"); });
        QVERIFY2(message.rfind("dir/preprocessor_config.json: ", 0) == 0, message.c_str());
        QVERIFY2(message.find(field.toStdString()) != std::string::npos, message.c_str());
        QCOMPARE(c.preprocess.shortest_edge, before.shortest_edge);  // nothing half-applied
        QCOMPARE(c.preprocess.crop_height, before.crop_height);
    }
};

QTEST_GUILESS_MAIN(TestPreprocessOptions)
#include "test_preprocess_options.moc"
