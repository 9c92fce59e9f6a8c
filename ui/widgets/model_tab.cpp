#include "model_tab.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace levit::ui {

namespace {

QToolButton* pageButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(false);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

}  // namespace

ModelTab::ModelTab(ModelView* graph, ModelView* tour, QWidget* parent) : ModelView(parent), graph_(graph), tour_(tour) {
    graph_button_ = pageButton(tr("Architecture graph"), tr("Every layer of this model with its output shape, parameters, FLOPs and time"), this);
    tour_button_ = pageButton(tr("Step-by-step tour"), tr("Walk the current image through the model, one step per screen"), this);
    auto* group = new QButtonGroup(this);
    group->addButton(graph_button_);
    group->addButton(tour_button_);
    graph_button_->setChecked(true);
    connect(graph_button_, &QAbstractButton::clicked, this, [this] { showPage(Page::Graph); });
    connect(tour_button_, &QAbstractButton::clicked, this, [this] { showPage(Page::Tour); });

    // The graph scrolls on its own: a stack is as tall as its tallest page, and the tour must fit the tab with
    // its figure and Next button in view, not be stretched to the graph's height.
    auto* graph_scroll = new QScrollArea(this);
    graph_scroll->setWidgetResizable(true);
    graph_scroll->setFrameShape(QFrame::NoFrame);
    graph_scroll->setWidget(graph_);
    stack_ = new QStackedWidget(this);
    stack_->addWidget(graph_scroll);
    stack_->addWidget(tour_);

    auto* switcher = new QHBoxLayout;
    switcher->addWidget(graph_button_);
    switcher->addWidget(tour_button_);
    switcher->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(switcher);
    layout->addWidget(stack_, 1);
}

ModelView* ModelTab::currentPage() const { return page_ == Page::Graph ? graph_ : tour_; }

void ModelTab::showPage(Page page) {
    (page == Page::Graph ? graph_button_ : tour_button_)->setChecked(true);
    if (page == page_) return;
    page_ = page;
    stack_->setCurrentIndex(page == Page::Graph ? 0 : 1);
    emit probeChanged();
}

levit::Probe ModelTab::probeNeeded() const { return currentPage()->probeNeeded(); }

// Only the page on show draws (the tour's steps are not cheap); the other gets the picture's answer when it is
// shown, through the window classifying again with its probes.
void ModelTab::showResult(const InferenceResultPtr& result) { currentPage()->showResult(result); }

void ModelTab::clearResult() {
    graph_->clearResult();
    tour_->clearResult();
}

QString ModelTab::viewTitle() const { return tr("Model"); }

QImage ModelTab::exportImage() { return currentPage()->exportImage(); }

QStringList ModelTab::exportCaptionLines() const { return currentPage()->exportCaptionLines(); }

}  // namespace levit::ui
