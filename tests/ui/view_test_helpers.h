#pragma once
// Results for one view at a time, without the window: the bundled Fashion-MNIST model (or any model) run on
// an image through levit::Classifier, packed as the window's worker packs them; and optional screenshots.
#include <QDir>
#include <QWidget>

#include <memory>
#include <string>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "media/image_decoder.h"
#include "widgets/inference_result.h"

namespace view_test {

inline QString fashionModelDir() { return QStringLiteral(LEVIT_SOURCE_DIR "/resources/models/levit-fashion"); }
inline QString fashionSample(const char* name) { return QStringLiteral(LEVIT_SOURCE_DIR "/resources/samples/") + name; }

inline std::shared_ptr<const levit::Model> fashionModel() {
    static const std::shared_ptr<const levit::Model> model = levit::loadModel(fashionModelDir().toStdString());
    return model;
}

inline levit::ui::InferenceResultPtr classify(std::shared_ptr<const levit::Model> model, const QString& image,
                                              const levit::Probe& probe = {}) {
    auto result = std::make_shared<levit::ui::InferenceResult>();
    result->source = image;
    result->model = model;
    levit::Classifier classifier(model);
    classifier.setTopK(model->config().numLabels());  // the worker ranks every class
    result->classification = classifier.classify(levit::media::decodeImageFile(image.toStdString()), probe, &result->probe,
                                                 &result->model_input);
    return result;
}

// With LEVIT_SCREENSHOT_DIR set, saves a picture of `widget` there (for looking at the views by eye).
inline void saveScreenshot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("LEVIT_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    widget->grab().save(QDir(dir).filePath(name + ".png"));
}

}  // namespace view_test
