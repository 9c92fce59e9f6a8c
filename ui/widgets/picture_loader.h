#pragma once
// The picture on the left, at the size it is shown: from the cache, scaled at once when the image's pixels
// are few, otherwise decoded in the background (a 90-megapixel PNG takes seconds) and announced by `ready`
// or `failed`. Only the newest request is announced; older ones still fill the cache, and those still queued
// when a newer one is made skip their decode (scrolling through a folder of photos queues one per image).
#include <QImage>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

#include "loaded_image.h"
#include "picture_cache.h"

class QThreadPool;

namespace levit::ui {

class PictureLoader : public QObject {
    Q_OBJECT
public:
    PictureLoader(QThreadPool* pool, QObject* parent = nullptr);

    // The picture now when it needs no decode (nullopt: it comes by `ready` or `failed`). Throws levit::Error
    // when an image without a file or pixels can show nothing.
    std::optional<QImage> request(const LoadedImage& image, int long_side);
    // Something else (a live frame) is shown now: whatever is pending is no longer announced.
    void supersede() { ++*latest_; }
    int skippedDecodes() const { return skipped_; }

signals:
    void ready(const QString& source, const QImage& picture);
    void failed(const QString& source, const QString& message);

private:
    QThreadPool* pool_;
    PictureCache cache_;
    // Shared with the decode jobs, so a queued one can see that it is stale.
    std::shared_ptr<std::atomic<quint64>> latest_ = std::make_shared<std::atomic<quint64>>(0);
    int skipped_ = 0;
};

}  // namespace levit::ui
