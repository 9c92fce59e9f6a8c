#include "picture_cache.h"

#include <algorithm>

#include <QObject>

#include "image_convert.h"
#include "levit/error.h"
#include "media/image_decoder.h"

namespace levit::ui {

QImage PictureCache::find(const QString& source, int long_side) {
    const auto hit = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.source == source && (e.whole || std::max(e.picture.width(), e.picture.height()) >= long_side);
    });
    if (hit == entries_.end()) return {};
    Entry entry = std::move(*hit);
    entries_.erase(hit);
    entries_.push_front(std::move(entry));
    return entries_.front().picture;
}

PictureCache::Decoded PictureCache::decode(const LoadedImage& image, int long_side) {
    Decoded out;
    if (image.pixels) {
        // Not a second full-size copy of pixels the window already keeps: the size shown.
        const QImage whole = toQImage(*image.pixels);
        out.whole = std::max(whole.width(), whole.height()) <= long_side;
        out.picture = out.whole ? whole : whole.scaled(long_side, long_side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    } else if (image.from_file) {
        const levit::ImageRGB8 decoded = levit::media::decodeImageFileReduced(image.source.toStdString(), long_side);
        out.whole = decoded.width == image.size.width() && decoded.height == image.size.height();
        out.picture = toQImage(decoded);
    } else {
        throw levit::Error(QObject::tr("%1: there is no picture to show").arg(image.source).toStdString());
    }
    return out;
}

void PictureCache::insert(const QString& source, Decoded decoded) {
    // Same source at another size: the new one replaces it.
    std::erase_if(entries_, [&](const Entry& e) { return e.source == source; });
    entries_.push_front(Entry{source, std::move(decoded.picture), decoded.whole});
    if (int(entries_.size()) > capacity_) entries_.pop_back();
}

}  // namespace levit::ui
