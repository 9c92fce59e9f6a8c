#include "jpeg_integrity.h"

// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>

// jpeglib.h before jerror.h: the arithmetic-coding messages depend on its jconfig.h.
#include <jpeglib.h>
#include <jerror.h>

#include <csetjmp>
#include <vector>

#include "levit/error.h"

namespace levit::media {

namespace {

struct Listener {
    jpeg_error_mgr pub;  // first member: libjpeg hands us a pointer to it
    jpeg_progress_mgr progress;
    std::jmp_buf escape;
    bool in_image_data = false;  // past the header: stray bytes now are scan data the decoder did not use
    bool damaged = false;
    bool too_many_scans = false;
    char message[JMSG_LENGTH_MAX] = {};
};

// The warnings that mean compressed data is missing or unreadable, so part of the picture is made up.
// Stray bytes are harmless between header segments, but left over at the end of a scan they mean the
// entropy-coded data decoded to something else than what was written: a bit flip, typically.
bool isDamage(int code, bool in_image_data) {
    switch (code) {
        case JWRN_EXTRANEOUS_DATA: return in_image_data;
        case JWRN_JPEG_EOF:
        case JWRN_HIT_MARKER:
        case JWRN_HUFF_BAD_CODE:
        case JWRN_ARITH_BAD_CODE:
        case JWRN_MUST_RESYNC: return true;
        default: return false;
    }
}

void onError(j_common_ptr cinfo) {
    auto* l = reinterpret_cast<Listener*>(cinfo->err);
    l->pub.format_message(cinfo, l->message);
    std::longjmp(l->escape, 1);
}

void onMessage(j_common_ptr cinfo, int level) {
    auto* l = reinterpret_cast<Listener*>(cinfo->err);
    if (level != -1 || l->damaged || !isDamage(l->pub.msg_code, l->in_image_data)) return;  // -1: a warning
    l->damaged = true;
    l->pub.format_message(cinfo, l->message);
}

void onProgress(j_common_ptr cinfo) {
    auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (d->progressive_mode && d->input_scan_number > kMaxJpegScans) {
        reinterpret_cast<Listener*>(cinfo->err)->too_many_scans = true;
        std::snprintf(reinterpret_cast<Listener*>(cinfo->err)->message, JMSG_LENGTH_MAX, "more than %d scans",
                      kMaxJpegScans);
        std::longjmp(reinterpret_cast<Listener*>(cinfo->err)->escape, 1);
    }
}

// Plain C data only between setjmp and longjmp: nothing here has a destructor to skip. Returns false
// when libjpeg gave up (message in the listener).
bool decodeSmall(jpeg_decompress_struct& cinfo, Listener& l, const uint8_t* data, size_t size, JSAMPLE* row,
                 size_t row_capacity) {
    if (setjmp(l.escape)) return false;
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&cinfo, TRUE);
    l.in_image_data = true;
    cinfo.scale_num = 1;
    cinfo.scale_denom = 8;
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = FALSE;
    cinfo.do_block_smoothing = FALSE;
    // Gray output skips the chroma inverse DCT; the chroma data is still entropy-decoded and checked.
    if (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_GRAYSCALE)
        cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_calc_output_dimensions(&cinfo);
    if (size_t(cinfo.output_width) * cinfo.output_components > row_capacity) {
        std::snprintf(l.message, JMSG_LENGTH_MAX, "rows wider than expected");
        return false;
    }
    jpeg_start_decompress(&cinfo);
    while (cinfo.output_scanline < cinfo.output_height && !l.damaged) {
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&cinfo, rows, 1);
    }
    if (!l.damaged) jpeg_finish_decompress(&cinfo);
    return true;
}

}  // namespace

void checkJpegIntegrity(std::span<const uint8_t> bytes, const std::string& name) {
    Listener l;
    jpeg_decompress_struct cinfo{};
    cinfo.err = jpeg_std_error(&l.pub);
    l.pub.error_exit = onError;
    l.pub.emit_message = onMessage;
    l.progress.progress_monitor = onProgress;
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &l.progress;
    // One output row at 1/8 scale of the widest accepted JPEG (65535 wide), up to 4 components.
    std::vector<JSAMPLE> row(size_t(65535 / 8 + 1) * 4);
    const bool decoded = decodeSmall(cinfo, l, bytes.data(), bytes.size(), row.data(), row.size());
    jpeg_destroy_decompress(&cinfo);
    if (!decoded && l.too_many_scans) throw Error(name + ": refused a progressive JPEG with " + l.message);
    if (!decoded) throw Error(name + ": cannot decode the JPEG (" + std::string(l.message) + ")");
    if (l.damaged) throw Error(name + ": image is damaged (" + std::string(l.message) + ")");
}

}  // namespace levit::media
