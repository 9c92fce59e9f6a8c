#pragma once
// Fine-tuning LeViT on labelled images, the two ways the LeViT paper and Hugging Face document:
//  (1) without a teacher: one classification head learns the labels (LevitForImageClassification);
//  (2) with a teacher model: the classification head learns the labels and the distillation head the
//      teacher's predicted class (hard distillation; LevitForImageClassificationWithTeacher).
// BatchNorm runs with its running statistics (frozen); which parameters train is a scope (head,
// last-stage, all). New heads are made when the classes differ from the base model's. Steps are split over
// threads (data parallel, the same numbers for any thread count up to float summation order).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "levit/augment.h"
#include "levit/checkpoint.h"
#include "levit/image.h"
#include "levit/model.h"
#include "levit/optimizer.h"

namespace levit {

struct LabeledImage {
    ImageRGB8 image;
    int label = 0;
    std::string source;  // file path, for reports
};

struct TrainSettings {
    std::string scope = "all";  // head | last-stage | all
    int epochs = 30;
    int batch = 16;
    int threads = 1;
    unsigned seed = 0;
    double warmup_epochs = 2;
    double label_smoothing = 0.1;
    OptimizerSettings optimizer;  // learning rate, weight decay, clipping; steps are filled in by fit()
    AugmentSettings augment;
};

struct EpochMetrics {
    int epoch = 0;                 // 1-based
    double loss = 0;               // mean training loss of the epoch
    double train_accuracy = 0;     // classification head on the augmented training images
    double val_accuracy = -1;      // averaged heads on the validation images (-1: no validation set)
    double learning_rate = 0;      // at the epoch's last step
    double images_per_s = 0;
    double seconds = 0;            // this epoch
    double eta_seconds = 0;        // for the remaining epochs at this pace
};

class Trainer {
public:
    // `classes`: the names of the data's classes (id2label of the result). `teacher` (may be null) must
    // have as many classes. Throws levit::Error for a teacher that does not match or an unknown scope.
    Trainer(LoadedCheckpoint base, std::vector<std::string> classes, std::shared_ptr<const Model> teacher,
            TrainSettings settings);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Trains for settings.epochs over `train`, validating on `val` (may be empty) after each epoch; keeps the
    // best weights (highest validation accuracy, else lowest training loss). `stop` (may be null) is polled
    // after every step: when set, training ends after that step, keeping the best weights so far.
    void fit(const std::vector<LabeledImage>& train, const std::vector<LabeledImage>& val,
             const std::function<void(const EpochMetrics&)>& on_epoch, const std::atomic<bool>* stop = nullptr);

    const std::vector<EpochMetrics>& history() const { return history_; }
    int bestEpoch() const { return best_epoch_; }
    bool singleHead() const { return !teacher_; }
    bool newHeads() const { return new_heads_; }
    const Config& config() const { return config_; }
    // The best weights so far (the base model's before the first epoch) and their inference model.
    const std::map<std::string, Tensor>& bestWeights() const { return best_; }
    std::shared_ptr<const Model> bestModel() const;

    // Accuracy of the averaged heads of `model` on `images` (exact inference preprocessing).
    static double accuracy(const std::shared_ptr<const Model>& model, const std::vector<LabeledImage>& images, int threads);

private:
    struct StartingPoint;  // the names fit() trains
    Config config_;
    std::string source_;
    std::shared_ptr<const Model> teacher_;
    TrainSettings settings_;
    bool new_heads_ = false;
    std::map<std::string, Tensor> best_;
    int best_epoch_ = 0;
    std::vector<EpochMetrics> history_;
    std::unique_ptr<StartingPoint> start_;
};

// A stratified split: `share` of each class (at least one image when the class has two or more) goes to
// the second list, chosen with `seed`.
void splitForValidation(std::vector<LabeledImage>& train, std::vector<LabeledImage>& val, double share, unsigned seed);

}  // namespace levit
