#pragma once
// An exported view as a picture that stands on its own (in slides, reports, bug reports): a caption band
// above the view's grab naming the image, the model and the prediction of each head, so the picture can
// be understood without the window around it.
#include <QImage>
#include <QString>

#include "inference_result.h"

namespace levit::ui {

// The caption's lines for a result: image, model, averaged top-1 and each head's top-1 with probability.
QStringList exportCaption(const InferenceResult& result, const QString& model_name);
// `view` with the caption drawn above it, on the view's own background colour.
QImage captionedExport(const QImage& view, const QStringList& caption, const QColor& background, const QColor& text);

}  // namespace levit::ui
