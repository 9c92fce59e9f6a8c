// levit classify: images (decoded, preprocessed like LevitImageProcessor) or ready pixel_values.npy.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "media/image_decoder.h"
#include "levit/checkpoint.h"
#include "levit/classify.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "quiet_stderr.h"

namespace levit::cli {

namespace {

constexpr int kMaxBatch = 16;  // images per forward pass: bounded memory, good GEMM shapes

// Reads [N,3,S,S] float32 and checks it against the model's input size.
std::vector<float> readPixelValues(const std::string& path, const Config& config, int& batch) {
    const NpyArray array = readNpy(path);
    const auto& s = array.shape;
    const std::string expected = "[N, " + std::to_string(config.num_channels) + ", " +
                                 std::to_string(config.image_size) + ", " + std::to_string(config.image_size) + "]";
    if (array.dtype != "f4")
        throw Error(path + ": pixel values must be float32 ('<f4'), got dtype '" + array.dtype + "'");
    if (s.size() != 4 || s[0] < 1 || s[1] != config.num_channels || s[2] != config.image_size ||
        s[3] != config.image_size)
        throw Error(path + ": shape " + shapeToString(s) + " does not match the model's input " + expected);
    batch = static_cast<int>(s[0]);
    return array.toFloat();
}

nlohmann::json resultJson(const std::string& input, const Output& out, int b, int top_k, const Config& config) {
    const int n = out.num_labels;
    const float* logits = out.logits.data() + size_t(b) * n;
    nlohmann::json top = nlohmann::json::array();
    for (const Prediction& p : topK(logits, n, top_k, config.id2label))
        top.push_back({{"index", p.index}, {"label", p.label}, {"probability", p.probability}});
    auto row = [&](const std::vector<float>& v) {
        return std::vector<float>(v.begin() + size_t(b) * n, v.begin() + size_t(b + 1) * n);
    };
    return {{"input", input},
            {"top_k", top},
            {"logits", row(out.logits)},
            {"cls_logits", row(out.cls_logits)},
            {"distillation_logits", row(out.distillation_logits)}};
}

void printText(const std::string& input, const Output& out, int b, int top_k, const Config& config) {
    const int n = out.num_labels;
    std::cout << input << "\n";
    int rank = 1;
    for (const Prediction& p : topK(out.logits.data() + size_t(b) * n, n, top_k, config.id2label)) {
        char line[512];
        std::snprintf(line, sizeof(line), "  %d. %6.2f%%  %s (%d)\n", rank++, p.probability * 100.0, p.label.c_str(),
                      p.index);
        std::cout << line;
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
    const std::string model_path = resolveModelPath(a);
    auto model = loadModel(model_path);
    const Config& config = model->config();
    const int top_k = a.intValue("top-k", 5, 1, 1 << 20);
    const int k = std::min(top_k, config.numLabels());
    Session session(model, threads);
    const bool json = a.has("json");
    nlohmann::json results = nlohmann::json::array();

    if (!pixel_file.empty()) {
        int batch = 0;
        const std::vector<float> pixels = readPixelValues(pixel_file, config, batch);
        const Output& out = session.run(pixels.data(), batch);
        for (int b = 0; b < batch; ++b) {
            const std::string name = pixel_file + "[" + std::to_string(b) + "]";
            if (json) results.push_back(resultJson(name, out, b, k, config));
            else printText(name, out, b, k, config);
        }
    } else {
        // Decode everything first: a bad file stops the command before any result is printed.
        const auto& inputs = a.positional();
        const size_t per_image = size_t(3) * config.preprocess.crop_height * config.preprocess.crop_width;
        if (config.preprocess.crop_height != config.image_size || config.preprocess.crop_width != config.image_size)
            throw Error(model_path + ": preprocessor crop size " + std::to_string(config.preprocess.crop_height) + "x" +
                        std::to_string(config.preprocess.crop_width) + " does not match the model's image_size " +
                        std::to_string(config.image_size));
        std::vector<ImageRGB8> images;
        images.reserve(inputs.size());
        for (const std::string& path : inputs) {
            const QuietStderr quiet;
            images.push_back(media::decodeImageFile(path));
        }
        std::vector<float> pixels;
        for (size_t start = 0; start < inputs.size(); start += kMaxBatch) {
            const int batch = static_cast<int>(std::min<size_t>(kMaxBatch, inputs.size() - start));
            pixels.resize(per_image * batch);
            for (int b = 0; b < batch; ++b)
                preprocessInto(images[start + b], config.preprocess, pixels.data() + per_image * b);
            const Output& out = session.run(pixels.data(), batch);
            for (int b = 0; b < batch; ++b) {
                if (json) results.push_back(resultJson(inputs[start + b], out, b, k, config));
                else printText(inputs[start + b], out, b, k, config);
            }
        }
    }
    if (json) std::cout << nlohmann::json{{"model", model_path}, {"results", results}}.dump() << "\n";
    return 0;
}

int runPreprocess(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "out"}, {});
    if (a.positional().size() != 1) throw UsageError("give exactly one IMAGE");
    const std::string out = a.value("out");
    if (out.empty()) throw UsageError("--out FILE.npy is required");
    auto ck = loadCheckpoint(resolveModelPath(a));
    const PreprocessConfig& pc = ck.config.preprocess;
    ImageRGB8 image;
    {
        const QuietStderr quiet;
        image = media::decodeImageFile(a.positional()[0]);
    }
    const std::vector<float> pixels = preprocess(image, pc);
    writeNpy(out, {1, 3, pc.crop_height, pc.crop_width}, pixels.data());
    return 0;
}

}  // namespace levit::cli
