#include "inference_worker.h"

#include <chrono>

#include "image_convert.h"
#include "levit/error.h"
#include "levit/preprocess.h"

namespace levit::ui {

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

quint64 InferenceWorker::droppedRequests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_;
}

void InferenceWorker::loop() {
    std::unique_ptr<levit::Session> session;
    std::shared_ptr<const levit::Model> session_model;
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
            emit failed(request.id, request.source, tr("No model is loaded."));
            continue;
        }
        try {
            if (!session || session_model != model || session->threads() != threads) {
                session = std::make_unique<levit::Session>(model, threads);
                session_model = model;
            }
            const auto start = std::chrono::steady_clock::now();
            const levit::PreprocessConfig& pc = model->config().preprocess;
            auto result = std::make_shared<InferenceResult>();
            result->id = request.id;
            result->source = request.source;
            result->model = model;
            result->original = request.original;
            // The image the model sees (resize + crop), kept for overlays; then the normalised tensor.
            result->model_input = request.image;
            if (pc.do_resize) {
                const int target = static_cast<int>((256.0 / 224.0) * pc.shortest_edge);
                const levit::Size2 size = levit::resizeOutputSize(request.image.height, request.image.width, target);
                result->model_input = levit::resizeBicubicPIL(request.image, size.width, size.height);
            }
            if (pc.do_center_crop)
                result->model_input = levit::centerCrop(result->model_input, pc.crop_width, pc.crop_height);
            levit::PreprocessConfig no_geometry = pc;
            no_geometry.do_resize = no_geometry.do_center_crop = false;
            const std::vector<float> pixels = levit::preprocess(result->model_input, no_geometry);
            request.probe.timings = true;
            result->output = session->run(pixels.data(), 1, request.probe, &result->probe);
            result->latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            emit resultReady(result);
        } catch (const std::exception& e) {
            emit failed(request.id, request.source, QString::fromUtf8(e.what()));
        }
    }
}

}  // namespace levit::ui
