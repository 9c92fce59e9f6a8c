#pragma once
// The PNG of `levit explain`: the model's input image with the map over it (jet colours, half opacity), a
// colour bar with the map's range, and a caption line naming model, class, head and method.
#include <span>
#include <string>

#include "levit/config.h"
#include "levit/explain.h"
#include "levit/image.h"

namespace levit::cli {

// The S x S RGB picture of normalised pixel values (the preprocessor's normalisation undone), for
// --pixel-values inputs that have no image file.
ImageRGB8 pictureOfPixelValues(std::span<const float> pixels, const Config& config);

// Throws levit::Error naming `path` when the file cannot be written.
void writeExplanationFigure(const std::string& path, const ImageRGB8& picture, const SquareMap& map, const std::string& caption);

}  // namespace levit::cli
