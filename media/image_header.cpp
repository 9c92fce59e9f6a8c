#include "image_header.h"

#include <cctype>
#include <cstring>
#include <string_view>

#include "levit/error.h"

namespace levit::media {

namespace {

struct Truncated {};  // a field lies past the end of the bytes

// Bounds-checked reads: every access names its offset and length, and anything past the end throws
// Truncated, so no parser below can read outside `bytes` however the header lies.
class Reader {
public:
    explicit Reader(std::span<const uint8_t> b) : b_(b) {}
    size_t size() const { return b_.size(); }
    uint8_t u8(size_t i) const { return at(i, 1)[0]; }
    uint32_t be16(size_t i) const { const uint8_t* p = at(i, 2); return uint32_t(p[0]) << 8 | p[1]; }
    uint32_t le16(size_t i) const { const uint8_t* p = at(i, 2); return uint32_t(p[1]) << 8 | p[0]; }
    uint32_t le24(size_t i) const { const uint8_t* p = at(i, 3); return uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0]; }
    uint32_t be32(size_t i) const { return be16(i) << 16 | be16(i + 2); }
    uint32_t le32(size_t i) const { return le16(i + 2) << 16 | le16(i); }
    uint64_t be64(size_t i) const { return uint64_t(be32(i)) << 32 | be32(i + 4); }
    uint64_t le64(size_t i) const { return uint64_t(le32(i + 4)) << 32 | le32(i); }
    uint32_t u16(size_t i, bool little) const { return little ? le16(i) : be16(i); }
    uint32_t u32(size_t i, bool little) const { return little ? le32(i) : be32(i); }
    uint64_t u64(size_t i, bool little) const { return little ? le64(i) : be64(i); }
    // False (not Truncated) when the bytes are too short: used to recognise a format.
    bool has(size_t i, std::string_view s) const {
        return i <= b_.size() && s.size() <= b_.size() - i && std::memcmp(b_.data() + i, s.data(), s.size()) == 0;
    }

private:
    const uint8_t* at(size_t i, size_t n) const {
        if (i > b_.size() || n > b_.size() - i) throw Truncated{};
        return b_.data() + i;
    }
    std::span<const uint8_t> b_;
};

using Header = std::optional<ImageHeader>;

Header jpegHeader(const Reader& r) {
    // Markers up to the first frame header (SOF); SOS or EOI before it means there is no frame.
    size_t i = 2;
    for (;;) {
        while (r.u8(i) != 0xFF) ++i;  // stray bytes: libjpeg skips them too (with a warning)
        while (r.u8(i + 1) == 0xFF) ++i;  // fill bytes
        const uint8_t marker = r.u8(i + 1);
        i += 2;
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
        if (marker == 0xDA || marker == 0xD9) throw Error("no JPEG frame header before the image data");
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) return ImageHeader{"JPEG", r.be16(i + 5), r.be16(i + 3)};
        const uint32_t length = r.be16(i);
        if (length < 2) throw Error("JPEG segment length " + std::to_string(length) + " is invalid");
        i += length;
    }
}

Header bmpHeader(const Reader& r) {
    const uint32_t dib = r.le32(14);
    if (dib == 12) return ImageHeader{"BMP", r.le16(18), r.le16(20)};  // OS/2 1.x core header
    // Negative heights mean top-down rows.
    const int64_t width = int32_t(r.le32(18)), height = int32_t(r.le32(22));
    return ImageHeader{"BMP", width, height < 0 ? -height : height};
}

Header webpHeader(const Reader& r) {
    if (r.has(12, "VP8 ")) {
        if (r.u8(23) != 0x9D || r.u8(24) != 0x01 || r.u8(25) != 0x2A) throw Error("WebP key frame start code is missing");
        return ImageHeader{"WebP", r.le16(26) & 0x3FFF, r.le16(28) & 0x3FFF};
    }
    if (r.has(12, "VP8L")) {
        if (r.u8(20) != 0x2F) throw Error("WebP lossless signature is missing");
        const uint32_t bits = r.le32(21);
        return ImageHeader{"WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (r.has(12, "VP8X")) return ImageHeader{"WebP", int64_t(r.le24(24)) + 1, int64_t(r.le24(27)) + 1};
    throw Error("WebP file has no VP8, VP8L or VP8X chunk where the format puts it");
}

Header tiffHeader(const Reader& r, bool little, bool big_tiff) {
    // ImageWidth (256) and ImageLength (257) of the first directory, which OpenCV decodes.
    uint64_t dir = 0, count = 0;
    size_t entry_size = 12, value_at = 8, first_entry = 2;
    if (big_tiff) {
        if (r.u16(4, little) != 8) throw Error("BigTIFF offset size is not 8");
        dir = r.u64(8, little);
        count = r.u64(dir, little);
        entry_size = 20, value_at = 12, first_entry = 8;
    } else {
        dir = r.u32(4, little);
        count = r.u16(dir, little);
    }
    int64_t width = -1, height = -1;
    for (uint64_t k = 0; k < count && (width < 0 || height < 0); ++k) {
        if (k > r.size() / entry_size) throw Truncated{};  // also keeps the offset arithmetic from overflowing
        const size_t e = size_t(dir) + first_entry + size_t(k) * entry_size;
        const uint32_t tag = r.u16(e, little), type = r.u16(e + 2, little);
        if (tag != 256 && tag != 257) continue;
        int64_t value = 0;
        if (type == 3) value = r.u16(e + value_at, little);                    // SHORT
        else if (type == 4) value = r.u32(e + value_at, little);               // LONG
        else if (type == 16 && big_tiff) value = int64_t(r.u64(e + value_at, little) & 0x7FFFFFFFFFFFFFFF);  // LONG8
        else throw Error("TIFF image size has field type " + std::to_string(type));
        (tag == 256 ? width : height) = value;
    }
    if (width < 0 || height < 0) throw Error("TIFF first directory has no ImageWidth or ImageLength");
    return ImageHeader{"TIFF", width, height};
}

// Text headers (PNM, PAM, PFM, Radiance HDR): whitespace-separated tokens, '#' comments to the line end.
class Tokens {
public:
    Tokens(const Reader& r, size_t start) : r_(r), i_(start) {}
    std::string next() {
        for (;;) {
            while (std::isspace(r_.u8(i_))) ++i_;
            if (r_.u8(i_) != '#') break;
            while (r_.u8(i_) != '\n') ++i_;
        }
        std::string token;
        while (!std::isspace(r_.u8(i_)) && token.size() < 32) token += char(r_.u8(i_++));  // whitespace must follow
        return token;
    }
    int64_t number(const char* what) {
        const std::string t = next();
        // 18 digits cannot overflow int64; anything longer is far beyond every limit anyway.
        if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos)
            throw Error(std::string("expected a number for the ") + what + ", found '" + t + "'");
        return std::stoll(t);
    }

private:
    const Reader& r_;
    size_t i_;
};

Header pnmHeader(const Reader& r, const char* format) {
    Tokens t(r, 2);
    const int64_t width = t.number("width");
    return ImageHeader{format, width, t.number("height")};
}

Header pamHeader(const Reader& r) {
    Tokens t(r, 2);
    int64_t width = -1, height = -1;
    for (std::string key = t.next(); key != "ENDHDR"; key = t.next()) {
        if (key == "WIDTH") width = t.number("width");
        else if (key == "HEIGHT") height = t.number("height");
    }
    if (width < 0 || height < 0) throw Error("PAM header has no WIDTH or HEIGHT");
    return ImageHeader{"PAM", width, height};
}

Header hdrHeader(const Reader& r) {
    // Header lines end with an empty line; the next line is the resolution, e.g. "-Y 480 +X 640".
    size_t i = 0;
    while (!(r.u8(i) == '\n' && r.u8(i + 1) == '\n')) ++i;
    Tokens t(r, i + 2);
    const std::string axis1 = t.next();
    const int64_t n1 = t.number("first resolution");
    const std::string axis2 = t.next();
    const int64_t n2 = t.number("second resolution");
    const bool y_first = axis1.size() == 2 && axis1[1] == 'Y' && axis2.size() == 2 && axis2[1] == 'X';
    const bool x_first = axis1.size() == 2 && axis1[1] == 'X' && axis2.size() == 2 && axis2[1] == 'Y';
    if (!y_first && !x_first) throw Error("Radiance HDR resolution line is not '-Y H +X W'");
    return y_first ? ImageHeader{"Radiance HDR", n2, n1} : ImageHeader{"Radiance HDR", n1, n2};
}

Header exrHeader(const Reader& r) {
    // Attributes: name\0 type\0 size value; an empty name ends the header. Size is dataWindow (box2i).
    size_t i = 8;
    auto cstring = [&] {
        std::string s;
        while (r.u8(i) != 0 && s.size() < 256) s += char(r.u8(i++));
        ++i;
        return s;
    };
    for (;;) {
        const std::string name = cstring();
        if (name.empty()) throw Error("OpenEXR header has no dataWindow");
        const std::string type = cstring();
        const uint32_t size = r.le32(i);
        i += 4;
        if (name == "dataWindow" && type == "box2i" && size == 16) {
            const int64_t x0 = int32_t(r.le32(i)), y0 = int32_t(r.le32(i + 4));
            const int64_t x1 = int32_t(r.le32(i + 8)), y1 = int32_t(r.le32(i + 12));
            return ImageHeader{"OpenEXR", x1 - x0 + 1, y1 - y0 + 1};
        }
        if (size > r.size()) throw Truncated{};
        i += size;
    }
}

Header jp2Header(const Reader& r) {
    // Boxes (length, type); the image header box 'ihdr' sits in the 'jp2h' super box.
    auto find = [&](size_t begin, size_t end, std::string_view type) -> std::pair<size_t, size_t> {
        size_t i = begin;
        while (i < end) {
            uint64_t length = r.be32(i), header = 8;
            if (length == 1) length = r.be64(i + 8), header = 16;
            else if (length == 0) length = end - i;
            if (length < header || length > end - i) throw Error("JPEG 2000 box length is invalid");
            if (r.has(i + 4, type)) return {i + header, i + length};
            i += length;
        }
        throw Error("JPEG 2000 file has no '" + std::string(type) + "' box");
    };
    const auto jp2h = find(12, r.size(), "jp2h");
    const size_t ihdr = find(jp2h.first, jp2h.second, "ihdr").first;
    return ImageHeader{"JPEG 2000", r.be32(ihdr + 4), r.be32(ihdr)};
}

Header j2kHeader(const Reader& r) {
    // SIZ segment right after SOC: Xsiz, Ysiz, XOsiz, YOsiz.
    const int64_t x = r.be32(8), y = r.be32(12), x0 = r.be32(16), y0 = r.be32(20);
    return ImageHeader{"JPEG 2000", x - x0, y - y0};
}

Header sniff(const Reader& r) {
    if (r.has(0, "\x89PNG\r\n\x1a\n")) {
        if (r.size() < 16) throw Truncated{};
        if (!r.has(12, "IHDR")) throw Error("PNG file does not start with an IHDR chunk");
        return ImageHeader{"PNG", r.be32(16), r.be32(20)};
    }
    if (r.has(0, "\xFF\xD8\xFF")) return jpegHeader(r);
    if (r.has(0, "BM")) return bmpHeader(r);
    if (r.has(0, "RIFF") && r.has(8, "WEBP")) return webpHeader(r);
    if (r.has(0, std::string_view("II*\0", 4))) return tiffHeader(r, true, false);
    if (r.has(0, std::string_view("MM\0*", 4))) return tiffHeader(r, false, false);
    if (r.has(0, std::string_view("II+\0", 4))) return tiffHeader(r, true, true);
    if (r.has(0, std::string_view("MM\0+", 4))) return tiffHeader(r, false, true);
    if (r.has(0, "#?RADIANCE") || r.has(0, "#?RGBE")) return hdrHeader(r);
    if (r.size() >= 3 && r.u8(0) == 'P' && std::isspace(r.u8(2))) {
        const uint8_t kind = r.u8(1);
        if (kind >= '1' && kind <= '6') return pnmHeader(r, "PNM");
        if (kind == '7') return pamHeader(r);
        if (kind == 'F' || kind == 'f') return pnmHeader(r, "PFM");
    }
    if (r.has(0, "\x59\xA6\x6A\x95")) return ImageHeader{"Sun raster", r.be32(4), r.be32(8)};
    if (r.has(0, "\x76\x2F\x31\x01")) return exrHeader(r);
    if (r.has(0, std::string_view("\0\0\0\x0CjP  \r\n\x87\n", 12))) return jp2Header(r);
    if (r.has(0, "\xFF\x4F\xFF\x51")) return j2kHeader(r);
    return std::nullopt;
}

}  // namespace

std::optional<ImageHeader> readImageHeader(std::span<const uint8_t> bytes, const std::string& name) {
    const Reader reader(bytes);
    Header header;
    try {
        header = sniff(reader);
    } catch (const Truncated&) {
        throw Error(name + ": the image header is truncated (damaged or incomplete file)");
    } catch (const Error& e) {
        throw Error(name + ": " + e.what() + " (damaged file)");
    }
    if (header && (header->width <= 0 || header->height <= 0))
        throw Error(name + ": the " + header->format + " header claims an image of " + std::to_string(header->width) +
                    "x" + std::to_string(header->height) + " pixels (damaged file)");
    return header;
}

}  // namespace levit::media
