#include "image_decoder.h"

#include <opencv2/imgcodecs.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "frame_convert.h"
#include "levit/error.h"

namespace levit::media {

namespace {

// Width and height from a PNG, JPEG, GIF or BMP header, without decoding: lets us refuse a file that
// claims to be 50000 x 50000 before OpenCV allocates for it. Returns false when the format is unknown.
bool peekDimensions(const std::vector<uint8_t>& b, int64_t& width, int64_t& height) {
    auto be32 = [&](size_t i) { return int64_t(b[i]) << 24 | int64_t(b[i + 1]) << 16 | int64_t(b[i + 2]) << 8 | b[i + 3]; };
    auto be16 = [&](size_t i) { return int64_t(b[i]) << 8 | b[i + 1]; };
    auto le32 = [&](size_t i) { return int64_t(int32_t(uint32_t(b[i]) | uint32_t(b[i + 1]) << 8 | uint32_t(b[i + 2]) << 16 | uint32_t(b[i + 3]) << 24)); };
    if (b.size() >= 24 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0 && std::memcmp(b.data() + 12, "IHDR", 4) == 0) {
        width = be32(16);
        height = be32(20);
        return true;
    }
    if (b.size() >= 26 && b[0] == 'B' && b[1] == 'M') {
        width = le32(18);
        height = std::abs(le32(22));
        return true;
    }
    if (b.size() >= 10 && std::memcmp(b.data(), "GIF8", 4) == 0) {
        width = b[6] | b[7] << 8;
        height = b[8] | b[9] << 8;
        return true;
    }
    if (b.size() >= 4 && b[0] == 0xFF && b[1] == 0xD8) {
        size_t i = 2;
        while (i + 9 < b.size()) {
            if (b[i] != 0xFF) return false;
            const uint8_t marker = b[i + 1];
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2;
                continue;
            }
            const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                height = be16(i + 5);
                width = be16(i + 7);
                return true;
            }
            i += 2 + size_t(be16(i + 2));
        }
    }
    return false;
}

void checkSize(int64_t width, int64_t height, const std::string& name) {
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels)
        throw Error(name + ": image is " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels; the limit is " + std::to_string(kMaxImageSide) + " on the longest side and " +
                    std::to_string(kMaxImagePixels / 1'000'000) + " megapixels");
}

ImageRGB8 toRgb8(const cv::Mat& decoded, const std::string& name) {
    cv::Mat eight = decoded;
    if (decoded.depth() == CV_16U) decoded.convertTo(eight, CV_8U, 1.0 / 257.0);
    else if (decoded.depth() == CV_32F) decoded.convertTo(eight, CV_8U, 255.0);
    else if (decoded.depth() != CV_8U) throw Error(name + ": unsupported pixel depth");
    return fromBgrFrame(eight);
}

}  // namespace

ImageRGB8 decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (bytes.empty()) throw Error(name + ": empty file");
    int64_t width = 0, height = 0;
    if (peekDimensions(bytes, width, height)) {
        if (width <= 0 || height <= 0) throw Error(name + ": the header claims an image of " + std::to_string(width) + "x" + std::to_string(height) + " pixels (corrupt file)");
        checkSize(width, height, name);
    }
    cv::Mat decoded;
    try {
        // IMREAD_COLOR applies the EXIF orientation, replicates gray and drops alpha like PIL's convert("RGB").
        decoded = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data())),
                               cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception& e) {
        throw Error(name + ": not an image OpenCV can decode (" + std::string(e.what()).substr(0, 200) + ")");
    }
    if (decoded.empty()) throw Error(name + ": not an image OpenCV can decode (corrupt or unsupported format)");
    checkSize(decoded.cols, decoded.rows, name);
    return toRgb8(decoded, name);
}

ImageRGB8 decodeImageFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path + ": no such file");
    if (std::filesystem::is_directory(path, ec)) throw Error(path + ": is a folder, not an image");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > (1ull << 30)) throw Error(path + ": file is larger than 1 GiB");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return decodeImageBytes(bytes, path);
}

std::vector<std::string> supportedImageExtensions() {
    // The codecs Debian's OpenCV 4.6 is built with (cv::haveImageReader wants an existing file).
    return {"png", "jpg", "jpeg", "jpe", "bmp", "dib", "tif", "tiff", "webp", "pbm", "pgm", "ppm", "pnm",
            "pxm", "sr", "ras", "exr", "hdr", "pic", "jp2"};
}

}  // namespace levit::media
