#include "pixel_values.h"

#include "levit/error.h"
#include "levit/model.h"
#include "levit/npy.h"
#include "levit/tensor.h"

namespace levit::cli {

std::vector<float> readPixelValues(const std::string& path, const Config& config, int& batch) {
    const NpyArray array = readNpy(path);
    const auto& s = array.shape;
    const std::string expected = "[N, " + std::to_string(config.num_channels) + ", " +
                                 std::to_string(config.image_size) + ", " + std::to_string(config.image_size) + "]";
    if (array.dtype != "f4")
        throw Error(path + ": pixel values must be float32 ('<f4'), got dtype '" + array.dtype + "'");
    if (s.size() != 4 || s[0] < 1 || s[0] > Session::kMaxBatch || s[1] != config.num_channels ||
        s[2] != config.image_size || s[3] != config.image_size)
        throw Error(path + ": shape " + shapeToString(s) + " does not match the model's input " + expected +
                    " (N from 1 to " + std::to_string(Session::kMaxBatch) + ")");
    batch = static_cast<int>(s[0]);
    return array.toFloat();
}

std::vector<int> readLabels(const std::string& path, int expected_count, int classes) {
    const NpyArray array = readNpy(path);
    if (array.shape.size() != 1 || array.shape[0] != expected_count)
        throw Error(path + ": shape " + shapeToString(array.shape) + ", expected [" + std::to_string(expected_count) +
                    "] (one class index per image)");
    if (array.dtype != "i8" && array.dtype != "i4" && array.dtype != "u1")
        throw Error(path + ": class indices must be integers (int64, int32 or uint8), got dtype '" + array.dtype + "'");
    std::vector<int> labels;
    for (int64_t v : array.toInt64()) {
        if (v < 0 || v >= classes)
            throw Error(path + ": class index " + std::to_string(v) + " is outside the model's " + std::to_string(classes) +
                        " classes");
        labels.push_back(static_cast<int>(v));
    }
    return labels;
}

}  // namespace levit::cli
