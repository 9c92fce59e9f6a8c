// Decoding + LevitImageProcessor against Hugging Face's own arrays for every golden image, the real
// photos of the levit-128S set included (read in place from ../shared, never copied).
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "media/image_decoder.h"
#include "levit/config.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "test_support.h"

using namespace levit;

namespace {

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct PixelAgreement {
    double equal_fraction = 0;
    int max_difference = 0;
};

PixelAgreement agreement(const ImageRGB8& ours, const NpyArray& golden) {
    PixelAgreement a;
    size_t equal = 0;
    for (size_t i = 0; i < golden.bytes.size(); ++i) {
        const int d = std::abs(int(ours.pixels[i]) - int(golden.bytes[i]));
        equal += d == 0;
        a.max_difference = std::max(a.max_difference, d);
    }
    a.equal_fraction = double(equal) / golden.bytes.size();
    return a;
}

}  // namespace

class TestPreprocessGolden : public QObject {
    Q_OBJECT

    void checkSet(const std::string& dir) {
        LEVIT_REQUIRE_SHARED_PATH(dir);
        Config config = Config::fromFile(dir + "/config.json");
        config.applyPreprocessorJson(readText(dir + "/preprocessor_config.json"), dir + "/preprocessor_config.json");
        const PreprocessConfig& pc = config.preprocess;
        const auto manifest = nlohmann::json::parse(readText(dir + "/manifest.json"));
        const auto images = manifest["images"].get<std::vector<std::string>>();
        const NpyArray pixel_values = readNpy(dir + "/npy/pixel_values.npy");
        const std::vector<float> golden_pixels = pixel_values.toFloat();
        QCOMPARE(pixel_values.shape[0], int64_t(images.size()));
        const size_t per_image = size_t(3) * pc.crop_height * pc.crop_width;
        for (size_t i = 0; i < images.size(); ++i) {
            const std::string path = dir + "/images/" + images[i];
            const ImageRGB8 image = media::decodeImageFile(path);
            const int target = static_cast<int>((256.0 / 224.0) * pc.shortest_edge);
            const Size2 size = resizeOutputSize(image.height, image.width, target);
            const ImageRGB8 resized = resizeBicubicPIL(image, size.width, size.height);
            const NpyArray golden_resized = readNpy(dir + "/npy/pre_" + std::to_string(i) + "_resized_uint8.npy");
            QCOMPARE(golden_resized.shape, (std::vector<int64_t>{resized.height, resized.width, 3}));
            const PixelAgreement r = agreement(resized, golden_resized);
            qInfo("%s: resized %dx%d, %.4f%% of values equal to PIL, max difference %d", images[i].c_str(), resized.width,
                  resized.height, 100 * r.equal_fraction, r.max_difference);
            QVERIFY2(r.equal_fraction >= 0.999 && r.max_difference <= 1, path.c_str());

            const ImageRGB8 cropped = centerCrop(resized, pc.crop_width, pc.crop_height);
            const PixelAgreement c = agreement(cropped, readNpy(dir + "/npy/pre_" + std::to_string(i) + "_cropped_uint8.npy"));
            QVERIFY2(c.equal_fraction >= 0.999 && c.max_difference <= 1, path.c_str());

            const std::vector<float> ours = preprocess(image, pc);
            QCOMPARE(ours.size(), per_image);
            double worst = 0;
            for (size_t k = 0; k < per_image; ++k)
                worst = std::max(worst, double(std::abs(ours[k] - golden_pixels[i * per_image + k])));
            QVERIFY2(worst <= 1e-5, (path + ": pixel_values differ by " + std::to_string(worst)).c_str());
        }
    }

private slots:
    void tinySeed0() { checkSet(levit_test::testDataDir() + "/golden/tiny_seed0"); }
    void tinySeed1() { checkSet(levit_test::testDataDir() + "/golden/tiny_seed1"); }
    void levit128SWithRealPhotos() { checkSet(levit_test::goldenDir("levit-128S_seed0")); }

    void resizeRuleFollowsTransformers() {
        // Shortest edge to the target, the other edge int(target * long / short).
        QCOMPARE(resizeOutputSize(200, 300, 256).height, 256);
        QCOMPARE(resizeOutputSize(200, 300, 256).width, 384);
        QCOMPARE(resizeOutputSize(333, 97, 256).height, 878);
        QCOMPARE(resizeOutputSize(333, 97, 256).width, 256);
        QCOMPARE(resizeOutputSize(427, 640, 256).width, 383);
    }

    void identityResizeKeepsPixels() {
        ImageRGB8 image;
        image.width = 5;
        image.height = 4;
        for (int i = 0; i < 60; ++i) image.pixels.push_back(static_cast<uint8_t>(i * 4));
        const ImageRGB8 same = resizeBicubicPIL(image, 5, 4);
        QVERIFY(same.pixels == image.pixels);
    }

    void centreCropUsesFloorOffsets() {
        ImageRGB8 image;
        image.width = 5;
        image.height = 3;
        for (int i = 0; i < 15; ++i) image.pixels.insert(image.pixels.end(), {uint8_t(i), uint8_t(i), uint8_t(i)});
        const ImageRGB8 crop = centerCrop(image, 2, 1);  // top (3-1)//2 = 1, left (5-2)//2 = 1
        QCOMPARE(int(crop.pixels[0]), 6);
        QCOMPARE(int(crop.pixels[3]), 7);
    }

    void flagsSwitchStepsOff() {
        ImageRGB8 image;
        image.width = image.height = 2;
        image.pixels = {0, 0, 0, 255, 255, 255, 51, 51, 51, 102, 102, 102};
        PreprocessConfig pc;
        pc.do_resize = pc.do_center_crop = pc.do_normalize = false;
        const std::vector<float> v = preprocess(image, pc);
        QCOMPARE(v.size(), size_t(12));
        QCOMPARE(v[1], 1.0f);
        QCOMPARE(v[2], 0.2f);
    }
};

QTEST_GUILESS_MAIN(TestPreprocessGolden)
#include "test_preprocess_golden.moc"
