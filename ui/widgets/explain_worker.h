#pragma once
// Computes explanations ("why this class?") off the GUI thread with one levit::Explainer, built from the
// model's checkpoint the first time it is needed (the explainer needs the unfolded weights; the fast Model has
// BatchNorm folded in). As the inference worker: at most one request waits and a newer one replaces it, and
// results reach the GUI thread through a queue under the worker's mutex. A request is answered in parts, so the
// maps show before their slower faithfulness curves: first the maps, then the curves, then (when asked) the
// adversarial nudge.
#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gui_thread_queue.h"
#include "levit/adversarial.h"
#include "levit/explain.h"
#include "levit/faithfulness.h"
#include "levit/model.h"

namespace levit::ui {

struct ExplainRequest {
    quint64 id = 0;
    std::shared_ptr<const levit::Model> model;  // what the window classifies with (for its identity and config)
    QString model_path;                         // its checkpoint, read once per model for the explainer
    std::vector<float> pixels;                  // one image, normalised: [C, S, S]
    levit::ExplainMethod method = levit::ExplainMethod::Token;
    std::vector<levit::Head> heads;             // one map per head, in this order
    bool difference = false;                    // also the classification map minus the distillation map
    levit::ExplainOptions options;              // class, stage, steps, baseline, occlusion patch (head: per map)
    bool faithfulness = true;
    int faithfulness_steps = 16;
    bool nudge = false;                         // only the adversarial nudge (of options.head), no maps
};

struct ExplainedMap {
    levit::Head head = levit::Head::Mean;
    bool difference = false;          // the classification map minus the distillation map
    levit::SquareMap map;             // S x S, what faithfulness is measured on
    levit::SquareMap grid;            // token method: the final grid's contributions (side 0 otherwise)
    levit::TokenAttribution token;    // token method only
    double ms = 0;
};

struct ExplainFaithfulness {
    levit::Head head = levit::Head::Mean;
    levit::FaithfulnessCurves map, random;
};

struct ExplainOutcome {
    enum class Part { Maps, Faithfulness, Nudge, Failed };
    Part part = Part::Maps;
    quint64 id = 0;
    std::vector<ExplainedMap> maps;
    std::vector<ExplainFaithfulness> faithfulness;
    double ms = 0;  // the part's wall time
    levit::AdversarialNudge nudge;
    QString message;  // Failed
};

class ExplainWorker : public QObject {
    Q_OBJECT
public:
    explicit ExplainWorker(QObject* parent = nullptr, int threads = 2);
    ~ExplainWorker() override;
    void submit(ExplainRequest request);
    // Drops a waiting request (the image or model changed and nothing should be computed for the old one).
    void cancelPending();
    bool busy() const;

signals:
    void outcomeReady(const levit::ui::ExplainOutcome& outcome);

private:
    void loop();
    void run(const ExplainRequest& request);
    levit::Explainer& explainerFor(const ExplainRequest& request);
    void post(ExplainOutcome outcome) { outbox_.post(this, "deliver", std::move(outcome)); }  // worker thread
    Q_INVOKABLE void deliver();  // GUI thread: emits what the outbox holds (see gui_thread_queue.h)
    bool superseded() const;  // a newer request waits: stop after the current part

    const int threads_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<ExplainRequest> pending_;
    bool stopping_ = false;
    bool running_ = false;
    GuiThreadQueue<ExplainOutcome> outbox_;
    // Worker thread only.
    std::unique_ptr<levit::Explainer> explainer_;
    std::weak_ptr<const levit::Model> explainer_model_;
    std::thread thread_;
};

// Human names for the window (translated).
QString explainMethodTitle(levit::ExplainMethod method);
QString explainHeadTitle(levit::Head head);

}  // namespace levit::ui

Q_DECLARE_METATYPE(levit::ui::ExplainOutcome)
