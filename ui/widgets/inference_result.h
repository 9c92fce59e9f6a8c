#pragma once
// What one inference hands to the views: the image the model saw, its outputs, and what the probe kept.
// Views draw from this; nothing in ui recomputes model math.
#include <QImage>
#include <QMetaType>
#include <QString>

#include <memory>

#include "levit/image.h"
#include "levit/model.h"
#include "levit/probe.h"

namespace levit::ui {

struct InferenceResult {
    quint64 id = 0;                      // increases with every request; views ignore stale results
    QString source;                      // file path, "clipboard", "camera 0", ...
    std::shared_ptr<const levit::Model> model;
    QImage original;                     // the decoded input, as loaded (RGB888)
    levit::ImageRGB8 model_input;        // the resized + centre-cropped S x S image the model saw
    levit::Output output;                // batch of 1
    levit::ProbeResult probe;            // what the visible views asked for
    double latency_ms = 0;               // preprocessing + forward pass
};

using InferenceResultPtr = std::shared_ptr<const InferenceResult>;

}  // namespace levit::ui

Q_DECLARE_METATYPE(levit::ui::InferenceResultPtr)
