#include "training_worker.h"

#include <chrono>

#include "levit/checkpoint.h"
#include "levit/checkpoint_writer.h"
#include "levit/model.h"
#include "levit/training_record.h"

namespace levit::ui {

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) { qRegisterMetaType<levit::EpochMetrics>(); }

TrainingWorker::~TrainingWorker() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

bool TrainingWorker::running() const { return running_.load(); }

bool TrainingWorker::start(TrainingJob job) {
    if (running_.load()) return false;
    if (thread_.joinable()) thread_.join();  // the previous job has ended
    stop_.store(false);
    running_.store(true);
    thread_ = std::thread([this, job = std::move(job)]() mutable { run(std::move(job)); });
    return true;
}

void TrainingWorker::cancel() { stop_.store(true); }

void TrainingWorker::deliver() {
    for (const TrainingReport& r : outbox_.take()) {
        switch (r.kind) {
            case TrainingReport::Kind::Epoch: emit epochDone(r.epoch); break;
            case TrainingReport::Kind::Finished: emit finished(r.out_dir, r.best_epoch, r.interrupted, r.seconds); break;
            case TrainingReport::Kind::Failed: emit failed(r.message); break;
        }
    }
}

void TrainingWorker::run(TrainingJob job) {
    const auto start = std::chrono::steady_clock::now();
    TrainingReport done;
    try {
        levit::LoadedCheckpoint base = levit::loadCheckpoint(job.base_model.toStdString());
        std::shared_ptr<const levit::Model> teacher;
        if (!job.teacher_model.isEmpty()) teacher = levit::loadModel(job.teacher_model.toStdString());
        levit::Trainer trainer(std::move(base), job.classes, teacher, job.settings);
        trainer.fit(job.train, job.validation, [this](const levit::EpochMetrics& m) {
            TrainingReport r;
            r.epoch = m;
            post(std::move(r));
        }, &stop_);
        levit::TrainingRecord record;
        record.base_model = job.base_model.toStdString();
        record.teacher = job.teacher_model.toStdString();
        record.classes = job.classes;
        record.train_images = job.train.size();
        record.validation_images = job.validation.size();
        record.settings = job.settings;
        record.epochs = trainer.history();
        record.best_epoch = trainer.bestEpoch();
        record.interrupted = stop_.load();
        record.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        levit::writeHuggingFaceModel(job.out_dir.toStdString(), trainer.config(), trainer.bestWeights(), trainer.singleHead(),
                                     {{"training_results.json", levit::trainingResultsJson(record)}});
        done.kind = TrainingReport::Kind::Finished;
        done.out_dir = job.out_dir;
        done.best_epoch = trainer.bestEpoch();
        done.interrupted = record.interrupted;
        done.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } catch (const std::exception& e) {
        done.kind = TrainingReport::Kind::Failed;
        done.message = QString::fromUtf8(e.what());
    }
    running_.store(false);
    post(std::move(done));
}

}  // namespace levit::ui
