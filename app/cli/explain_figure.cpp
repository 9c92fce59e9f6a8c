// The figure of `levit explain`, drawn with OpenCV (imgproc for the colour map and text, imgcodecs for PNG).
#include "explain_figure.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "levit/error.h"

namespace levit::cli {

namespace {

constexpr int kMinFigureSide = 448;  // small inputs (96 px) are enlarged so the caption fits and cells show
constexpr int kCaptionHeight = 34;
constexpr int kBarWidth = 18;
constexpr int kBarLabelWidth = 70;
constexpr double kMapOpacity = 0.5;

std::string formatValue(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return text;
}

// The map scaled to 0..255 over its own range (a flat map is all 0).
cv::Mat mapToBytes(const SquareMap& map, float low, float high) {
    cv::Mat bytes(map.side, map.side, CV_8UC1);
    const float range = high - low;
    for (int y = 0; y < map.side; ++y)
        for (int x = 0; x < map.side; ++x) {
            const float v = map.values[size_t(y) * map.side + x];
            bytes.at<uint8_t>(y, x) = range > 0 ? uint8_t(std::lround(255.0f * (v - low) / range)) : 0;
        }
    return bytes;
}

void drawColourBar(cv::Mat& canvas, int left, int top, int height, float low, float high) {
    cv::Mat ramp(height, 1, CV_8UC1);
    for (int y = 0; y < height; ++y) ramp.at<uint8_t>(y, 0) = uint8_t(255 - (255 * y) / std::max(1, height - 1));
    cv::Mat coloured;
    cv::applyColorMap(ramp, coloured, cv::COLORMAP_JET);
    cv::resize(coloured, coloured, cv::Size(kBarWidth, height), 0, 0, cv::INTER_NEAREST);
    coloured.copyTo(canvas(cv::Rect(left, top, kBarWidth, height)));
    const cv::Scalar ink(20, 20, 20);
    cv::putText(canvas, formatValue(high), {left + kBarWidth + 4, top + 12}, cv::FONT_HERSHEY_SIMPLEX, 0.42, ink, 1, cv::LINE_AA);
    cv::putText(canvas, formatValue(low), {left + kBarWidth + 4, top + height - 2}, cv::FONT_HERSHEY_SIMPLEX, 0.42, ink, 1, cv::LINE_AA);
}

// One line of text shrunk until it fits `width`.
void drawCaption(cv::Mat& canvas, const std::string& caption, int width) {
    double scale = 0.55;
    int baseline = 0;
    while (scale > 0.3 && cv::getTextSize(caption, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline).width > width - 16) scale -= 0.05;
    cv::putText(canvas, caption, {8, kCaptionHeight - 12}, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(20, 20, 20), 1, cv::LINE_AA);
}

}  // namespace

ImageRGB8 pictureOfPixelValues(std::span<const float> pixels, const Config& config) {
    const PreprocessConfig& p = config.preprocess;
    const int s = config.image_size, plane = s * s;
    ImageRGB8 picture;
    picture.width = picture.height = s;
    picture.pixels.resize(size_t(plane) * 3);
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < plane; ++i) {
            double v = pixels[size_t(c) * plane + i];
            if (p.do_normalize) v = v * p.image_std[c] + p.image_mean[c];
            if (p.do_rescale && p.rescale_factor > 0) v /= p.rescale_factor;
            picture.pixels[size_t(i) * 3 + c] = uint8_t(std::clamp(std::lround(v), 0L, 255L));
        }
    return picture;
}

void writeExplanationFigure(const std::string& path, const ImageRGB8& picture, const SquareMap& map, const std::string& caption) {
    const int scale = std::max(1, (kMinFigureSide + map.side - 1) / map.side);
    const int side = map.side * scale;
    cv::Mat rgb(picture.height, picture.width, CV_8UC3, const_cast<uint8_t*>(picture.pixels.data()));
    cv::Mat image;
    cv::cvtColor(rgb, image, cv::COLOR_RGB2BGR);
    cv::resize(image, image, cv::Size(side, side), 0, 0, cv::INTER_LINEAR);
    const auto [low, high] = std::minmax_element(map.values.begin(), map.values.end());
    cv::Mat heat;
    cv::applyColorMap(mapToBytes(map, *low, *high), heat, cv::COLORMAP_JET);
    cv::resize(heat, heat, cv::Size(side, side), 0, 0, cv::INTER_LINEAR);
    cv::Mat blended;
    cv::addWeighted(image, 1.0 - kMapOpacity, heat, kMapOpacity, 0.0, blended);

    const int width = side + 12 + kBarWidth + kBarLabelWidth;
    cv::Mat canvas(kCaptionHeight + side + 8, width, CV_8UC3, cv::Scalar(255, 255, 255));
    blended.copyTo(canvas(cv::Rect(0, kCaptionHeight, side, side)));
    drawColourBar(canvas, side + 8, kCaptionHeight, side, *low, *high);
    drawCaption(canvas, caption, width);
    bool written = false;
    try {
        written = cv::imwrite(path, canvas);
    } catch (const cv::Exception&) {
        written = false;
    }
    if (!written) throw Error(path + ": cannot write the figure");
}

}  // namespace levit::cli
