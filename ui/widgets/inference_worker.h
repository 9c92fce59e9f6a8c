#pragma once
// Runs the model off the GUI thread. At most one request waits: a new one replaces it (newest wins), so
// a live camera never lags behind. Results and failures are handed to the GUI thread through a queue under
// the worker's mutex and announced by an argument-less queued call, then emitted there: the handover is a
// synchronisation ThreadSanitizer (and any reader) can see, not Qt's copy of signal arguments.
#include <QObject>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "gui_thread_queue.h"
#include "inference_result.h"
#include "loaded_image.h"

namespace levit::ui {

struct InferenceRequest {
    quint64 id = 0;
    QString source;
    QImage original;  // live frames: shown with the result
    QSize source_size;  // full resolution, handed on to the result
    std::shared_ptr<const levit::ImageRGB8> image;  // full resolution, shared with the window: no copy per request
    levit::Probe probe;
    ModelInput model_input;                         // used instead of `image` when it fits the model
    bool from_file = false;                         // without either: `source` is decoded again
};

// Classifies `image` the cheapest exact way: its model input when it fits the classifier's model, else its
// full pixels, else its file decoded again. All three give the numbers `levit classify` gives for the file.
// `model_input` (may be null) receives the image the model saw. Throws levit::Error.
levit::Classification classifyLoadedImage(levit::Classifier& classifier, const LoadedImage& image,
                                          const levit::Probe& probe = {}, levit::ProbeResult* probe_result = nullptr,
                                          levit::ImageRGB8* model_input = nullptr);

class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(QObject* parent = nullptr);
    ~InferenceWorker() override;

    void setModel(std::shared_ptr<const levit::Model> model, int threads = 2);
    void submit(InferenceRequest request);
    // Requests dropped because a newer one arrived before they started.
    quint64 droppedRequests() const;

signals:
    void resultReady(levit::ui::InferenceResultPtr result);
    void failed(quint64 id, const QString& source, const QString& message);

private:
    // What one request ended in: a result, or (result null) a failure message.
    struct Outcome {
        InferenceResultPtr result;
        quint64 id = 0;
        QString source, message;
    };
    void loop();
    void post(Outcome outcome) { outbox_.post(this, "deliver", std::move(outcome)); }  // worker thread
    Q_INVOKABLE void deliver();  // GUI thread: emits what the outbox holds (see gui_thread_queue.h)

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<InferenceRequest> pending_;
    std::shared_ptr<const levit::Model> model_;
    int threads_ = 2;
    bool stopping_ = false;
    quint64 dropped_ = 0;
    GuiThreadQueue<Outcome> outbox_;
    std::thread thread_;
};

}  // namespace levit::ui
