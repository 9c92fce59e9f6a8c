#pragma once
// Base of every "inside the model" view: it says which probes it needs (so the worker only computes
// what is visible) and draws an InferenceResult.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "levit/probe.h"
#include "inference_result.h"

namespace levit::ui {

class ModelView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    // Probes this view needs from the forward pass while it is visible.
    virtual levit::Probe probeNeeded() const = 0;
    // Called on the GUI thread with the newest result (never null).
    virtual void showResult(const InferenceResultPtr& result) = 0;
    // Called when no result applies (model changed, image failed); the view shows a hint instead.
    virtual void clearResult() = 0;
    // Title for tabs and exported file names.
    virtual QString viewTitle() const = 0;
    // What View > Export saves: the whole view, or (overridden) just its figure without the controls, and
    // caption lines to add to the image/model/prediction lines (e.g. the method and class explained).
    virtual QImage exportImage() { return grab().toImage(); }
    virtual QStringList exportCaptionLines() const { return {}; }
};

}  // namespace levit::ui
