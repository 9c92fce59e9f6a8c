// levit train: fine-tunes a LeViT on an ImageFolder (one sub-folder per class) and writes a Hugging Face
// model folder. Without --teacher one head learns the labels (LevitForImageClassification); with a teacher
// the distillation head learns the teacher's predicted classes (LevitForImageClassificationWithTeacher).
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "one_line.h"
#include "levit/checkpoint.h"
#include "levit/checkpoint_writer.h"
#include "levit/error.h"
#include "levit/trainer.h"
#include "levit/training_record.h"
#include "media/image_folder.h"

namespace levit::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_stop{false};

// Ctrl+C ends training after the current step; the best weights so far are saved. A second Ctrl+C kills.
extern "C" void onInterrupt(int) {
    g_stop.store(true);
    std::signal(SIGINT, SIG_DFL);
}

std::string duration(double seconds) {
    const long s = std::lround(seconds);
    char text[32];
    std::snprintf(text, sizeof(text), "%ld:%02ld", s / 60, s % 60);
    return text;
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
    const Arguments a(args,
                      {"model", "revision", "data", "val", "val-split", "out", "train", "epochs", "batch", "lr", "teacher",
                       "seed", "threads", "optimizer", "weight-decay", "label-smoothing", "warmup-epochs", "min-crop",
                       "jitter"},
                      {"json", "no-crop", "flip", "no-augment"});
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    if (a.value("data").empty()) throw UsageError("--data DIR is required (one sub-folder of images per class)");
    if (a.value("out").empty()) throw UsageError("--out OUTDIR is required");
    if (!a.value("val").empty() && !a.value("val-split").empty()) throw UsageError("give --val or --val-split, not both");

    TrainSettings s;
    s.scope = a.value("train", "all");
    if (s.scope != "head" && s.scope != "last-stage" && s.scope != "all")
        throw UsageError("--train expects head, last-stage or all (got '" + s.scope + "')");
    const bool auto_epochs = a.value("epochs").empty();
    s.epochs = a.intValue("epochs", s.epochs, 1, 100000);
    s.batch = a.intValue("batch", s.batch, 1, 1024);
    s.threads = a.intValue("threads", 1, 1, 256);
    s.seed = unsigned(a.intValue("seed", 0, 0, 2147483647));
    s.optimizer.kind = a.value("optimizer", "adamw");
    if (s.optimizer.kind != "adamw" && s.optimizer.kind != "sgd") throw UsageError("--optimizer expects adamw or sgd");
    s.optimizer.learning_rate = a.doubleValue("lr", s.optimizer.kind == "sgd" ? 1e-2 : 1e-3, 1e-8, 10);
    s.optimizer.weight_decay = a.doubleValue("weight-decay", s.optimizer.weight_decay, 0, 10);
    s.label_smoothing = a.doubleValue("label-smoothing", s.label_smoothing, 0, 0.99);
    s.warmup_epochs = a.doubleValue("warmup-epochs", s.warmup_epochs, 0, 100000);
    s.augment.min_scale = a.doubleValue("min-crop", s.augment.min_scale, 0.05, 1);
    s.augment.color_jitter = a.doubleValue("jitter", s.augment.color_jitter, 0, 0.9);
    if (a.has("no-crop") || a.has("no-augment")) s.augment.random_resized_crop = false;
    if (a.has("flip") && !a.has("no-augment")) s.augment.horizontal_flip = true;
    if (a.has("no-augment")) s.augment.color_jitter = 0;

    // The output folder is checked before hours of training, and written only at the end, all at once.
    const std::string out = a.value("out");
    std::error_code ec;
    if (fs::exists(out, ec)) throw Error(out + ": already exists (choose a new folder; nothing was overwritten)");
    const fs::path parent = fs::absolute(out).parent_path();
    if (!fs::is_directory(parent, ec)) throw Error(out + ": the folder " + parent.string() + " does not exist");
    if (::access(parent.c_str(), W_OK) != 0) throw Error(out + ": cannot write in " + parent.string());

    const auto wall_start = std::chrono::steady_clock::now();
    const std::string model_path = resolveModelPath(a);
    LoadedCheckpoint base = loadCheckpoint(model_path);
    std::shared_ptr<const Model> teacher;
    std::string teacher_path;
    if (!a.value("teacher").empty()) {
        teacher_path = resolveModelPath(Arguments({"--model", a.value("teacher")}, {"model", "revision"}, {}));
        teacher = loadModel(teacher_path);
    }
    media::ImageFolder data = media::loadImageFolder(a.value("data"));
    if (data.classes.size() < 2) throw Error(a.value("data") + ": only one class folder; training needs at least two classes");
    std::vector<LabeledImage> train = std::move(data.images), val;
    int skipped = data.skipped_other_files;
    size_t unreadable = data.unreadable.size();
    if (!a.value("val").empty()) {
        media::ImageFolder v = media::loadImageFolder(a.value("val"), &data.classes);
        val = std::move(v.images);
        skipped += v.skipped_other_files;
        unreadable += v.unreadable.size();
        for (std::string& e : v.unreadable) data.unreadable.push_back(std::move(e));
    } else if (!a.value("val-split").empty()) {
        splitForValidation(train, val, a.doubleValue("val-split", 0.2, 0.01, 0.9), s.seed);
    }
    if (skipped > 0) std::cerr << "levit train: skipped " << skipped << " files that are not images\n";
    if (unreadable > 0)
        std::cerr << "levit train: skipped " << unreadable << " unreadable images, e.g. " << oneLine(data.unreadable.front()) << "\n";

    if (auto_epochs) s.epochs = automaticEpochs(train.size());
    Trainer trainer(std::move(base), data.classes, teacher, s);
    const bool json = a.has("json");
    std::cerr << "levit train: " << train.size() << " training and " << val.size() << " validation images, "
              << data.classes.size() << " classes, " << (teacher ? "with teacher " + teacher_path : std::string("no teacher"))
              << ", training " << s.scope << (trainer.newHeads() ? " (new heads)" : "") << "\n";
    g_stop.store(false);
    std::signal(SIGINT, onInterrupt);
    trainer.fit(train, val, [&](const EpochMetrics& m) {
        char validation[64] = "";
        if (m.val_accuracy >= 0) std::snprintf(validation, sizeof(validation), ", validation %.1f%%", 100 * m.val_accuracy);
        char line[256];
        std::snprintf(line, sizeof(line), "epoch %d/%d: loss %.4f, train %.1f%%%s, %.0f images/s, ETA %s", m.epoch, s.epochs,
                      m.loss, 100 * m.train_accuracy,
                      validation,
                      m.images_per_s, duration(m.eta_seconds).c_str());
        std::cerr << line << "\n";
        if (json) std::cout << epochJson(m) << std::endl;
    }, &g_stop);
    std::signal(SIGINT, SIG_DFL);
    const bool interrupted = g_stop.load();

    TrainingRecord record;
    record.base_model = model_path;
    record.teacher = teacher ? teacher_path : std::string();
    record.classes = data.classes;
    record.train_images = train.size();
    record.validation_images = val.size();
    record.skipped_files = skipped;
    record.unreadable_images = unreadable;
    record.settings = s;
    record.epochs = trainer.history();
    record.best_epoch = trainer.bestEpoch();
    record.interrupted = interrupted;
    record.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    writeHuggingFaceModel(out, trainer.config(), trainer.bestWeights(), trainer.singleHead(),
                          {{"training_results.json", trainingResultsJson(record)}});
    std::cerr << "levit train: " << (interrupted ? "interrupted; " : "") << "saved the best epoch (" << trainer.bestEpoch()
              << ") to " << out << "\n";
    if (json) std::cout << nlohmann::json{{"done", true}, {"out", out}, {"best_epoch", trainer.bestEpoch()}, {"interrupted", interrupted}}.dump() << "\n";
    return 0;
}

}  // namespace levit::cli
