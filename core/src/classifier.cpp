#include "levit/classifier.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "levit/error.h"
#include "levit/preprocess.h"
#include "model_impl.h"

namespace levit {

namespace {

// How the model names itself in messages: the file or folder it came from, else its config name.
std::string modelName(const Model& model) {
    const std::string& source = model.impl().source;
    return source.empty() ? (model.config().name.empty() ? std::string("the model") : model.config().name) : source;
}

std::string sizeText(int width, int height) { return std::to_string(width) + "x" + std::to_string(height); }

std::vector<float> row(const std::vector<float>& values, int b, int n) {
    return std::vector<float>(values.begin() + size_t(b) * n, values.begin() + size_t(b + 1) * n);
}

}  // namespace

Classifier::Classifier(std::shared_ptr<const Model> model, int threads)
    : model_(std::move(model)), session_(model_, threads) {
    top_k_ = std::min(5, model_->config().numLabels());
}

void Classifier::setTopK(int k) { top_k_ = std::clamp(k, 1, std::max(1, model_->config().numLabels())); }

ImageRGB8 Classifier::modelInput(const ImageRGB8& image) const {
    const Config& config = model_->config();
    const Size2 size = preprocessedSize(image.height, image.width, config.preprocess);
    if (size.height != config.image_size || size.width != config.image_size)
        throw Error(modelName(*model_) + ": its preprocessing settings (preprocessor_config.json) turn this " +
                    sizeText(image.width, image.height) + " image into " + sizeText(size.width, size.height) +
                    " pixels, but the model takes " + sizeText(config.image_size, config.image_size) +
                    (config.preprocess.do_center_crop ? "" : " (do_center_crop is false)"));
    return resizeAndCrop(image, config.preprocess);
}

std::vector<Classification> Classifier::collect(const Output& out) const {
    const int n = out.num_labels;
    std::vector<Classification> results(out.batch);
    for (int b = 0; b < out.batch; ++b) {
        Classification& c = results[b];
        c.logits = row(out.logits, b, n);
        c.cls_logits = row(out.cls_logits, b, n);
        c.distillation_logits = row(out.distillation_logits, b, n);
        // Inf or NaN would print as "-nan%": report the broken model instead of a meaningless answer.
        const auto finite = [](float v) { return std::isfinite(v); };
        if (!std::all_of(c.cls_logits.begin(), c.cls_logits.end(), finite) ||
            !std::all_of(c.distillation_logits.begin(), c.distillation_logits.end(), finite))
            throw Error(modelName(*model_) + ": the model computed logits that are not finite numbers (NaN or infinity); "
                        "its weights or its preprocessing settings are broken");
        const std::vector<std::string>& labels = model_->config().id2label;
        c.top_k = levit::topK(c.logits.data(), n, top_k_, labels);
        c.cls_top1 = levit::topK(c.cls_logits.data(), n, 1, labels).front();
        c.distillation_top1 = levit::topK(c.distillation_logits.data(), n, 1, labels).front();
    }
    return results;
}

Classification Classifier::classify(const ImageRGB8& image, const Probe& probe, ProbeResult* probe_result,
                                    ImageRGB8* model_input) {
    const auto start = std::chrono::steady_clock::now();
    ImageRGB8 seen = modelInput(image);
    const double resize_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    Classification result = classifyModelInput(seen, probe, probe_result);
    if (probe.timings && probe_result) probe_result->timings.preprocess_ms += resize_ms;
    if (model_input) *model_input = std::move(seen);
    return result;
}

Classification Classifier::classifyModelInput(const ImageRGB8& model_input, const Probe& probe, ProbeResult* probe_result) {
    const int size = model_->config().image_size;
    if (model_input.width != size || model_input.height != size)
        throw Error(modelName(*model_) + ": a model input must be " + sizeText(size, size) + " pixels, not " +
                    sizeText(model_input.width, model_input.height));
    pixels_.resize(session_.inputSize());
    const auto start = std::chrono::steady_clock::now();
    normalizeInto(model_input, model_->config().preprocess, pixels_);
    const double normalize_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    Classification result = std::move(collect(session_.run(pixels_, 1, probe, probe_result)).front());
    // The pass resets the probe result; the preprocessing time goes in after it (StageTimings::preprocess_ms).
    if (probe.timings && probe_result) probe_result->timings.preprocess_ms = normalize_ms;
    return result;
}

std::vector<Classification> Classifier::classify(std::span<const ImageRGB8> images, std::span<const std::string> names) {
    if (!names.empty() && names.size() != images.size()) throw Error("classify: one name per image is needed");
    const size_t per_image = session_.inputSize();
    std::vector<Classification> results;
    results.reserve(images.size());
    for (size_t start = 0; start < images.size(); start += kBatch) {
        const size_t batch = std::min<size_t>(kBatch, images.size() - start);
        pixels_.resize(per_image * batch);
        for (size_t b = 0; b < batch; ++b) {
            try {
                normalizeInto(modelInput(images[start + b]), model_->config().preprocess,
                              std::span<float>(pixels_).subspan(per_image * b, per_image));
            } catch (const Error& e) {
                if (names.empty()) throw;
                throw Error(names[start + b] + ": " + e.what());
            }
        }
        for (Classification& c : collect(session_.run(pixels_, int(batch)))) results.push_back(std::move(c));
    }
    return results;
}

std::vector<Classification> Classifier::classifyPixels(std::span<const float> pixel_values, int batch) {
    const size_t per_image = session_.inputSize();
    if (batch < 1 || pixel_values.size() != per_image * size_t(batch))
        throw Error("pixel values hold " + std::to_string(pixel_values.size()) + " floats, but " + std::to_string(batch) +
                    " image(s) of the model's input need " + std::to_string(per_image * size_t(std::max(batch, 0))));
    std::vector<Classification> results;
    results.reserve(size_t(batch));
    for (int start = 0; start < batch; start += kBatch) {
        const int count = std::min(kBatch, batch - start);
        const auto chunk = pixel_values.subspan(per_image * start, per_image * count);
        for (Classification& c : collect(session_.run(chunk, count))) results.push_back(std::move(c));
    }
    return results;
}

namespace {

nlohmann::json predictionJson(const Prediction& p) {
    return {{"index", p.index}, {"label", p.label}, {"probability", p.probability}};
}

std::string probabilityText(float probability) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.7g", probability);
    return text;
}

}  // namespace

std::string classificationsJson(const std::string& model, const std::vector<NamedClassification>& results) {
    nlohmann::json list = nlohmann::json::array();
    for (const NamedClassification& r : results) {
        nlohmann::json top = nlohmann::json::array();
        for (const Prediction& p : r.result.top_k) top.push_back(predictionJson(p));
        list.push_back({{"input", r.input},
                        {"top_k", top},
                        {"logits", r.result.logits},
                        {"cls_logits", r.result.cls_logits},
                        {"distillation_logits", r.result.distillation_logits},
                        {"cls_top1", predictionJson(r.result.cls_top1)},
                        {"distillation_top1", predictionJson(r.result.distillation_top1)}});
    }
    // Paths and labels come from files: invalid UTF-8 is replaced rather than aborting the output.
    return nlohmann::json{{"model", model}, {"results", list}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string classificationsCsv(const std::vector<NamedClassification>& results) {
    auto quoted = [](const std::string& text) {
        std::string q = "\"";
        for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    auto fields = [&](const Prediction& p) {
        return std::to_string(p.index) + "," + quoted(p.label) + "," + probabilityText(p.probability);
    };
    std::string csv =
        "source,rank,index,label,probability,cls_top1_index,cls_top1_label,cls_top1_probability,"
        "distillation_top1_index,distillation_top1_label,distillation_top1_probability\n";
    for (const NamedClassification& r : results) {
        const std::string heads = fields(r.result.cls_top1) + "," + fields(r.result.distillation_top1);
        int rank = 1;
        for (const Prediction& p : r.result.top_k)
            csv += quoted(r.input) + "," + std::to_string(rank++) + "," + fields(p) + "," + heads + "\n";
    }
    return csv;
}

}  // namespace levit
