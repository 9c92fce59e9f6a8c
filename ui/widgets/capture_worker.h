#pragma once
// Reads frames from a FrameSource on its own thread and hands the newest one over; frames that arrive
// while the GUI is busy replace each other. Measures the frames per second it delivers.
#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "media/frame_source.h"

namespace levit::ui {

class CaptureWorker : public QObject {
    Q_OBJECT
public:
    explicit CaptureWorker(QObject* parent = nullptr);
    ~CaptureWorker() override;

    void start(std::unique_ptr<levit::media::FrameSource> source);
    void stop();
    void setPaused(bool paused) { paused_ = paused; }
    bool paused() const { return paused_; }
    bool running() const { return running_; }
    // Takes the newest frame (if one arrived since the last call).
    std::optional<levit::ImageRGB8> takeFrame();
    double measuredFps() const { return fps_; }
    quint64 framesRead() const { return frames_; }

signals:
    void frameAvailable();
    // ended: a video file played to its end (not stopped, not a failing camera).
    void finished(const QString& reason, bool ended);

private:
    void loop(std::unique_ptr<levit::media::FrameSource> source);

    std::thread thread_;
    std::atomic<bool> running_{false}, stop_{false}, paused_{false};
    std::mutex mutex_;
    std::optional<levit::ImageRGB8> newest_;
    std::atomic<double> fps_{0};
    std::atomic<quint64> frames_{0};
};

}  // namespace levit::ui
