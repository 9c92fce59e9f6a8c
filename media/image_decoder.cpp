#include "image_decoder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "frame_convert.h"
#include "image_header.h"
#include "jpeg_integrity.h"
#include "levit/error.h"

namespace levit::media {

namespace {

std::string mebibytes(int64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

void checkFileSize(int64_t size, const std::string& name) {
    if (size > kMaxImageFileBytes)
        throw Error(name + ": file is " + mebibytes(size) + "; the limit for images is " +
                    mebibytes(kMaxImageFileBytes));
}

// Only regular files: a FIFO or device (/dev/zero) would block or never end.
void checkRegularFile(const struct stat& st, const std::string& path) {
    if (S_ISDIR(st.st_mode)) throw Error(path + ": is a folder, not an image");
    if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file (a device, pipe or socket), not an image");
    checkFileSize(st.st_size, path);
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { if (fd_ >= 0) ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::vector<uint8_t> readRegularFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) throw Error(path + ": no such file");
        throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    checkRegularFile(st, path);
    // O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() must not wait for a writer.
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    if (::fstat(fd.get(), &st) != 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    checkRegularFile(st, path);
    std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size));
    size_t got = 0;
    for (;;) {
        // At the size fstat() gave, usually the end; but the file may have grown since (or be one of
        // /proc's, which say 0): read on, within the limit.
        const bool probing = got == bytes.size();
        uint8_t probe = 0;
        const ssize_t n = probing ? ::read(fd.get(), &probe, 1) : ::read(fd.get(), bytes.data() + got, bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(path + ": cannot read (" + std::strerror(errno) + ")");
        if (n == 0) break;
        if (probing) {
            checkFileSize(int64_t(got) + 1, path);
            bytes.resize(std::min<size_t>(std::max<size_t>(got * 2, 1 << 16), size_t(kMaxImageFileBytes)));
            bytes[got] = probe;
        }
        got += size_t(n);
    }
    bytes.resize(got);
    return bytes;
}

// 16-bit and float images go to 8-bit a band of rows at a time, so no full-size 8-bit copy exists
// beside the decoded image and the result.
ImageRGB8 toRgb8(const cv::Mat& decoded, const std::string& name) {
    if (decoded.depth() == CV_8U) return fromBgrFrame(decoded);
    double scale = 0.0;
    if (decoded.depth() == CV_16U) scale = 1.0 / 257.0;
    else if (decoded.depth() == CV_32F) scale = 255.0;
    else throw Error(name + ": unsupported pixel depth (OpenCV depth " + std::to_string(decoded.depth()) + ")");
    ImageRGB8 image;
    image.width = decoded.cols;
    image.height = decoded.rows;
    image.pixels.resize(size_t(decoded.cols) * decoded.rows * 3);
    constexpr int kBand = 64;
    cv::Mat band8;
    for (int y = 0; y < decoded.rows; y += kBand) {
        const cv::Range rows(y, std::min(y + kBand, decoded.rows));
        decoded.rowRange(rows).convertTo(band8, CV_8U, scale);
        const ImageRGB8 band = fromBgrFrame(band8);
        std::copy(band.pixels.begin(), band.pixels.end(), image.pixels.begin() + ptrdiff_t(y) * decoded.cols * 3);
    }
    return image;
}

}  // namespace

namespace {

// Every check before a codec runs, then the decode with `imread_flags` (which may ask OpenCV to reduce JPEGs
// while decoding). Returns the decoded image, still BGR and of any depth.
cv::Mat decodeChecked(const std::vector<uint8_t>& bytes, const std::string& name, int imread_flags) {
    if (bytes.empty()) throw Error(name + ": empty file");
    checkFileSize(int64_t(bytes.size()), name);
    const std::optional<ImageHeader> header = readImageHeader(bytes, name);
    if (!header)
        throw Error(name + ": not an image this program can read (supported: PNG, JPEG, WebP, BMP, TIFF, "
                           "PNM/PAM/PFM, Radiance HDR, OpenEXR, JPEG 2000, Sun raster)");
    const int64_t max_pixels = pixelLimitFor(header->format);
    checkImageLimits(header->width, header->height, name, max_pixels);
    if (header->format == "JPEG") checkJpegIntegrity(bytes, name);
    cv::Mat decoded;
    try {
        // IMREAD_COLOR applies the EXIF orientation, replicates gray and drops alpha like PIL's convert("RGB").
        decoded = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data())),
                               imread_flags);
    } catch (const cv::Exception& e) {
        throw Error(name + ": image is damaged or a " + header->format + " variant OpenCV cannot decode (" +
                    std::string(e.err).substr(0, 200) + ")");
    }
    if (decoded.empty())
        throw Error(name + ": image is damaged or a " + header->format + " variant OpenCV cannot decode");
    checkImageLimits(decoded.cols, decoded.rows, name, max_pixels);
    return decoded;
}

// The largest of 1, 2, 4, 8 by which an image of this size can be divided and keep `min_long_side` pixels
// on its longer side.
int reductionFor(int width, int height, int min_long_side) {
    int factor = 1;
    while (factor < 8 && std::max(width, height) / (factor * 2) >= min_long_side) factor *= 2;
    return factor;
}

}  // namespace

ImageRGB8 decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& name) {
    return toRgb8(decodeChecked(bytes, name, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH), name);
}

ImageRGB8 decodeImageFileReduced(const std::string& path, int min_long_side) {
    const std::vector<uint8_t> bytes = readRegularFile(path);
    const std::optional<ImageHeader> header = readImageHeader(bytes, path);
    const int factor = header ? reductionFor(int(header->width), int(header->height), std::max(1, min_long_side)) : 1;
    if (header && header->format == "JPEG" && factor > 1) {
        // libjpeg scales while it decodes (DCT scaling): a fraction of the time and memory of the full image.
        const int flag = factor == 2 ? cv::IMREAD_REDUCED_COLOR_2 : factor == 4 ? cv::IMREAD_REDUCED_COLOR_4 : cv::IMREAD_REDUCED_COLOR_8;
        return toRgb8(decodeChecked(bytes, path, flag), path);
    }
    cv::Mat decoded = decodeChecked(bytes, path, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
    if (factor > 1) {
        cv::Mat reduced;
        cv::resize(decoded, reduced, cv::Size(std::max(1, decoded.cols / factor), std::max(1, decoded.rows / factor)), 0, 0, cv::INTER_AREA);
        decoded = std::move(reduced);
    }
    return toRgb8(decoded, path);
}

ImageRGB8 decodeImageFile(const std::string& path) { return decodeImageBytes(readRegularFile(path), path); }

std::vector<std::string> supportedImageExtensions() {
    // The codecs Debian's OpenCV 4.6 is built with (cv::haveImageReader wants an existing file), as far
    // as image_header.cpp reads their headers.
    return {"png", "jpg", "jpeg", "jpe", "bmp", "dib", "tif", "tiff", "webp", "pbm", "pgm", "ppm", "pnm",
            "pxm", "pam", "pfm", "sr", "ras", "exr", "hdr", "pic", "jp2", "j2k"};
}

}  // namespace levit::media
