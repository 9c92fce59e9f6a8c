// levit eval --fashion-mnist: accuracy of the averaged prediction and of each head on the 10,000 test
// images of Debian's dataset-fashion-mnist package, through the same preprocessing as any image.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "one_line.h"
#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/evaluation.h"
#include "levit/classifier.h"
#include "media/folder_evaluation.h"

namespace levit::cli {

namespace {

constexpr const char* kDefaultFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// Fashion-MNIST's test images take 7.8 MB unpacked; a gzip bomb must not fill the memory.
constexpr size_t kMaxUnpackedBytes = size_t(512) << 20;
// Sides of an IDX image: Fashion-MNIST's are 28; anything far beyond is not this data set.
constexpr uint32_t kMaxIdxSide = 4096;
constexpr int kFashionMnistClasses = 10;

std::vector<uint8_t> readGzip(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw Error(path + ": cannot open");
    std::vector<uint8_t> out;
    uint8_t buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof(buf))) > 0) {
        if (out.size() + size_t(n) > kMaxUnpackedBytes) {
            gzclose(f);
            throw Error(path + ": unpacks to more than " + std::to_string(kMaxUnpackedBytes >> 20) +
                        " MiB; not a Fashion-MNIST file");
        }
        out.insert(out.end(), buf, buf + n);
    }
    int err = 0;
    const char* msg = gzerror(f, &err);
    const bool failed = n < 0 || (err != Z_OK && err != Z_STREAM_END);
    const std::string reason = failed && msg ? msg : "";
    gzclose(f);
    if (failed) throw Error(path + ": corrupt gzip data (" + reason + ")");
    return out;
}

uint32_t bigEndian32(const std::vector<uint8_t>& b, size_t i) {
    return uint32_t(b[i]) << 24 | uint32_t(b[i + 1]) << 16 | uint32_t(b[i + 2]) << 8 | b[i + 3];
}

struct IdxImages {
    int count = 0, rows = 0, cols = 0;
    std::vector<uint8_t> pixels;
};

// IDX files: magic 0x00000803 (images: count, rows, cols) or 0x00000801 (labels: count).
IdxImages readIdxImages(const std::string& path) {
    std::vector<uint8_t> b = readGzip(path);
    if (b.size() < 16 || bigEndian32(b, 0) != 0x803) throw Error(path + ": not an IDX image file (bad magic number)");
    const uint32_t count = bigEndian32(b, 4), rows = bigEndian32(b, 8), cols = bigEndian32(b, 12);
    if (count < 1) throw Error(path + ": the IDX file holds no images");
    if (rows < 1 || cols < 1 || rows > kMaxIdxSide || cols > kMaxIdxSide)
        throw Error(path + ": IDX images of " + std::to_string(cols) + "x" + std::to_string(rows) +
                    " pixels (sides from 1 to " + std::to_string(kMaxIdxSide) + " expected)");
    // count * rows * cols fits in 64 bits (32 + 12 + 12 bits); compared with what the file holds before any copy.
    const uint64_t expected = uint64_t(count) * rows * cols;
    IdxImages images;
    images.count = int(std::min<uint64_t>(count, uint64_t(INT32_MAX)));
    images.rows = int(rows);
    images.cols = int(cols);
    if (b.size() - 16 < expected)
        throw Error(path + ": truncated IDX image file (" + std::to_string(b.size() - 16) + " bytes of pixels, " +
                    std::to_string(expected) + " expected)");
    images.pixels.assign(b.begin() + 16, b.begin() + 16 + expected);
    return images;
}

std::vector<uint8_t> readIdxLabels(const std::string& path) {
    std::vector<uint8_t> b = readGzip(path);
    if (b.size() < 8 || bigEndian32(b, 0) != 0x801) throw Error(path + ": not an IDX label file (bad magic number)");
    const size_t count = bigEndian32(b, 4);
    if (b.size() - 8 < count) throw Error(path + ": truncated IDX label file");
    std::vector<uint8_t> labels(b.begin() + 8, b.begin() + 8 + count);
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= kFashionMnistClasses)
            throw Error(path + ": label " + std::to_string(labels[i]) + " of image " + std::to_string(i) +
                        " is not a Fashion-MNIST class (0 to 9)");
    return labels;
}

void report(const EvaluationTally& t, const std::string& model_path, const std::string& dataset, double seconds, bool json,
            bool details, const std::vector<std::string>& labels) {
    if (json) {
        std::cout << t.json(model_path, dataset, seconds, details, labels) << "\n";
        return;
    }
    const double n = t.images();
    std::printf("model %s on %d images of %s\n", model_path.c_str(), t.images(), dataset.c_str());
    std::printf("  averaged prediction  %6.2f%%\n", 100.0 * t.correctAveraged() / n);
    std::printf("  classification head  %6.2f%%\n", 100.0 * t.correctCls() / n);
    std::printf("  distillation head    %6.2f%%\n", 100.0 * t.correctDistillation() / n);
    std::printf("  heads agree on       %6.2f%% of the images\n", 100.0 * t.headsAgree() / n);
    if (details) {
        std::printf("  per class:\n");
        for (int c = 0; c < t.classes(); ++c)
            if (t.imagesPerClass()[size_t(c)] > 0)
                std::printf("    %6.2f%%  %s (%d images)\n", 100.0 * t.classAccuracy(c), labels[size_t(c)].c_str(),
                            t.imagesPerClass()[size_t(c)]);
        std::vector<const EvaluatedImage*> missed;
        for (const EvaluatedImage& e : t.results())
            if (e.averaged != e.truth && !e.source.empty()) missed.push_back(&e);
        std::printf("  %zu misclassified%s\n", missed.size(), missed.empty() ? "" : ":");
        for (const EvaluatedImage* e : missed)
            std::printf("    %s: %s, predicted %s\n", e->source.c_str(), labels[size_t(e->truth)].c_str(), labels[size_t(e->averaged)].c_str());
    }
    std::printf("  %.0f images/s\n", n / seconds);
}

int evalFolder(const Arguments& a, const std::string& model_path, const std::shared_ptr<const Model>& model, int threads) {
    const std::string dir = a.value("data");
    Classifier classifier(model, threads);
    const media::FolderEvaluation run = media::evaluateImageFolder(media::listImageFolder(dir), dir, classifier);
    if (!run.unreadable.empty())
        std::cerr << "levit eval: skipped " << run.unreadable.size() << " unreadable images, e.g. " << oneLine(run.unreadable.front()) << "\n";
    report(run.tally, model_path, dir, run.seconds, a.has("json"), true, model->config().id2label);
    return 0;
}

}  // namespace

int runEval(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "data-dir", "data", "limit", "batch", "threads"}, {"fashion-mnist", "json"});
    if (a.has("fashion-mnist") == !a.value("data").empty())
        throw UsageError("say which data set to evaluate on: --fashion-mnist or --data DIR (an ImageFolder)");
    const int threads = a.intValue("threads", 1, 1, 256);
    if (!a.value("data").empty()) {
        const std::string model_path = resolveModelPath(a);
        return evalFolder(a, model_path, loadModel(model_path), threads);
    }
    const std::string dir = a.value("data-dir", kDefaultFashionMnistDir);
    const std::string images_path = dir + "/t10k-images-idx3-ubyte.gz";
    const std::string labels_path = dir + "/t10k-labels-idx1-ubyte.gz";
    if (!std::filesystem::exists(images_path))
        throw Error(images_path + ": not found (install the data with: sudo apt-get install dataset-fashion-mnist)");
    const int batch_size = a.intValue("batch", 32, 1, 1024);
    const std::string model_path = resolveModelPath(a);
    auto model = loadModel(model_path);
    const Config& config = model->config();
    if (config.numLabels() != 10)
        throw Error(model_path + ": has " + std::to_string(config.numLabels()) +
                    " labels; Fashion-MNIST needs a 10-class model");

    const IdxImages images = readIdxImages(images_path);
    const std::vector<uint8_t> labels = readIdxLabels(labels_path);
    if (int(labels.size()) != images.count)
        throw Error(labels_path + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(images.count) +
                    " images");
    const int total = std::min(images.count, a.intValue("limit", images.count, 1, images.count));

    Classifier classifier(model, threads);
    EvaluationTally tally(10);
    const auto start = std::chrono::steady_clock::now();
    std::vector<ImageRGB8> batch;
    for (int first = 0; first < total; first += batch_size) {
        const int count = std::min(batch_size, total - first);
        batch.resize(size_t(count));
        for (int b = 0; b < count; ++b) {  // PIL convert("RGB") of an "L" image
            const uint8_t* gray = images.pixels.data() + size_t(first + b) * images.rows * images.cols;
            ImageRGB8& image = batch[size_t(b)];
            image.width = images.cols;
            image.height = images.rows;
            image.pixels.resize(size_t(images.rows) * images.cols * 3);
            for (size_t i = 0; i < size_t(images.rows) * images.cols; ++i)
                image.pixels[3 * i] = image.pixels[3 * i + 1] = image.pixels[3 * i + 2] = gray[i];
        }
        const std::vector<Classification> results = classifier.classify(batch);
        for (int b = 0; b < count; ++b) tally.add(results[size_t(b)], labels[size_t(first + b)], {});
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report(tally, model_path, "fashion-mnist test", seconds, a.has("json"), false, config.id2label);
    return 0;
}

}  // namespace levit::cli
