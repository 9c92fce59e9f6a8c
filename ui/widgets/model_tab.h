#pragma once
// The Model tab: the architecture graph and the step-by-step tour of the current image, one at a time with
// a switch at the top. It is one ModelView to the window: what it needs and what it draws are the page's
// on show, so the window asks only for the probes of the page a learner looks at.
#include <QPointer>

#include "model_view.h"

class QAbstractButton;
class QStackedWidget;

namespace levit::ui {

class ModelTab : public ModelView {
    Q_OBJECT
public:
    enum class Page { Graph, Tour };

    // Takes ownership of both pages.
    ModelTab(ModelView* graph, ModelView* tour, QWidget* parent = nullptr);

    Page page() const { return page_; }
    void showPage(Page page);
    ModelView* currentPage() const;

    levit::Probe probeNeeded() const override;
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override;
    QImage exportImage() override;
    QStringList exportCaptionLines() const override;

signals:
    // The page changed, so the probes needed did too: the window classifies the picture shown again.
    void probeChanged();

private:
    ModelView* graph_;
    ModelView* tour_;
    QStackedWidget* stack_;
    QAbstractButton* graph_button_;
    QAbstractButton* tour_button_;
    Page page_ = Page::Graph;
};

}  // namespace levit::ui
