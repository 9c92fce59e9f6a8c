#pragma once
// What the window keeps of each image it holds, and no more: a thumbnail (in the strip), the image the
// model sees (made once from the full-resolution pixels) and the size. A photo's full pixels are dropped
// after loading; the picture on the left is decoded again from the file at the size it is shown
// (picture_cache.h). Images without a file (pasted, dropped, snapshots) keep their pixels.
#include <QSize>
#include <QString>

#include <memory>

#include "inference_result.h"
#include "levit/config.h"
#include "levit/image.h"

namespace levit::ui {

// The resized and centre-cropped image a model takes, and the preprocessing that made it: a model with
// other preprocessing needs it made again from the full-resolution pixels (or the file).
struct ModelInput {
    std::shared_ptr<const levit::ImageRGB8> pixels;
    levit::PreprocessConfig preprocess;

    // Whether these pixels are what `config`'s preprocessing makes of the image (then classifying them
    // gives exactly the numbers classifying the full image would).
    bool fits(const levit::Config& config) const;
};

// The model input for `config`, or an empty one when the preprocessing cannot give the model's input
// size for this image (classifying the full image then reports why).
ModelInput makeModelInput(const levit::ImageRGB8& full, const levit::Config& config);

struct LoadedImage {
    QString source;                                  // the file, or "clipboard", "snapshot 10:42:07", ...
    bool from_file = false;                          // `source` is a file to decode again when needed
    std::shared_ptr<const levit::ImageRGB8> pixels;  // full resolution; only for images without a file
    ModelInput model_input;
    QSize size;                                      // full resolution, EXIF orientation applied
    InferenceResultPtr result;
};

}  // namespace levit::ui
