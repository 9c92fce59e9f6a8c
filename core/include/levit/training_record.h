#pragma once
// What a fine-tuning run records beside the model it writes (training_results.json: base model, teacher,
// classes, recipe, every epoch, best epoch, wall time), and the default number of epochs for a data set's
// size. One home for both, so `levit train` and the window's Teach tab write the same folder.
#include <string>
#include <vector>

#include "levit/trainer.h"

namespace levit {

struct TrainingRecord {
    std::string base_model;
    std::string teacher;  // empty: no teacher
    std::vector<std::string> classes;
    size_t train_images = 0, validation_images = 0;
    int skipped_files = 0;
    size_t unreadable_images = 0;
    TrainSettings settings;
    std::vector<EpochMetrics> epochs;
    int best_epoch = 0;
    bool interrupted = false;
    double wall_time_s = 0;
};

// training_results.json's text.
std::string trainingResultsJson(const TrainingRecord& record);
// One epoch as a JSON object's text (`levit train --json` prints one per line).
std::string epochJson(const EpochMetrics& metrics);

// About 9,000 training images seen whatever the data's size, 10 to 200 epochs: few images need many passes
// (generated digits, 10 per class: 74% after 30 epochs, 86% after 60).
int automaticEpochs(size_t train_images);

}  // namespace levit
