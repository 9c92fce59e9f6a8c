// levit classify: images (decoded, preprocessed like LevitImageProcessor) or ready pixel_values.npy, through
// the one classify path (levit::Classifier); levit preprocess: the pixel values that path would compute.
#include <algorithm>
#include <cstdio>
#include <span>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "media/image_decoder.h"
#include "pixel_values.h"
#include "quiet_stderr.h"

namespace levit::cli {

namespace {

void printText(const NamedClassification& r) {
    std::cout << r.input << "\n";
    int rank = 1;
    for (const Prediction& p : r.result.top_k) {
        char line[512];
        std::snprintf(line, sizeof(line), "  %d. %6.2f%%  %s (%d)\n", rank++, p.probability * 100.0, p.label.c_str(),
                      p.index);
        std::cout << line;
    }
}

// Runs `work` and names `input` in any error it raises (the engine's messages name the model, not the image).
template <typename Work>
auto naming(const std::string& input, Work&& work) {
    try {
        return work();
    } catch (const Error& e) {
        throw Error(input + ": " + e.what());
    }
}

}  // namespace

int runClassify(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "top-k", "threads", "pixel-values"}, {"json"});
    const std::string pixel_file = a.value("pixel-values");
    if (pixel_file.empty() && a.positional().empty())
        throw UsageError("give at least one IMAGE or --pixel-values FILE.npy");
    if (!pixel_file.empty() && !a.positional().empty())
        throw UsageError("give either IMAGE... or --pixel-values, not both");
    const int threads = a.intValue("threads", 1, 1, 256);
    const int top_k = a.intValue("top-k", 5, 1, 1 << 20);
    const std::string model_path = resolveModelPath(a);
    Classifier classifier(loadModel(model_path), threads);
    classifier.setTopK(top_k);

    std::vector<NamedClassification> results;
    if (!pixel_file.empty()) {
        int batch = 0;
        const std::vector<float> pixels = readPixelValues(pixel_file, classifier.model().config(), batch);
        std::vector<Classification> out = classifier.classifyPixels(pixels, batch);
        for (int b = 0; b < batch; ++b)
            results.push_back({pixel_file + "[" + std::to_string(b) + "]", std::move(out[size_t(b)])});
    } else {
        // A batch at a time, so memory stays bounded however many images are given; results are printed
        // only at the end, so a bad file stops the command before any result is printed.
        const auto& inputs = a.positional();
        for (size_t start = 0; start < inputs.size(); start += Classifier::kBatch) {
            const size_t count = std::min<size_t>(Classifier::kBatch, inputs.size() - start);
            const std::span<const std::string> names(inputs.data() + start, count);
            std::vector<ImageRGB8> images;
            for (const std::string& path : names) {
                const QuietStderr quiet;
                images.push_back(media::decodeImageFile(path));
            }
            std::vector<Classification> out = classifier.classify(images, names);
            for (size_t i = 0; i < count; ++i) results.push_back({names[i], std::move(out[i])});
        }
    }
    if (a.has("json")) {
        std::cout << classificationsJson(model_path, results) << "\n";
    } else {
        for (const NamedClassification& r : results) printText(r);
    }
    return 0;
}

int runPreprocess(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "out"}, {});
    if (a.positional().size() != 1) throw UsageError("give exactly one IMAGE");
    const std::string out = a.value("out");
    if (out.empty()) throw UsageError("--out FILE.npy is required");
    const std::string& input = a.positional()[0];
    const LoadedCheckpoint ck = loadCheckpoint(resolveModelPath(a));
    ImageRGB8 image;
    {
        const QuietStderr quiet;
        image = media::decodeImageFile(input);
    }
    // Whatever size the options give (also without a crop), the array says it: [1, 3, H, W].
    const std::vector<float> pixels = naming(input, [&] { return preprocess(image, ck.config.preprocess); });
    const Size2 size = preprocessedSize(image.height, image.width, ck.config.preprocess);
    writeNpy(out, {1, 3, size.height, size.width}, pixels.data());
    return 0;
}

}  // namespace levit::cli
