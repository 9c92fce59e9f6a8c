// levit grad: the loss and its gradients for given pixel values and labels, written as .npy files named by
// the Hugging Face state-dict names, so the engine's backward pass can be checked against PyTorch autograd.
//   loss = 0.5 CE(cls_logits, Y) + 0.5 CE(distillation_logits, Z) (Z defaults to Y), mean over the batch,
//   BatchNorm in eval mode; a single-head checkpoint: loss = CE(logits, Y).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/gradients.h"
#include "levit/npy.h"
#include "pixel_values.h"

namespace levit::cli {

namespace fs = std::filesystem;

int runGrad(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "pixel-values", "labels", "distillation-labels", "out"}, {});
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    for (const char* required : {"pixel-values", "labels", "out"})
        if (a.value(required).empty()) throw UsageError(std::string("--") + required + " is required");
    const std::string model_path = resolveModelPath(a);
    LoadedCheckpoint ck = loadCheckpoint(model_path);
    int batch = 0;
    const std::vector<float> pixels = readPixelValues(a.value("pixel-values"), ck.config, batch);
    const std::vector<int> labels = readLabels(a.value("labels"), batch, ck.config.numLabels());
    std::vector<int> distillation;
    if (!a.value("distillation-labels").empty()) {
        if (ck.single_head) throw UsageError("the model has one classifier: --distillation-labels does not apply");
        distillation = readLabels(a.value("distillation-labels"), batch, ck.config.numLabels());
    }
    const bool single_head = ck.single_head;
    GradientEngine engine(ck.config, std::move(ck.weights), ck.weights_path);
    LossTargets targets;
    targets.labels = labels;
    targets.distillation_labels = distillation;
    targets.cls_weight = single_head ? 1.0 : 0.5;
    GradientRequest request;
    request.pixels = true;
    const Gradients& g = engine.compute(pixels, batch, targets, request);

    const fs::path out = a.value("out");
    std::error_code ec;
    fs::create_directories(out / "grads", ec);
    if (ec) throw Error(out.string() + ": cannot create the folder (" + ec.message() + ")");
    const Config& c = engine.config();
    writeNpy((out / "grad_pixel_values.npy").string(), {batch, c.num_channels, c.image_size, c.image_size}, g.pixels.data());
    for (const auto& [name, grad] : g.parameters) {
        // A single-head checkpoint has no distillation head: its stand-in is not a parameter of the file.
        if (single_head && name.rfind("classifier_distill.", 0) == 0) continue;
        writeNpy((out / "grads" / (name + ".npy")).string(), grad.shape, grad.values.data());
    }
    std::ofstream loss(out / "loss.json");
    loss << nlohmann::json{{"loss", g.loss}}.dump() << "\n";
    if (!loss.flush()) throw Error((out / "loss.json").string() + ": cannot write");
    std::cout << "loss " << g.loss << ", " << g.parameters.size() << " parameter gradients and the pixel gradients in "
              << out.string() << "\n";
    return 0;
}

}  // namespace levit::cli
