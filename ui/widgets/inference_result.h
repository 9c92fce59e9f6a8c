#pragma once
// What one inference hands to the views: the image the model saw, its classification, and what the probe
// kept. Views draw from this; nothing in ui recomputes model math or preprocessing.
#include <QImage>
#include <QMetaType>
#include <QString>

#include <memory>

#include "levit/classifier.h"
#include "levit/image.h"
#include "levit/model.h"
#include "levit/probe.h"

namespace levit::ui {

struct InferenceResult {
    quint64 id = 0;                      // increases with every request; views ignore stale results
    QString source;                      // file path, "clipboard", "live", ...
    std::shared_ptr<const levit::Model> model;
    QImage original;                     // live frames only: the frame as captured (RGB888), for display
    QSize source_size;                   // the picture classified, at full resolution (before preprocessing)
    levit::ImageRGB8 model_input;        // the resized + centre-cropped S x S image the model saw
    levit::Classification classification;
    levit::ProbeResult probe;            // what the visible views asked for
    double latency_ms = 0;               // preprocessing + forward pass
};

using InferenceResultPtr = std::shared_ptr<const InferenceResult>;

}  // namespace levit::ui

Q_DECLARE_METATYPE(levit::ui::InferenceResultPtr)
