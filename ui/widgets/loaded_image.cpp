#include "loaded_image.h"

#include "levit/preprocess.h"

namespace levit::ui {

namespace {

bool samePreprocessing(const levit::PreprocessConfig& a, const levit::PreprocessConfig& b) {
    return a.do_resize == b.do_resize && a.shortest_edge == b.shortest_edge && a.resize_height == b.resize_height &&
           a.resize_width == b.resize_width && a.resample == b.resample && a.do_center_crop == b.do_center_crop &&
           a.crop_height == b.crop_height && a.crop_width == b.crop_width;
}

}  // namespace

bool ModelInput::fits(const levit::Config& config) const {
    // Rescaling and normalisation are applied when classifying, so only the resize and crop must match.
    return pixels && pixels->width == config.image_size && pixels->height == config.image_size &&
           samePreprocessing(preprocess, config.preprocess);
}

ModelInput makeModelInput(const levit::ImageRGB8& full, const levit::Config& config) {
    const levit::Size2 size = levit::preprocessedSize(full.height, full.width, config.preprocess);
    if (size.height != config.image_size || size.width != config.image_size) return {};
    return {std::make_shared<const levit::ImageRGB8>(levit::resizeAndCrop(full, config.preprocess)), config.preprocess};
}

}  // namespace levit::ui
