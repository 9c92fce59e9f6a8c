#pragma once
// The one way from decoded images to predictions, over the lower-level calls (preprocess, Session::run,
// topK): LevitImageProcessor preprocessing with the model's own settings, a Session, both heads, the averaged
// logits, top-k and whatever a Probe asks for. The CLI, the window's worker and its exports all use it.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "levit/classify.h"
#include "levit/image.h"
#include "levit/model.h"
#include "levit/probe.h"

namespace levit {

// The answer for one image.
struct Classification {
    std::vector<float> logits;               // (cls + distillation) / 2, as Hugging Face reports
    std::vector<float> cls_logits;           // classification head
    std::vector<float> distillation_logits;  // distillation head
    std::vector<Prediction> top_k;           // of the averaged logits, best first
    // Each head's own best class, its probability the softmax of that head's logits alone.
    Prediction cls_top1;
    Prediction distillation_top1;
};

class Classifier {
public:
    // Images per forward pass when classifying many: bounded memory, good GEMM shapes.
    static constexpr int kBatch = 16;

    explicit Classifier(std::shared_ptr<const Model> model, int threads = 1);

    const Model& model() const { return *model_; }
    std::shared_ptr<const Model> sharedModel() const { return model_; }
    Session& session() { return session_; }
    void setTopK(int k);  // clamped to [1, number of labels]
    int topK() const { return top_k_; }

    // The resized and cropped image the model sees. Throws levit::Error, naming the model, when the
    // preprocessing options give this image another size than the model's input.
    ImageRGB8 modelInput(const ImageRGB8& image) const;
    // One image, optionally with probes and the image the model saw (for overlays).
    Classification classify(const ImageRGB8& image, const Probe& probe = {}, ProbeResult* probe_result = nullptr,
                            ImageRGB8* model_input = nullptr);
    // An image already resized and cropped to the model's input (what modelInput returns, e.g. kept from an
    // earlier run): normalised and classified, the same numbers classify() gives for the original image.
    Classification classifyModelInput(const ImageRGB8& model_input, const Probe& probe = {}, ProbeResult* probe_result = nullptr);
    // Many images, in batches of kBatch; results in input order. With `names` (one per image), an error
    // about an image starts with its name.
    std::vector<Classification> classify(std::span<const ImageRGB8> images, std::span<const std::string> names = {});
    // Ready pixel values [batch, C, S, S] (e.g. from a .npy); the size is checked against the model.
    std::vector<Classification> classifyPixels(std::span<const float> pixel_values, int batch);

private:
    std::vector<Classification> collect(const Output& out) const;

    std::shared_ptr<const Model> model_;
    Session session_;
    int top_k_ = 5;
    std::vector<float> pixels_;  // one batch of preprocessed images, reused
};

// A result with the name of its input (a path, "clipboard", "pixels.npy[3]").
struct NamedClassification {
    std::string input;
    Classification result;
};

// {"model": ..., "results": [{"input", "top_k": [{"index", "label", "probability"}], "logits",
// "cls_logits", "distillation_logits", "cls_top1": {"index", "label", "probability"}, "distillation_top1": {...}}]}
// on one line: what `levit classify --json` prints and the window exports.
std::string classificationsJson(const std::string& model, const std::vector<NamedClassification>& results);
// source,rank,index,label,probability,cls_top1_index,cls_top1_label,cls_top1_probability,distillation_top1_index,
// distillation_top1_label,distillation_top1_probability — one row per top-k entry of the averaged heads, each row
// of an image repeating that image's per-head best classes; RFC 4180 quoting.
std::string classificationsCsv(const std::vector<NamedClassification>& results);

}  // namespace levit
