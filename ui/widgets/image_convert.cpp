#include "image_convert.h"

#include <cstring>

namespace levit::ui {

QImage toQImage(const levit::ImageRGB8& image) {
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y) std::memcpy(out.scanLine(y), image.row(y), size_t(image.width) * 3);
    return out;
}

levit::ImageRGB8 fromQImage(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    levit::ImageRGB8 out;
    out.width = rgb.width();
    out.height = rgb.height();
    out.pixels.resize(size_t(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y) std::memcpy(out.pixels.data() + size_t(y) * out.width * 3, rgb.constScanLine(y), size_t(out.width) * 3);
    return out;
}

}  // namespace levit::ui
