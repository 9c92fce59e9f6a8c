#include "capture_worker.h"

#include <chrono>

namespace levit::ui {

CaptureWorker::CaptureWorker(QObject* parent) : QObject(parent) {}

CaptureWorker::~CaptureWorker() { stop(); }

void CaptureWorker::start(std::unique_ptr<levit::media::FrameSource> source) {
    stop();
    stop_ = false;
    running_ = true;
    frames_ = 0;
    fps_ = 0;
    thread_ = std::thread([this, s = std::move(source)]() mutable { loop(std::move(s)); });
}

void CaptureWorker::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    running_ = false;
}

std::optional<levit::ImageRGB8> CaptureWorker::takeFrame() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<levit::ImageRGB8> out = std::move(newest_);
    newest_.reset();
    return out;
}

void CaptureWorker::loop(std::unique_ptr<levit::media::FrameSource> source) {
    using Clock = std::chrono::steady_clock;
    const double nominal = source->nominalFps();
    // A file plays at its own pace (a camera paces itself); 0 or absurd rates fall back to 30.
    const auto period = std::chrono::duration<double>(1.0 / (nominal > 0 && nominal < 240 ? nominal : 30.0));
    const QString source_name = QString::fromStdString(source->name());
    const bool is_file = !source_name.startsWith("camera");
    auto window_start = Clock::now();
    int window_frames = 0;
    auto next = Clock::now();
    QString reason = tr("stopped");
    bool file_ended = false;
    while (!stop_) {
        if (paused_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        std::optional<levit::ImageRGB8> frame = source->read();
        if (!frame) {
            reason = is_file ? tr("end of %1").arg(source_name) : tr("%1 stopped delivering frames").arg(source_name);
            file_ended = is_file;
            break;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            newest_ = std::move(frame);
        }
        ++frames_;
        ++window_frames;
        emit frameAvailable();
        const double elapsed = std::chrono::duration<double>(Clock::now() - window_start).count();
        if (elapsed >= 0.5) {
            fps_ = window_frames / elapsed;
            window_frames = 0;
            window_start = Clock::now();
        }
        if (is_file) {
            next += std::chrono::duration_cast<Clock::duration>(period);
            std::this_thread::sleep_until(next);
        }
    }
    running_ = false;
    emit finished(reason, file_ended);
}

}  // namespace levit::ui
