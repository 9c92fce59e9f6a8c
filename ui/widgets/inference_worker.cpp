#include "inference_worker.h"

#include <chrono>

#include "levit/classifier.h"
#include "levit/error.h"
#include "media/image_decoder.h"

namespace levit::ui {

levit::Classification classifyLoadedImage(levit::Classifier& classifier, const LoadedImage& image, const levit::Probe& probe,
                                          levit::ProbeResult* probe_result, levit::ImageRGB8* model_input) {
    const levit::Config& config = classifier.model().config();
    if (image.model_input.fits(config)) {
        levit::Classification result = classifier.classifyModelInput(*image.model_input.pixels, probe, probe_result);
        if (model_input) *model_input = *image.model_input.pixels;
        return result;
    }
    if (image.pixels) return classifier.classify(*image.pixels, probe, probe_result, model_input);
    if (!image.from_file) throw levit::Error(QObject::tr("there is no image to classify").toStdString());
    return classifier.classify(levit::media::decodeImageFile(image.source.toStdString()), probe, probe_result, model_input);
}

InferenceWorker::InferenceWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<levit::ui::InferenceResultPtr>();
    thread_ = std::thread([this] { loop(); });
}

InferenceWorker::~InferenceWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void InferenceWorker::setModel(std::shared_ptr<const levit::Model> model, int threads) {
    std::lock_guard<std::mutex> lock(mutex_);
    model_ = std::move(model);
    threads_ = threads;
}

void InferenceWorker::submit(InferenceRequest request) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (pending_) ++dropped_;
        pending_ = std::move(request);
    }
    wake_.notify_one();
}

void InferenceWorker::deliver() {
    for (Outcome& o : outbox_.take()) {
        if (o.result) emit resultReady(std::move(o.result));
        else emit failed(o.id, o.source, o.message);
    }
}

quint64 InferenceWorker::droppedRequests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_;
}

void InferenceWorker::loop() {
    // One Classifier per model (its session keeps buffers between requests); rebuilt when the model changes.
    std::unique_ptr<levit::Classifier> classifier;
    for (;;) {
        InferenceRequest request;
        std::shared_ptr<const levit::Model> model;
        int threads;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || pending_.has_value(); });
            if (stopping_) return;
            request = std::move(*pending_);
            pending_.reset();
            model = model_;
            threads = threads_;
        }
        if (!model) {
            post({nullptr, request.id, request.source, tr("No model is loaded.")});
            continue;
        }
        if (!request.image && !request.model_input.pixels && !request.from_file) {
            post({nullptr, request.id, request.source, tr("There is no image to classify.")});
            continue;
        }
        try {
            if (!classifier || classifier->sharedModel() != model || classifier->session().threads() != threads) {
                classifier = std::make_unique<levit::Classifier>(model, threads);
                // Every class ranked: the views show any top-k of it without running the model again.
                classifier->setTopK(model->config().numLabels());
            }
            const auto start = std::chrono::steady_clock::now();
            auto result = std::make_shared<InferenceResult>();
            result->id = request.id;
            result->source = request.source;
            result->model = model;
            result->original = request.original;
            result->source_size = request.source_size;
            request.probe.timings = true;
            const LoadedImage image{request.source, request.from_file, request.image, request.model_input, {}, nullptr};
            result->classification = classifyLoadedImage(*classifier, image, request.probe, &result->probe, &result->model_input);
            result->latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            post({std::move(result), request.id, request.source, {}});
        } catch (const std::exception& e) {
            post({nullptr, request.id, request.source, QString::fromUtf8(e.what())});
        }
    }
}

}  // namespace levit::ui
