#include "levit/evaluation.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "levit/error.h"

namespace levit {

namespace {

int argmax(const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

}  // namespace

EvaluationTally::EvaluationTally(int classes)
    : classes_(classes), confusion_(size_t(classes) * size_t(classes), 0), per_class_(size_t(classes), 0) {}

void EvaluationTally::add(const Classification& r, int truth, const std::string& source) {
    if (truth < 0 || truth >= classes_) throw Error(source + ": class " + std::to_string(truth) + " is outside the model's classes");
    EvaluatedImage e{source, truth, argmax(r.logits), argmax(r.cls_logits), argmax(r.distillation_logits)};
    correct_avg_ += e.averaged == truth;
    correct_cls_ += e.cls == truth;
    correct_dist_ += e.distillation == truth;
    heads_agree_ += e.cls == e.distillation;
    ++confusion_[size_t(truth) * classes_ + e.averaged];
    ++per_class_[size_t(truth)];
    images_.push_back(std::move(e));
}

double EvaluationTally::classAccuracy(int c) const {
    return per_class_[size_t(c)] > 0 ? double(confusionAt(c, c)) / per_class_[size_t(c)] : -1.0;
}

std::string EvaluationTally::json(const std::string& model, const std::string& dataset, double seconds, bool details,
                                  const std::vector<std::string>& labels) const {
    const double n = std::max(1, images());
    nlohmann::json j = {{"model", model},
                        {"dataset", dataset},
                        {"images", images()},
                        {"accuracy", correct_avg_ / n},
                        {"cls_accuracy", correct_cls_ / n},
                        {"distillation_accuracy", correct_dist_ / n},
                        {"heads_agreement", heads_agree_ / n},
                        {"images_per_s", seconds > 0 ? images() / seconds : 0.0}};
    if (details) {
        nlohmann::json per_class = nlohmann::json::object(), confusion = nlohmann::json::array(), missed = nlohmann::json::array();
        for (int c = 0; c < classes_; ++c) {
            if (per_class_[size_t(c)] > 0) per_class[labels[size_t(c)]] = classAccuracy(c);
            confusion.push_back(std::vector<int>(confusion_.begin() + ptrdiff_t(c) * classes_, confusion_.begin() + ptrdiff_t(c + 1) * classes_));
        }
        for (const EvaluatedImage& e : images_)
            if (e.averaged != e.truth && !e.source.empty())
                missed.push_back({{"input", e.source}, {"label", labels[size_t(e.truth)]}, {"predicted", labels[size_t(e.averaged)]}});
        j["per_class"] = per_class;
        j["confusion"] = confusion;  // rows: true class, columns: predicted class (averaged heads), in id2label order
        j["labels"] = labels;
        j["misclassified"] = missed;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<int> classesInModel(const std::vector<std::string>& folder_classes, const std::vector<std::string>& model_labels,
                                const std::string& dataset) {
    std::vector<int> out(folder_classes.size());
    for (size_t c = 0; c < folder_classes.size(); ++c) {
        const auto it = std::find(model_labels.begin(), model_labels.end(), folder_classes[c]);
        if (it == model_labels.end())
            throw Error(dataset + "/" + folder_classes[c] + ": the model has no class named '" + folder_classes[c] + "'");
        out[c] = int(it - model_labels.begin());
    }
    return out;
}

}  // namespace levit
