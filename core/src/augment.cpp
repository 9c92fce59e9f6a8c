#include "levit/augment.h"

#include <algorithm>
#include <cmath>

#include "levit/error.h"
#include "levit/preprocess.h"

namespace levit {

namespace {

struct Box {
    int x = 0, y = 0, width = 0, height = 0;
};

// torchvision's RandomResizedCrop.get_params: ten tries at a random area and log-uniform aspect ratio,
// else the largest centred crop within the ratio range.
Box randomCrop(int width, int height, const AugmentSettings& s, std::mt19937& rng) {
    const double area = double(width) * height;
    std::uniform_real_distribution<double> scale(std::clamp(s.min_scale, 0.01, 1.0), 1.0);
    std::uniform_real_distribution<double> log_ratio(-std::log(s.max_aspect), std::log(s.max_aspect));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * scale(rng), ratio = std::exp(log_ratio(rng));
        const int w = int(std::lround(std::sqrt(target * ratio))), h = int(std::lround(std::sqrt(target / ratio)));
        if (w > 0 && h > 0 && w <= width && h <= height) {
            std::uniform_int_distribution<int> x(0, width - w), y(0, height - h);
            return {x(rng), y(rng), w, h};
        }
    }
    const double ratio = double(width) / height;
    int w = width, h = height;
    if (ratio < 1.0 / s.max_aspect) h = int(std::lround(w * s.max_aspect));
    else if (ratio > s.max_aspect) w = int(std::lround(h * s.max_aspect));
    return {(width - w) / 2, (height - h) / 2, w, h};
}

ImageRGB8 crop(const ImageRGB8& image, const Box& box) {
    ImageRGB8 out;
    out.width = box.width;
    out.height = box.height;
    out.pixels.resize(size_t(box.width) * box.height * 3);
    for (int y = 0; y < box.height; ++y)
        std::copy_n(image.row(box.y + y) + size_t(box.x) * 3, size_t(box.width) * 3, out.pixels.data() + size_t(y) * box.width * 3);
    return out;
}

void flipHorizontally(ImageRGB8& image) {
    for (int y = 0; y < image.height; ++y) {
        uint8_t* row = image.pixels.data() + size_t(y) * image.width * 3;
        for (int a = 0, b = image.width - 1; a < b; ++a, --b) std::swap_ranges(row + a * 3, row + a * 3 + 3, row + b * 3);
    }
}

// Brightness, contrast and saturation as torchvision's ColorJitter defines them (grey = ITU-R 601 luma).
void jitterColours(ImageRGB8& image, double amount, std::mt19937& rng) {
    std::uniform_real_distribution<double> factor(1.0 - amount, 1.0 + amount);
    const double brightness = factor(rng), contrast = factor(rng), saturation = factor(rng);
    auto grey = [](double r, double g, double b) { return 0.299 * r + 0.587 * g + 0.114 * b; };
    double mean = 0;
    const size_t n = size_t(image.width) * image.height;
    for (size_t i = 0; i < n; ++i) mean += grey(image.pixels[3 * i], image.pixels[3 * i + 1], image.pixels[3 * i + 2]);
    mean = brightness * mean / double(std::max<size_t>(n, 1));
    for (size_t i = 0; i < n; ++i) {
        double c[3];
        for (int k = 0; k < 3; ++k) c[k] = image.pixels[3 * i + k] * brightness;
        for (int k = 0; k < 3; ++k) c[k] = (c[k] - mean) * contrast + mean;
        const double g = grey(c[0], c[1], c[2]);
        for (int k = 0; k < 3; ++k)
            image.pixels[3 * i + k] = static_cast<uint8_t>(std::clamp(std::lround((c[k] - g) * saturation + g), 0L, 255L));
    }
}

}  // namespace

ImageRGB8 augmentImage(const ImageRGB8& image, const PreprocessConfig& processor, int size, const AugmentSettings& s,
                       std::mt19937& rng) {
    if (image.width < 1 || image.height < 1) throw Error("cannot augment an empty image");
    ImageRGB8 out;
    if (s.random_resized_crop) {
        out = resizePIL(crop(image, randomCrop(image.width, image.height, s, rng)), size, size, processor.resample);
    } else {
        out = resizeAndCrop(image, processor);
        if (out.width != size || out.height != size) out = resizePIL(out, size, size, processor.resample);
    }
    if (s.horizontal_flip && std::bernoulli_distribution(0.5)(rng)) flipHorizontally(out);
    if (s.color_jitter > 0) jitterColours(out, std::min(s.color_jitter, 0.9), rng);
    return out;
}

}  // namespace levit
