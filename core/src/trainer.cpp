#include "levit/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "levit/classifier.h"
#include "levit/error.h"
#include "levit/gradients.h"
#include "levit/preprocess.h"
#include "levit/training_step.h"

namespace levit {

namespace {

using Clock = std::chrono::steady_clock;

const char* kHeads[2] = {"classifier", "classifier_distill"};

int argmax(const float* v, int n) { return int(std::max_element(v, v + n) - v); }

// Hugging Face's initialisation of a fresh LevitClassificationLayer: Linear weights N(0, initializer_range),
// zero bias; BatchNorm weight 1, bias 0, running mean 0, running variance 1.
void makeHead(std::map<std::string, Tensor>& w, const std::string& head, int in, int classes, std::mt19937& rng) {
    std::normal_distribution<float> normal(0.0f, 0.02f);
    Tensor weight{{classes, in}, std::vector<float>(size_t(classes) * in)};
    for (float& v : weight.values) v = normal(rng);
    w[head + ".linear.weight"] = std::move(weight);
    w[head + ".linear.bias"] = Tensor{{classes}, std::vector<float>(size_t(classes), 0.0f)};
    w[head + ".batch_norm.weight"] = Tensor{{in}, std::vector<float>(size_t(in), 1.0f)};
    w[head + ".batch_norm.bias"] = Tensor{{in}, std::vector<float>(size_t(in), 0.0f)};
    w[head + ".batch_norm.running_mean"] = Tensor{{in}, std::vector<float>(size_t(in), 0.0f)};
    w[head + ".batch_norm.running_var"] = Tensor{{in}, std::vector<float>(size_t(in), 1.0f)};
}

// A single-head model's distillation head is a stand-in for its classifier (as when such a checkpoint loads).
void copyClassifierToDistillation(std::map<std::string, Tensor>& w) {
    for (const char* part : {".linear.weight", ".linear.bias", ".batch_norm.weight", ".batch_norm.bias",
                             ".batch_norm.running_mean", ".batch_norm.running_var"})
        w[std::string(kHeads[1]) + part] = w.at(std::string(kHeads[0]) + part);
}

}  // namespace

struct Trainer::StartingPoint {
    std::vector<std::string> trainable;
};

Trainer::Trainer(LoadedCheckpoint base, std::vector<std::string> classes, std::shared_ptr<const Model> teacher,
                 TrainSettings settings)
    : config_(std::move(base.config)), source_(base.weights_path), teacher_(std::move(teacher)), settings_(std::move(settings)),
      start_(std::make_unique<StartingPoint>()) {
    if (classes.size() < 2) throw Error("training needs at least two classes (got " + std::to_string(classes.size()) + ")");
    if (settings_.epochs < 1 || settings_.batch < 1 || settings_.batch > Session::kMaxBatch)
        throw Error("epochs must be at least 1 and the batch between 1 and " + std::to_string(Session::kMaxBatch));
    if (settings_.threads < 1 || settings_.threads > 256) throw Error("threads must be between 1 and 256");
    if (teacher_ && teacher_->config().numLabels() != int(classes.size()))
        throw Error("the teacher predicts " + std::to_string(teacher_->config().numLabels()) + " classes, the data has " +
                    std::to_string(classes.size()) + ": a teacher for hard distillation must know the same classes");
    std::map<std::string, Tensor> weights = std::move(base.weights);
    if (config_.id2label != classes) {
        std::mt19937 rng(settings_.seed + 7919);
        for (const char* head : kHeads) makeHead(weights, head, config_.hidden_sizes.back(), int(classes.size()), rng);
        config_.id2label = std::move(classes);
        new_heads_ = true;
    }
    if (!teacher_) copyClassifierToDistillation(weights);
    for (const std::string& name : parameterNamesOf(config_, settings_.scope))
        if (teacher_ || name.rfind(kHeads[1], 0) != 0) start_->trainable.push_back(name);
    best_ = std::move(weights);  // also where fit() starts from
}

Trainer::~Trainer() = default;

std::shared_ptr<const Model> Trainer::bestModel() const { return std::make_shared<const Model>(config_, best_, source_); }

double Trainer::accuracy(const std::shared_ptr<const Model>& model, const std::vector<LabeledImage>& images, int threads) {
    if (images.empty()) return -1;
    Classifier classifier(model, threads);
    int correct = 0;
    for (size_t start = 0; start < images.size(); start += Classifier::kBatch) {
        std::vector<ImageRGB8> batch;
        std::vector<std::string> names;
        for (size_t i = start; i < std::min(images.size(), start + Classifier::kBatch); ++i) {
            batch.push_back(images[i].image);
            names.push_back(images[i].source);
        }
        const std::vector<Classification> results = classifier.classify(batch, names);
        for (size_t i = 0; i < results.size(); ++i)
            correct += argmax(results[i].logits.data(), int(results[i].logits.size())) == images[start + i].label;
    }
    return double(correct) / double(images.size());
}

void Trainer::fit(const std::vector<LabeledImage>& train, const std::vector<LabeledImage>& val,
                  const std::function<void(const EpochMetrics&)>& on_epoch, const std::atomic<bool>* stop) {
    if (train.empty()) throw Error("there are no training images");
    for (const LabeledImage& item : train)
        if (item.label < 0 || item.label >= config_.numLabels()) throw Error(item.source + ": label outside the classes");
    StartingPoint& w = *start_;
    const int size = config_.image_size, batch_size = std::min<int>(settings_.batch, int(train.size()));
    const int steps_per_epoch = int((train.size() + batch_size - 1) / batch_size);
    OptimizerSettings opt = settings_.optimizer;
    opt.total_steps = steps_per_epoch * settings_.epochs;
    opt.warmup_steps = int(std::lround(settings_.warmup_epochs * steps_per_epoch));
    TrainingStep step(config_, best_, w.trainable, opt, settings_.threads, source_);
    std::unique_ptr<Classifier> teacher;
    if (teacher_) teacher = std::make_unique<Classifier>(teacher_, settings_.threads);

    std::mt19937 rng(settings_.seed);
    std::vector<size_t> order(train.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const size_t per_image = size_t(config_.num_channels) * size * size;
    std::vector<float> pixels;
    std::vector<int> labels, teacher_labels;
    std::vector<ImageRGB8> augmented;
    double best_score = -INFINITY;

    for (int epoch = 1; epoch <= settings_.epochs; ++epoch) {
        const auto start = Clock::now();
        std::shuffle(order.begin(), order.end(), rng);
        double loss_sum = 0;
        int correct = 0, seen = 0;
        bool stopped = false;
        for (int s = 0; s < steps_per_epoch && !stopped; ++s) {
            const int first = s * batch_size, count = std::min<int>(batch_size, int(train.size()) - first);
            augmented.clear();
            labels.clear();
            for (int i = 0; i < count; ++i) {
                const LabeledImage& item = train[order[size_t(first + i)]];
                augmented.push_back(augmentImage(item.image, config_.preprocess, size, settings_.augment, rng));
                labels.push_back(item.label);
            }
            teacher_labels.clear();
            if (teacher)  // hard distillation: the teacher's class for the very image the student sees
                for (const Classification& c : teacher->classify(augmented))
                    teacher_labels.push_back(argmax(c.logits.data(), int(c.logits.size())));
            pixels.resize(per_image * size_t(count));
            for (int i = 0; i < count; ++i)
                normalizeInto(augmented[size_t(i)], config_.preprocess, std::span<float>(pixels).subspan(per_image * i, per_image));
            const TrainingStep::Result r =
                step.run(pixels, count, labels, teacher_labels, teacher ? 0.5 : 1.0, settings_.label_smoothing);
            loss_sum += r.loss * count;
            correct += r.cls_correct;
            seen += count;
            stopped = stop && stop->load();
        }
        std::map<std::string, Tensor>& current = step.weights();
        if (!teacher_) copyClassifierToDistillation(current);
        EpochMetrics m;
        m.epoch = epoch;
        m.loss = loss_sum / std::max(seen, 1);
        m.train_accuracy = double(correct) / std::max(seen, 1);
        m.learning_rate = scheduledLearningRate(opt, std::max(0, step.optimizer().steps() - 1));
        m.val_accuracy = val.empty() ? -1 : accuracy(std::make_shared<const Model>(config_, current, source_), val, settings_.threads);
        m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        m.images_per_s = seen / std::max(m.seconds, 1e-9);
        m.eta_seconds = m.seconds * (settings_.epochs - epoch);
        const double score = val.empty() ? -m.loss : m.val_accuracy;
        if (score > best_score) {
            best_score = score;
            best_ = current;
            best_epoch_ = epoch;
        }
        history_.push_back(m);
        if (on_epoch) on_epoch(m);
        if (stopped) break;
    }
}

void splitForValidation(std::vector<LabeledImage>& train, std::vector<LabeledImage>& val, double share, unsigned seed) {
    if (!(share > 0 && share < 1)) throw Error("the validation share must be between 0 and 1 (got " + std::to_string(share) + ")");
    std::map<int, std::vector<size_t>> by_class;
    for (size_t i = 0; i < train.size(); ++i) by_class[train[i].label].push_back(i);
    std::mt19937 rng(seed);
    std::vector<bool> to_val(train.size(), false);
    for (auto& [label, indices] : by_class) {
        if (indices.size() < 2) continue;
        std::shuffle(indices.begin(), indices.end(), rng);
        const size_t n = std::clamp<size_t>(size_t(std::lround(share * double(indices.size()))), 1, indices.size() - 1);
        for (size_t i = 0; i < n; ++i) to_val[indices[i]] = true;
    }
    std::vector<LabeledImage> kept;
    for (size_t i = 0; i < train.size(); ++i) (to_val[i] ? val : kept).push_back(std::move(train[i]));
    train = std::move(kept);
}

}  // namespace levit
