#include "picture_loader.h"
#include "pool_task.h"

#include <QFutureWatcher>
#include <QThreadPool>

namespace levit::ui {

namespace {

// Pixels in memory up to this many are scaled on the spot; a pasted 50-megapixel image goes the background way.
constexpr qint64 kScaledAtOncePixels = 4'000'000;

struct PictureJob {
    PictureCache::Decoded decoded;
    QString error;
    bool skipped = false;  // a newer picture was asked for before this job started
};

}  // namespace

PictureLoader::PictureLoader(QThreadPool* pool, QObject* parent) : QObject(parent), pool_(pool) {}

std::optional<QImage> PictureLoader::request(const LoadedImage& image, int long_side) {
    const quint64 request = ++*latest_;
    const QImage cached = cache_.find(image.source, long_side);
    if (!cached.isNull()) return cached;
    const bool few_pixels = image.pixels && qint64(image.pixels->width) * image.pixels->height <= kScaledAtOncePixels;
    if (few_pixels || (!image.pixels && !image.from_file)) {  // the latter: decode() refuses it at once
        cache_.insert(image.source, PictureCache::decode(image, long_side));
        return cache_.find(image.source, long_side);
    }
    auto* watcher = new QFutureWatcher<PictureJob>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request, source = image.source] {
        watcher->deleteLater();
        PictureJob job = watcher->result();
        if (job.skipped) ++skipped_;
        const bool newest = request == *latest_;
        if (!job.error.isEmpty()) {
            if (newest) emit failed(source, job.error);
            return;
        }
        if (job.skipped) return;
        const QImage picture = job.decoded.picture;
        cache_.insert(source, std::move(job.decoded));
        if (newest) emit ready(source, picture);
    });
    watcher->setFuture(runInPool(pool_, [image, long_side, request, latest = latest_] {
        PictureJob job;
        if (latest->load() != request) {
            job.skipped = true;
            return job;
        }
        try {
            job.decoded = PictureCache::decode(image, long_side);
        } catch (const std::exception& e) {
            job.error = QString::fromUtf8(e.what());
        }
        return job;
    }));
    return std::nullopt;
}

}  // namespace levit::ui
