#include "explain_worker.h"

#include <chrono>

#include "levit/checkpoint.h"
#include "levit/error.h"

namespace levit::ui {

namespace {

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

QString explainMethodTitle(levit::ExplainMethod method) {
    switch (method) {
        case levit::ExplainMethod::Token: return QObject::tr("Token contributions (exact)");
        case levit::ExplainMethod::GradCam: return QObject::tr("Grad-CAM");
        case levit::ExplainMethod::Gradient: return QObject::tr("Gradient (saliency)");
        case levit::ExplainMethod::GradientTimesInput: return QObject::tr("Gradient × input");
        case levit::ExplainMethod::IntegratedGradients: return QObject::tr("Integrated gradients");
        case levit::ExplainMethod::Occlusion: return QObject::tr("Occlusion");
        case levit::ExplainMethod::Rollout: return QObject::tr("Attention rollout");
    }
    return {};
}

QString explainHeadTitle(levit::Head head) {
    switch (head) {
        case levit::Head::Cls: return QObject::tr("Classification head");
        case levit::Head::Distillation: return QObject::tr("Distillation head");
        case levit::Head::Mean: return QObject::tr("Mean of both heads");
    }
    return {};
}

ExplainWorker::ExplainWorker(QObject* parent, int threads) : QObject(parent), threads_(threads) {
    qRegisterMetaType<levit::ui::ExplainOutcome>();
    thread_ = std::thread([this] { loop(); });
}

ExplainWorker::~ExplainWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        pending_.reset();
    }
    wake_.notify_all();
    thread_.join();
}

void ExplainWorker::submit(ExplainRequest request) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = std::move(request);
    }
    wake_.notify_one();
}

void ExplainWorker::cancelPending() {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.reset();
}

bool ExplainWorker::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_ || pending_.has_value();
}

bool ExplainWorker::superseded() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_ || pending_.has_value();
}

void ExplainWorker::deliver() {
    for (const ExplainOutcome& o : outbox_.take()) emit outcomeReady(o);
}

void ExplainWorker::loop() {
    for (;;) {
        ExplainRequest request;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            running_ = false;
            wake_.wait(lock, [&] { return stopping_ || pending_.has_value(); });
            if (stopping_) return;
            request = std::move(*pending_);
            pending_.reset();
            running_ = true;
        }
        try {
            run(request);
        } catch (const std::exception& e) {
            ExplainOutcome failed;
            failed.part = ExplainOutcome::Part::Failed;
            failed.id = request.id;
            failed.message = QString::fromUtf8(e.what());
            post(std::move(failed));
        }
    }
}

levit::Explainer& ExplainWorker::explainerFor(const ExplainRequest& request) {
    if (!request.model) throw levit::Error(QObject::tr("no model is loaded").toStdString());
    const bool same = explainer_ && !explainer_model_.expired() && !explainer_model_.owner_before(request.model) &&
                      !request.model.owner_before(explainer_model_);
    if (same) return *explainer_;
    explainer_.reset();
    if (request.model_path.isEmpty()) throw levit::Error(QObject::tr("this model has no checkpoint on disk to explain it from").toStdString());
    levit::LoadedCheckpoint ck = levit::loadCheckpoint(request.model_path.toStdString());
    const levit::Config& want = request.model->config();
    // The file may have changed on disk since the window loaded it: never explain another model's numbers.
    if (ck.config.image_size != want.image_size || ck.config.numLabels() != want.numLabels() ||
        ck.config.hidden_sizes != want.hidden_sizes || ck.config.depths != want.depths)
        throw levit::Error(
            QObject::tr("%1: the checkpoint on disk is no longer the model the window loaded; open it again").arg(request.model_path).toStdString());
    explainer_ = std::make_unique<levit::Explainer>(ck.config, std::move(ck.weights), ck.weights_path, threads_);
    explainer_model_ = request.model;
    return *explainer_;
}

void ExplainWorker::run(const ExplainRequest& request) {
    levit::Explainer& explainer = explainerFor(request);
    if (request.nudge) {
        const auto start = std::chrono::steady_clock::now();
        ExplainOutcome out;
        out.part = ExplainOutcome::Part::Nudge;
        out.id = request.id;
        out.nudge = levit::smallestNudge(explainer, request.pixels, request.options.head);
        out.ms = msSince(start);
        post(std::move(out));
        return;
    }

    ExplainOutcome maps;
    maps.id = request.id;
    const auto start = std::chrono::steady_clock::now();
    for (levit::Head head : request.heads) {
        const auto map_start = std::chrono::steady_clock::now();
        levit::ExplainOptions options = request.options;
        options.head = head;
        ExplainedMap m;
        m.head = head;
        if (request.method == levit::ExplainMethod::Token) {
            m.token = explainer.tokenAttribution(request.pixels, options);
            m.grid = m.token.tokens;
            m.map = levit::upsampleGrid(m.grid, explainer.config().image_size, true);
        } else {
            m.map = explainer.explain(request.method, request.pixels, options);
        }
        m.ms = msSince(map_start);
        maps.maps.push_back(std::move(m));
        if (superseded()) return;
    }
    if (request.difference) {
        // From the per-head maps already computed: the same numbers headDifference gives, without a second run.
        const ExplainedMap* cls = nullptr;
        const ExplainedMap* distillation = nullptr;
        for (const ExplainedMap& m : maps.maps) {
            if (m.head == levit::Head::Cls) cls = &m;
            if (m.head == levit::Head::Distillation) distillation = &m;
        }
        if (!cls || !distillation) throw levit::Error(QObject::tr("the head difference needs both heads' maps").toStdString());
        ExplainedMap d;
        d.difference = true;
        d.map = cls->map;
        for (size_t i = 0; i < d.map.values.size(); ++i) d.map.values[i] -= distillation->map.values[i];
        if (cls->grid.side > 0) {
            d.grid = cls->grid;
            for (size_t i = 0; i < d.grid.values.size(); ++i) d.grid.values[i] -= distillation->grid.values[i];
        }
        maps.maps.push_back(std::move(d));
    }
    maps.ms = msSince(start);
    post(maps);
    if (!request.faithfulness) return;

    ExplainOutcome faith;
    faith.part = ExplainOutcome::Part::Faithfulness;
    faith.id = request.id;
    const auto faith_start = std::chrono::steady_clock::now();
    // The same random map for every head and request: the baseline the maps are compared with.
    const levit::SquareMap random = levit::randomMap(explainer.config().image_size, 1);
    for (const ExplainedMap& m : maps.maps) {
        if (m.difference) continue;  // a difference ranks no pixels "for the class"
        if (superseded()) return;
        levit::ExplainOptions options = request.options;
        options.head = m.head;
        ExplainFaithfulness f;
        f.head = m.head;
        f.map = levit::measureFaithfulness(explainer, request.pixels, m.map, options, request.faithfulness_steps);
        f.random = levit::measureFaithfulness(explainer, request.pixels, random, options, request.faithfulness_steps);
        faith.faithfulness.push_back(std::move(f));
    }
    faith.ms = msSince(faith_start);
    post(std::move(faith));
}

}  // namespace levit::ui
