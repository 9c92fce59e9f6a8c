// Every input the fuzzers found a problem with (tests/fuzz/regressions/<harness>/*), replayed in the
// normal build through the same entry functions the libFuzzer harnesses call (tests/fuzz/fuzz_entries.h),
// plus the empty input and truncations of the committed golden files for each harness. The only accepted
// outcomes are success and a levit::Error; any other exception fails here, and a crash fails the test run.
#include <QtTest/QtTest>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "fuzz_entries.h"
#include "levit/error.h"

namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs one input; an empty string when the outcome is acceptable, else what escaped.
QString outcome(const levit::fuzz::Harness& harness, const std::vector<uint8_t>& input) {
    try {
        harness.run(input.data(), input.size());
    } catch (const levit::Error&) {
    } catch (const std::exception& e) {
        return QString("%1 escaped as %2: %3").arg(harness.name, typeid(e).name(), e.what());
    } catch (...) {
        return QString("%1: a non-std exception escaped").arg(harness.name);
    }
    return {};
}

const fs::path kRegressions = LEVIT_FUZZ_REGRESSIONS_DIR;
const fs::path kGolden = fs::path(LEVIT_TEST_DATA_DIR) / "golden" / "tiny_seed0";

// The image harness's input: four option bytes (fuzz_entries.cpp, runImage), then the image file.
std::vector<uint8_t> withImageOptions(std::array<uint8_t, 4> options, const std::vector<uint8_t>& image) {
    std::vector<uint8_t> out(image);
    out.insert(out.begin(), options.begin(), options.end());
    return out;
}

}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    // A folder under regressions/ that names no harness would silently never run.
    void everyRegressionFolderNamesAHarness() {
        if (!fs::is_directory(kRegressions)) return;  // nothing saved yet
        for (const auto& entry : fs::directory_iterator(kRegressions))
            if (entry.is_directory())
                QVERIFY2(levit::fuzz::findHarness(entry.path().filename().string()) != nullptr,
                         qPrintable(QString::fromStdString(entry.path().string()) + " names no harness of fuzz_entries.cpp"));
    }

    // Every saved reproducer, by harness (a loop rather than data rows: an empty folder is not a skip).
    void savedReproducersAreRefusedCleanly() {
        int replayed = 0;
        for (const levit::fuzz::Harness& h : levit::fuzz::harnesses()) {
            const fs::path folder = kRegressions / h.name;
            if (!fs::is_directory(folder)) continue;
            std::set<fs::path> files;
            for (const auto& entry : fs::directory_iterator(folder))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.insert(entry.path());
            for (const fs::path& f : files) {
                const QString problem = outcome(h, readBytes(f));
                QVERIFY2(problem.isEmpty(), qPrintable(QString::fromStdString(f.string()) + ": " + problem));
                ++replayed;
            }
        }
        qInfo("%d saved reproducers replayed", replayed);
    }

    // Every harness with no input at all and with the golden files cut at header and mid-data lengths
    // (the image harness gets a PNG, the checkpoint harness its folder mode's prefixes).
    void emptyAndTruncatedInputsAreRefusedCleanly() {
        const std::vector<uint8_t> safetensors = readBytes(kGolden / "model.safetensors"),
                                   torch = readBytes(kGolden / "formats" / "pytorch_model.bin"),
                                   config = readBytes(kGolden / "config.json"),
                                   image = withImageOptions({0xc0, 0, 0, 0}, readBytes(kGolden / "images" / "small_31x17.png")),
                                   npy = readBytes(kGolden / "npy" / "cls_logits.npy");
        QVERIFY(!safetensors.empty() && !torch.empty() && !config.empty() && !image.empty() && !npy.empty());
        const std::vector<std::pair<const char*, const std::vector<uint8_t>*>> sources = {
            {"safetensors", &safetensors}, {"zip", &torch}, {"torch_checkpoint", &torch}, {"config_json", &config},
            {"npy", &npy}, {"image", &image}, {"pickle", &config}};
        for (const levit::fuzz::Harness& h : levit::fuzz::harnesses()) {
            QString problem = outcome(h, {});
            QVERIFY2(problem.isEmpty(), qPrintable("empty input: " + problem));
            for (const auto& [name, bytes] : sources) {
                if (std::string_view(name) != h.name) continue;
                for (size_t cut : {size_t(1), size_t(8), size_t(9), size_t(64), bytes->size() / 2, bytes->size() - 1}) {
                    const std::vector<uint8_t> part(bytes->begin(), bytes->begin() + std::ptrdiff_t(std::min(cut, bytes->size())));
                    problem = outcome(h, part);
                    QVERIFY2(problem.isEmpty(), qPrintable(QString("first %1 bytes: ").arg(part.size()) + problem));
                }
            }
        }
    }

    // The image harness's option bytes, every flag combination with sides below, equal to and above the
    // image's: a valid image under any valid LevitImageProcessor option set is preprocessed, into exactly
    // the buffer preprocessedSize promises (the harness aborts otherwise), never refused.
    void imageUnderEveryPreprocessingOptionCombination() {
        const levit::fuzz::Harness* image = levit::fuzz::findHarness("image");
        QVERIFY(image);
        const std::vector<uint8_t> png = readBytes(kGolden / "images" / "small_31x17.png");
        QVERIFY(!png.empty());
        int runs = 0;
        for (int flags = 0; flags < 256; ++flags)
            for (const std::array<uint8_t, 3>& sides : {std::array<uint8_t, 3>{0, 0, 0}, {16, 16, 30}, {63, 40, 7}}) {
                const std::vector<uint8_t> input = withImageOptions({uint8_t(flags), sides[0], sides[1], sides[2]}, png);
                try {
                    image->run(input.data(), input.size());
                } catch (const std::exception& e) {
                    QFAIL(qPrintable(QString("flags %1, sides %2 %3 %4: %5").arg(flags).arg(sides[0]).arg(sides[1]).arg(sides[2]).arg(e.what())));
                }
                ++runs;
            }
        QCOMPARE(runs, 768);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
