// LevitImageProcessor in C++: Pillow's resampling filters reproduced bit for bit (separable passes with
// 22-bit fixed-point coefficients, horizontal first, 8-bit rounding between passes), transformers'
// resize-size rule and centre crop, then rescale and normalise exactly as numpy does it.
#include "levit/preprocess.h"

#include <algorithm>
#include <cmath>

#include "levit/error.h"

namespace levit {

namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kPi = 3.14159265358979323846;

// Pillow's resampling filters (Resample.c), by PIL id, with their support radius.
double boxFilter(double x) { return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; }
double bilinearFilter(double x) {
    if (x < 0.0) x = -x;
    return x < 1.0 ? 1.0 - x : 0.0;
}
double hammingFilter(double x) {
    if (x < 0.0) x = -x;
    if (x == 0.0) return 1.0;
    if (x >= 1.0) return 0.0;
    x = x * kPi;
    return std::sin(x) / x * (0.54 + 0.46 * std::cos(x));
}
double bicubicFilter(double x) {
    constexpr double a = -0.5;
    if (x < 0.0) x = -x;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}
double sinc(double x) {
    if (x == 0.0) return 1.0;
    x = x * kPi;
    return std::sin(x) / x;
}
double lanczosFilter(double x) { return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0; }

struct Filter {
    double (*weight)(double);
    double support;
};

enum PilFilter { kNearest = 0, kLanczos = 1, kBilinear = 2, kBicubic = 3, kBox = 4, kHamming = 5 };

Filter filterFor(int pil_id) {
    switch (pil_id) {
        case kLanczos: return {lanczosFilter, 3.0};
        case kBilinear: return {bilinearFilter, 1.0};
        case kBicubic: return {bicubicFilter, 2.0};
        case kBox: return {boxFilter, 0.5};
        case kHamming: return {hammingFilter, 1.0};
        default: throw Error("resample filter " + std::to_string(pil_id) + " is not one of PIL's (0 to 5)");
    }
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis.
struct AxisCoefficients {
    int taps = 0;                 // coefficients per output pixel
    std::vector<int> first, count;  // source window per output pixel
    std::vector<int> weights;     // fixed point, taps per output pixel
};

AxisCoefficients computeCoefficients(int in_size, int out_size, const Filter& filter) {
    const float in0 = 0.0f, in1 = static_cast<float>(in_size);
    const double scale = double(in1 - in0) / out_size;
    const double filterscale = std::max(scale, 1.0);
    const double support = filter.support * filterscale;
    AxisCoefficients c;
    c.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
    c.first.resize(out_size);
    c.count.resize(out_size);
    c.weights.assign(size_t(out_size) * c.taps, 0);
    std::vector<double> k(c.taps);
    for (int xx = 0; xx < out_size; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        const double ss = 1.0 / filterscale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax -= xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = filter.weight((x + xmin - center + 0.5) * ss);
            k[x] = w;
            ww += w;
        }
        for (int x = 0; x < xmax; ++x) {
            const double v = ww != 0.0 ? k[x] / ww : k[x];
            c.weights[size_t(xx) * c.taps + x] =
                v < 0 ? static_cast<int>(-0.5 + v * (1 << kPrecisionBits)) : static_cast<int>(0.5 + v * (1 << kPrecisionBits));
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
    }
    return c;
}

// Pillow's NEAREST resize: an affine scale (ImagingScaleAffine) whose source coordinates are accumulated in
// double precision step by step, then truncated.
std::vector<int> nearestSources(int in_size, int out_size) {
    std::vector<int> index(out_size);
    const double step = double(in_size) / out_size;
    double position = step * 0.5;
    for (int i = 0; i < out_size; ++i) {
        const int v = position < 0.0 ? -1 : static_cast<int>(position);
        index[i] = std::clamp(v, 0, in_size - 1);
        position += step;
    }
    return index;
}

void checkResizeTarget(int width, int height) {
    if (width < 1 || height < 1) throw Error("cannot resize to an empty size");
    if (width > kMaxResizedSide || height > kMaxResizedSide ||
        static_cast<long long>(width) * height > kMaxResizedPixels)
        throw Error("resizing to " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels is beyond the limit (sides up to " + std::to_string(kMaxResizedSide) + ", at most " +
                    std::to_string(kMaxResizedPixels) + " pixels)");
}

inline uint8_t clip8(int v) {
    if (v >= (255 << kPrecisionBits)) return 255;
    if (v <= 0) return 0;
    return static_cast<uint8_t>(v >> kPrecisionBits);
}

}  // namespace

Size2 resizeOutputSize(int height, int width, int shortest_edge_target) {
    const bool portrait = height > width;  // transformers: short, long = (w, h) if w <= h else (h, w)
    const int short_side = portrait ? width : height;
    const int long_side = portrait ? height : width;
    const int new_short = shortest_edge_target;
    const int new_long = static_cast<int>(static_cast<long long>(new_short) * long_side / short_side);
    return portrait ? Size2{new_long, new_short} : Size2{new_short, new_long};
}

ImageRGB8 resizePIL(const ImageRGB8& image, int out_width, int out_height, int filter_id) {
    if (image.width < 1 || image.height < 1) throw Error("cannot resize an empty image");
    checkResizeTarget(out_width, out_height);
    if (out_width == image.width && out_height == image.height) return image;  // PIL copies
    if (filter_id == kNearest) {
        const std::vector<int> xs = nearestSources(image.width, out_width), ys = nearestSources(image.height, out_height);
        ImageRGB8 out;
        out.width = out_width;
        out.height = out_height;
        out.pixels.resize(size_t(out_width) * out_height * 3);
        for (int y = 0; y < out_height; ++y) {
            const uint8_t* src = image.row(ys[y]);
            uint8_t* dst = out.pixels.data() + size_t(y) * out_width * 3;
            for (int x = 0; x < out_width; ++x) std::copy_n(src + size_t(xs[x]) * 3, 3, dst + size_t(x) * 3);
        }
        return out;
    }
    const Filter filter = filterFor(filter_id);
    const bool need_horizontal = out_width != image.width;
    const bool need_vertical = out_height != image.height;
    const AxisCoefficients horizontal = computeCoefficients(image.width, out_width, filter);
    const AxisCoefficients vertical = computeCoefficients(image.height, out_height, filter);

    // Horizontal pass over only the source rows the vertical pass will read.
    const int row_first = need_vertical ? vertical.first[0] : 0;
    const int row_last = need_vertical ? vertical.first[out_height - 1] + vertical.count[out_height - 1] : image.height;
    ImageRGB8 temp;
    const ImageRGB8* source = &image;
    if (need_horizontal) {
        temp.width = out_width;
        temp.height = row_last - row_first;
        temp.pixels.resize(size_t(temp.width) * temp.height * 3);
        for (int y = 0; y < temp.height; ++y) {
            const uint8_t* in = image.row(y + row_first);
            uint8_t* out = temp.pixels.data() + size_t(y) * out_width * 3;
            for (int xx = 0; xx < out_width; ++xx) {
                const int* k = horizontal.weights.data() + size_t(xx) * horizontal.taps;
                const int xmin = horizontal.first[xx];
                int s0 = 1 << (kPrecisionBits - 1), s1 = s0, s2 = s0;
                for (int x = 0; x < horizontal.count[xx]; ++x) {
                    const uint8_t* p = in + (x + xmin) * 3;
                    s0 += p[0] * k[x];
                    s1 += p[1] * k[x];
                    s2 += p[2] * k[x];
                }
                out[xx * 3 + 0] = clip8(s0);
                out[xx * 3 + 1] = clip8(s1);
                out[xx * 3 + 2] = clip8(s2);
            }
        }
        source = &temp;
    }
    if (!need_vertical) return need_horizontal ? temp : image;
    const int offset = need_horizontal ? row_first : 0;  // temp starts at row_first
    ImageRGB8 out;
    out.width = source->width;
    out.height = out_height;
    out.pixels.resize(size_t(out.width) * out_height * 3);
    for (int yy = 0; yy < out_height; ++yy) {
        const int* k = vertical.weights.data() + size_t(yy) * vertical.taps;
        const int ymin = vertical.first[yy] - offset;
        uint8_t* dst = out.pixels.data() + size_t(yy) * out.width * 3;
        for (int x = 0; x < out.width * 3; ++x) {
            int s = 1 << (kPrecisionBits - 1);
            for (int y = 0; y < vertical.count[yy]; ++y) s += source->row(y + ymin)[x] * k[y];
            dst[x] = clip8(s);
        }
    }
    return out;
}

ImageRGB8 centerCrop(const ImageRGB8& image, int crop_width, int crop_height) {
    ImageRGB8 out;
    out.width = crop_width;
    out.height = crop_height;
    out.pixels.assign(size_t(crop_width) * crop_height * 3, 0);
    const int top = (image.height - crop_height) / 2;   // may be negative: the image is padded with zeros
    const int left = (image.width - crop_width) / 2;
    const int top_floor = image.height - crop_height < 0 ? -((crop_height - image.height + 1) / 2) : top;
    const int left_floor = image.width - crop_width < 0 ? -((crop_width - image.width + 1) / 2) : left;
    for (int y = 0; y < crop_height; ++y) {
        const int sy = y + top_floor;
        if (sy < 0 || sy >= image.height) continue;
        for (int x = 0; x < crop_width; ++x) {
            const int sx = x + left_floor;
            if (sx < 0 || sx >= image.width) continue;
            std::copy_n(image.row(sy) + sx * 3, 3, out.pixels.data() + (size_t(y) * crop_width + x) * 3);
        }
    }
    return out;
}

Size2 resizedSize(int height, int width, const PreprocessConfig& config) {
    if (!config.do_resize) return {height, width};
    if (config.resize_height > 0 && config.resize_width > 0) return {config.resize_height, config.resize_width};
    return resizeOutputSize(height, width, static_cast<int>((256.0 / 224.0) * config.shortest_edge));
}

Size2 preprocessedSize(int height, int width, const PreprocessConfig& config) {
    if (config.do_center_crop) return {config.crop_height, config.crop_width};
    return resizedSize(height, width, config);
}

ImageRGB8 resizeAndCrop(const ImageRGB8& image, const PreprocessConfig& config) {
    if (image.width < 1 || image.height < 1 || image.pixels.size() != size_t(image.width) * image.height * 3)
        throw Error("the image is empty or its pixel buffer does not match " + std::to_string(image.width) + "x" +
                    std::to_string(image.height));
    ImageRGB8 current = image;
    if (config.do_resize) {
        const Size2 size = resizedSize(image.height, image.width, config);
        current = resizePIL(image, size.width, size.height, config.resample);
    }
    if (config.do_center_crop) current = centerCrop(current, config.crop_width, config.crop_height);
    return current;
}

void normalizeInto(const ImageRGB8& image, const PreprocessConfig& config, std::span<float> out) {
    const size_t plane = size_t(image.width) * image.height;
    if (image.pixels.size() != plane * 3)
        throw Error("the image's pixel buffer does not match " + std::to_string(image.width) + "x" +
                    std::to_string(image.height));
    if (out.size() != plane * 3)
        throw Error("preprocessing writes " + std::to_string(plane * 3) + " values for a " + std::to_string(image.width) +
                    "x" + std::to_string(image.height) + " image, but the buffer holds " + std::to_string(out.size()));
    for (int c = 0; c < 3; ++c) {
        const float mean = config.image_mean[c], std_dev = config.image_std[c];
        float* dst = out.data() + c * plane;
        for (size_t i = 0; i < plane; ++i) {
            float v = image.pixels[i * 3 + c];
            if (config.do_rescale) v = static_cast<float>(double(image.pixels[i * 3 + c]) * config.rescale_factor);
            if (config.do_normalize) v = (v - mean) / std_dev;
            dst[i] = v;
        }
    }
}

void preprocessInto(const ImageRGB8& image, const PreprocessConfig& config, std::span<float> out) {
    // Checked before any work: a wrong buffer is the caller's bug, reported as such.
    const Size2 size = preprocessedSize(image.height, image.width, config);
    if (out.size() != size_t(3) * size.height * size.width)
        throw Error("preprocessing gives a " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                    " image (" + std::to_string(size_t(3) * size.height * size.width) + " values), but the buffer holds " +
                    std::to_string(out.size()));
    normalizeInto(resizeAndCrop(image, config), config, out);
}

void checkPreprocessingFitsModel(const Config& config, const std::string& source) {
    const PreprocessConfig& p = config.preprocess;
    const int s = config.image_size;
    auto fail = [&](const std::string& what, int h, int w) {
        throw Error(source + ": " + what + " " + std::to_string(w) + "x" + std::to_string(h) +
                    " does not match the model's input size " + std::to_string(s) + "x" + std::to_string(s) +
                    " (image_size in config.json)");
    };
    if (p.do_center_crop) {
        if (p.crop_height != s || p.crop_width != s) fail("crop_size", p.crop_height, p.crop_width);
    } else if (p.do_resize && p.resize_height > 0) {
        if (p.resize_height != s || p.resize_width != s) fail("with do_center_crop false, the resize size", p.resize_height, p.resize_width);
    }
}

std::vector<float> preprocess(const ImageRGB8& image, const PreprocessConfig& config) {
    const ImageRGB8 geometry = resizeAndCrop(image, config);
    std::vector<float> out(size_t(3) * geometry.height * geometry.width);
    normalizeInto(geometry, config, out);
    return out;
}

}  // namespace levit
