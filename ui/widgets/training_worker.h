#pragma once
// Fine-tunes a model off the GUI thread with levit::Trainer, the engine `levit train` uses: reads the base
// checkpoint, trains, reports every epoch, and writes the best weights as the Hugging Face folder `levit train`
// writes (with training_results.json) into a new folder. Cancel ends training after the current step and still
// saves the best epoch so far. Results reach the GUI thread through a queue under a mutex (see InferenceWorker).
#include <QObject>
#include <QString>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gui_thread_queue.h"
#include "levit/trainer.h"

namespace levit::ui {

struct TrainingJob {
    QString base_model;      // checkpoint folder or file
    QString teacher_model;   // empty: no teacher (one head learns the labels)
    std::vector<std::string> classes;
    std::vector<levit::LabeledImage> train, validation;
    levit::TrainSettings settings;
    QString out_dir;         // must not exist yet
};

struct TrainingReport {
    enum class Kind { Epoch, Finished, Failed };
    Kind kind = Kind::Epoch;
    levit::EpochMetrics epoch;
    QString out_dir;        // Finished: the saved model folder
    int best_epoch = 0;
    bool interrupted = false;
    double seconds = 0;     // Finished: from start to saved
    QString message;        // Failed
};

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;  // cancels and joins
    // Starts a job; false when one is running.
    bool start(TrainingJob job);
    void cancel();
    bool running() const;

signals:
    void epochDone(const levit::EpochMetrics& metrics);
    void finished(const QString& out_dir, int best_epoch, bool interrupted, double seconds);
    void failed(const QString& message);

private:
    void run(TrainingJob job);
    void post(TrainingReport report) { outbox_.post(this, "deliver", std::move(report)); }  // worker thread
    Q_INVOKABLE void deliver();  // GUI thread: emits what the outbox holds (see gui_thread_queue.h)

    GuiThreadQueue<TrainingReport> outbox_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
    std::thread thread_;
};

}  // namespace levit::ui

Q_DECLARE_METATYPE(levit::EpochMetrics)
