#pragma once
// The picture shown on the left for the last few images, decoded from the file at about the size it is
// shown (a 12 MP JPEG at 1/4 or 1/8 by libjpeg), so browsing a folder of photos never holds them at full
// size. Images without a file are scaled from the pixels the window keeps. `decode` touches no cache
// state, so the window runs it off the GUI thread (a 90-megapixel PNG takes seconds) and `insert`s after.
#include <QImage>
#include <QString>

#include <deque>

#include "loaded_image.h"

namespace levit::ui {

class PictureCache {
public:
    explicit PictureCache(int capacity = 6) : capacity_(capacity) {}

    struct Decoded {
        QImage picture;
        bool whole = false;  // the image at full resolution: enough for any size
    };

    // A cached picture of `source` good for `long_side`, made the most recently used; null when none.
    QImage find(const QString& source, int long_side);
    // `image` with its longer side at least `long_side` pixels where it is that large (never enlarged), without
    // the cache: callable from any thread. Throws levit::Error when the file can no longer be decoded.
    static Decoded decode(const LoadedImage& image, int long_side);
    // Keeps `decoded` as `source`'s picture (replacing one at another size); the oldest beyond capacity goes.
    void insert(const QString& source, Decoded decoded);

private:
    struct Entry {
        QString source;
        QImage picture;
        bool whole = false;  // the image at full resolution: enough for any size
    };
    std::deque<Entry> entries_;  // most recently used first
    int capacity_;
};

}  // namespace levit::ui
