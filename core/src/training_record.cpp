#include "levit/training_record.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace levit {

namespace {

nlohmann::json metricsJson(const EpochMetrics& m) {
    nlohmann::json j = {{"epoch", m.epoch},     {"loss", m.loss},       {"train_accuracy", m.train_accuracy},
                        {"learning_rate", m.learning_rate}, {"images_per_s", m.images_per_s}, {"seconds", m.seconds},
                        {"eta_s", m.eta_seconds}};
    j["val_accuracy"] = m.val_accuracy >= 0 ? nlohmann::json(m.val_accuracy) : nlohmann::json(nullptr);
    return j;
}

}  // namespace

std::string epochJson(const EpochMetrics& metrics) { return metricsJson(metrics).dump(); }

std::string trainingResultsJson(const TrainingRecord& r) {
    const TrainSettings& s = r.settings;
    nlohmann::json history = nlohmann::json::array();
    for (const EpochMetrics& m : r.epochs) history.push_back(metricsJson(m));
    const bool teacher = !r.teacher.empty();
    const nlohmann::json results = {
        {"base_model", r.base_model},
        {"teacher", teacher ? nlohmann::json(r.teacher) : nlohmann::json(nullptr)},
        {"mode", teacher ? "LevitForImageClassificationWithTeacher (hard distillation)" : "LevitForImageClassification"},
        {"classes", r.classes},
        {"train_images", r.train_images},
        {"validation_images", r.validation_images},
        {"skipped_files", r.skipped_files},
        {"unreadable_images", r.unreadable_images},
        {"recipe",
         {{"train", s.scope}, {"epochs", s.epochs}, {"batch", s.batch}, {"optimizer", s.optimizer.kind},
          {"learning_rate", s.optimizer.learning_rate}, {"weight_decay", s.optimizer.weight_decay},
          {"warmup_epochs", s.warmup_epochs}, {"schedule", "cosine"}, {"label_smoothing", s.label_smoothing},
          {"clip_norm", s.optimizer.clip_norm}, {"random_resized_crop", s.augment.random_resized_crop},
          {"min_crop", s.augment.min_scale}, {"horizontal_flip", s.augment.horizontal_flip},
          {"color_jitter", s.augment.color_jitter}, {"seed", s.seed}, {"threads", s.threads},
          {"batch_norm", "eval mode (running statistics frozen)"}}},
        {"epochs", history},
        {"best_epoch", r.best_epoch},
        {"interrupted", r.interrupted},
        {"wall_time_s", r.wall_time_s}};
    return results.dump(2) + "\n";
}

int automaticEpochs(size_t train_images) {
    constexpr double kImagesSeen = 9000;
    return std::clamp(int(std::ceil(kImagesSeen / double(std::max<size_t>(1, train_images)))), 10, 200);
}

}  // namespace levit
