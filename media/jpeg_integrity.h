#pragma once
// Whether a JPEG's compressed data is whole. libjpeg decodes a truncated or corrupted JPEG anyway,
// filling the missing part with gray and printing "Premature end of JPEG file" or "Corrupt JPEG data"
// on stderr, so OpenCV hands back a garbage picture as if nothing happened. This check decodes the file
// with libjpeg at 1/8 scale (every coefficient is still entropy-decoded, which is where damage shows)
// and listens to those warnings instead.
#include <cstdint>
#include <span>
#include <string>

namespace levit::media {

// More scans than this are refused: encoders write about 10, while a forged progressive file with
// tens of thousands of tiny scans makes libjpeg re-process the whole image for each one (minutes).
constexpr int kMaxJpegScans = 1000;

// Throws levit::Error "<name>: image is damaged (<libjpeg's message>)" when the data runs out (no end
// marker counts), cannot be decoded, or leaves bytes over at the end of a scan (what a bit flip in the
// data usually causes); "<name>: cannot decode the JPEG (...)" when libjpeg refuses the file.
// Warnings that lose no picture data (unknown JFIF revision or Adobe transform, a bad ICC marker, odd
// scan parameters, stray bytes between header segments) are ignored, as Pillow ignores them.
// A flipped bit that still decodes to valid codes of the right length is not detectable here.
void checkJpegIntegrity(std::span<const uint8_t> bytes, const std::string& name);

}  // namespace levit::media
