#pragma once
// Between the engine's RGB8 images and Qt's QImage.
#include <QImage>

#include "levit/image.h"

namespace levit::ui {

QImage toQImage(const levit::ImageRGB8& image);
levit::ImageRGB8 fromQImage(const QImage& image);  // any format; alpha dropped like PIL's convert("RGB")

}  // namespace levit::ui
