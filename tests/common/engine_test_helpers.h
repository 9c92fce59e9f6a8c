#pragma once
// Small helpers the engine's tests share: an 8-bit image from a uint8 HWC .npy (the golden sets' resized
// and cropped images, the resampling fixtures), and the message of the levit::Error a call throws.
#include <functional>
#include <string>

#include "levit/error.h"
#include "levit/image.h"
#include "levit/npy.h"

namespace levit_test {

inline levit::ImageRGB8 imageFromNpy(const std::string& path) {
    const levit::NpyArray a = levit::readNpy(path);
    levit::ImageRGB8 image;
    image.height = int(a.shape[0]);
    image.width = int(a.shape[1]);
    image.pixels = a.bytes;
    return image;
}

// The message of the levit::Error `f` throws, or "" when it throws none.
inline std::string errorMessageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const levit::Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace levit_test
