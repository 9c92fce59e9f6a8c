#pragma once
// Counting one evaluation of a model on labelled images: accuracy of each head and of their mean, how often
// the heads agree, per class, the confusion matrix, and what happened to every image. One home for
// `levit eval --data` and the window's Evaluate dialog, so both report the same numbers.
#include <string>
#include <vector>

#include "levit/classifier.h"

namespace levit {

struct EvaluatedImage {
    std::string source;
    int truth = 0;                               // model class index
    int averaged = 0, cls = 0, distillation = 0;  // each head's top-1 and their mean's
};

class EvaluationTally {
public:
    explicit EvaluationTally(int classes);
    void add(const Classification& result, int truth, const std::string& source);

    int classes() const { return classes_; }
    int images() const { return int(images_.size()); }
    int correctAveraged() const { return correct_avg_; }
    int correctCls() const { return correct_cls_; }
    int correctDistillation() const { return correct_dist_; }
    int headsAgree() const { return heads_agree_; }
    // [truth][predicted] of the averaged heads, row-major classes x classes.
    const std::vector<int>& confusion() const { return confusion_; }
    int confusionAt(int truth, int predicted) const { return confusion_[size_t(truth) * classes_ + predicted]; }
    const std::vector<int>& imagesPerClass() const { return per_class_; }
    double classAccuracy(int c) const;  // -1 without images of the class
    const std::vector<EvaluatedImage>& results() const { return images_; }

    // `levit eval --json`'s object: accuracies, throughput and (with details) per_class, confusion, labels and
    // the misclassified images.
    std::string json(const std::string& model, const std::string& dataset, double seconds, bool details,
                     const std::vector<std::string>& labels) const;

private:
    int classes_;
    int correct_avg_ = 0, correct_cls_ = 0, correct_dist_ = 0, heads_agree_ = 0;
    std::vector<int> confusion_, per_class_;
    std::vector<EvaluatedImage> images_;
};

// For each class folder name, the model's class of that name. Throws levit::Error naming `dataset`/folder when
// the model has no such class.
std::vector<int> classesInModel(const std::vector<std::string>& folder_classes, const std::vector<std::string>& model_labels,
                                const std::string& dataset);

}  // namespace levit
