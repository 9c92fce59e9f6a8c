// levit explain: "why this class?" maps for images or ready pixel values (levit/explain.h), each written as
// DIR/<name>.<method>.npy (float32 [S, S], or [3, S, S] with --raw for --method gradient) and a captioned
// DIR/<name>.<method>.png, with its faithfulness (RISE deletion and insertion AUC, levit/faithfulness.h).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "explain_figure.h"
#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/explain.h"
#include "levit/faithfulness.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "media/image_decoder.h"
#include "pixel_values.h"
#include "quiet_stderr.h"

namespace levit::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kFaithfulnessSteps = 16;
constexpr unsigned kRandomSeed = 20181;  // the random-map baseline: reproducible from run to run

// One model input: its name in file names and output, its pixel values and the picture under the map.
struct ExplainInput {
    std::string input, name;
    std::vector<float> pixels;
    ImageRGB8 picture;
};

std::vector<ExplainInput> readInputs(const Arguments& a, const Config& config) {
    std::vector<ExplainInput> inputs;
    const size_t per_image = size_t(config.num_channels) * config.image_size * config.image_size;
    if (!a.value("pixel-values").empty()) {
        int batch = 0;
        const std::vector<float> all = readPixelValues(a.value("pixel-values"), config, batch);
        for (int i = 0; i < batch; ++i) {
            ExplainInput in;
            in.input = a.value("pixel-values") + "[" + std::to_string(i) + "]";
            in.name = "pixel_values_" + std::to_string(i);
            in.pixels.assign(all.begin() + ptrdiff_t(i * per_image), all.begin() + ptrdiff_t((i + 1) * per_image));
            in.picture = pictureOfPixelValues(in.pixels, config);
            inputs.push_back(std::move(in));
        }
        return inputs;
    }
    for (const std::string& path : a.positional()) {
        ImageRGB8 image;
        {
            const QuietStderr quiet;
            image = media::decodeImageFile(path);
        }
        ExplainInput in;
        in.input = path;
        in.name = fs::path(path).stem().string();
        try {
            in.pixels = preprocess(image, config.preprocess);
            in.picture = resizeAndCrop(image, config.preprocess);
        } catch (const Error& e) {
            throw Error(path + ": " + e.what());
        }
        if (in.pixels.size() != per_image)
            throw Error(path + ": the preprocessed image is not " + std::to_string(config.image_size) + " x " +
                        std::to_string(config.image_size) + " (the model's input)");
        inputs.push_back(std::move(in));
    }
    return inputs;
}

int topClass(Explainer& explainer, std::span<const float> pixels, Head head) {
    const Output& o = explainer.session().run(pixels, 1);
    const std::vector<float>& logits = head == Head::Cls ? o.cls_logits : head == Head::Distillation ? o.distillation_logits : o.logits;
    return int(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

std::string modelName(const std::string& path) {
    const fs::path p(path);
    return (p.has_filename() ? p.filename() : p.parent_path().filename()).string();
}

ExplainOptions optionsFrom(const Arguments& a, const Config& config, bool single_head) {
    ExplainOptions options;
    const std::string head = a.value("head", single_head ? "cls" : "mean");
    const std::optional<Head> parsed = headFromName(head);
    if (!parsed) throw Error("unknown head '" + head + "' (expected cls, distillation or mean)");
    options.head = *parsed;
    const int stages = config.numStages();
    // Stages are numbered from 1 as in the window.
    const int stage = a.has("stage") ? a.intValue("stage", stages, INT32_MIN, INT32_MAX) : stages;
    if (stage < 1 || stage > stages)
        throw Error("stage " + std::to_string(stage) + " is outside the model's stages 1.." + std::to_string(stages));
    options.stage = stage - 1;
    options.steps = a.intValue("steps", 32, 1, 1024);
    const std::string baseline = a.value("baseline", "black");
    if (baseline != "black" && baseline != "blurred") throw Error("unknown baseline '" + baseline + "' (expected black or blurred)");
    options.baseline = baseline == "black" ? Baseline::Black : Baseline::Blurred;
    return options;
}

int classFrom(const Arguments& a, int classes) {
    if (!a.has("class")) return -1;
    const int k = a.intValue("class", 0, INT32_MIN, INT32_MAX);
    if (k < 0 || k >= classes)
        throw Error("class " + std::to_string(k) + " is outside the model's classes 0.." + std::to_string(classes - 1));
    return k;
}

}  // namespace

int runExplain(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "method", "head", "class", "stage", "steps", "baseline", "pixel-values", "out", "threads"},
                      {"json", "raw"});
    if (a.value("method").empty()) throw UsageError("--method token|gradcam|gradient|gradient-x-input|integrated-gradients|occlusion|rollout is required");
    if (a.value("out").empty()) throw UsageError("--out DIR is required");
    const bool from_pixels = !a.value("pixel-values").empty();
    if (from_pixels == !a.positional().empty()) throw UsageError("give IMAGE... or --pixel-values X.npy (one of them)");
    const std::optional<ExplainMethod> method = methodFromName(a.value("method"));
    if (!method)
        throw Error("unknown method '" + a.value("method") + "' (expected token, gradcam, gradient, gradient-x-input, integrated-gradients, occlusion or rollout)");
    const bool raw = a.has("raw");
    if (raw && *method != ExplainMethod::Gradient) throw Error("--raw applies to --method gradient only");

    const std::string model_path = resolveModelPath(a);
    LoadedCheckpoint ck = loadCheckpoint(model_path);
    const Config config = ck.config;
    ExplainOptions options = optionsFrom(a, config, ck.single_head);
    const int fixed_class = classFrom(a, config.numLabels());
    const std::vector<ExplainInput> inputs = readInputs(a, config);
    Explainer explainer(config, std::move(ck.weights), ck.weights_path, a.intValue("threads", 1, 1, 256));

    const fs::path out = a.value("out");
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw Error(out.string() + ": cannot create the folder (" + ec.message() + ")");
    const std::string method_name = methodName(*method);
    const int s = config.image_size;
    for (const ExplainInput& in : inputs) {
        options.class_index = fixed_class >= 0 ? fixed_class : topClass(explainer, in.pixels, options.head);
        const auto start = std::chrono::steady_clock::now();
        std::optional<TokenAttribution> tokens;
        std::vector<float> raw_gradient;
        SquareMap map;
        if (*method == ExplainMethod::Token) {
            tokens = explainer.tokenAttribution(in.pixels, options);
            map = upsampleGrid(tokens->tokens, s, true);
        } else if (raw) {
            raw_gradient = explainer.logitGradient(in.pixels, options);
            map = explainer.gradient(in.pixels, options);
        } else {
            map = explainer.explain(*method, in.pixels, options);
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        const FaithfulnessCurves faith = measureFaithfulness(explainer, in.pixels, map, options, kFaithfulnessSteps);
        // The baseline a map must beat: the same curves for a map of random values (seeded per input).
        const FaithfulnessCurves chance =
            measureFaithfulness(explainer, in.pixels, randomMap(s, kRandomSeed + unsigned(&in - inputs.data())), options, kFaithfulnessSteps);

        const std::string stem = (out / (in.name + "." + method_name)).string();
        if (raw) writeNpy(stem + ".npy", {config.num_channels, s, s}, raw_gradient.data());
        else writeNpy(stem + ".npy", {s, s}, map.values.data());
        const std::string& label = config.id2label[size_t(options.class_index)];
        const std::string caption = modelName(model_path) + " | class " + std::to_string(options.class_index) + " " + label +
                                    " | head " + headName(options.head) + " | " + method_name;
        writeExplanationFigure(stem + ".png", in.picture, map, caption);

        if (a.has("json")) {
            nlohmann::json j{{"input", in.input}, {"class", options.class_index}, {"label", label}, {"head", headName(options.head)},
                             {"method", method_name}, {"deletion_auc", faith.deletion_auc}, {"insertion_auc", faith.insertion_auc},
                             {"random_deletion_auc", chance.deletion_auc}, {"random_insertion_auc", chance.insertion_auc}, {"ms", ms}};
            if (tokens) {
                nlohmann::json grid = nlohmann::json::array();
                for (int r = 0; r < tokens->tokens.side; ++r) {
                    const auto row = tokens->tokens.values.begin() + ptrdiff_t(r) * tokens->tokens.side;
                    grid.push_back(std::vector<float>(row, row + tokens->tokens.side));
                }
                j["tokens"] = grid;
                j["bias"] = tokens->bias;
                j["logit"] = tokens->logit;
            }
            std::cout << j.dump() << "\n";
        } else {
            std::cout << in.input << ": class " << options.class_index << " (" << label << "), head " << headName(options.head) << ", "
                      << method_name << std::fixed << std::setprecision(3) << ": deletion AUC " << faith.deletion_auc
                      << ", insertion AUC " << faith.insertion_auc << " (random map: " << chance.deletion_auc << ", "
                      << chance.insertion_auc << ")" << std::setprecision(1) << ", " << ms << " ms -> " << stem
                      << ".png\n";
            std::cout.unsetf(std::ios::fixed);
        }
    }
    return 0;
}

}  // namespace levit::cli
