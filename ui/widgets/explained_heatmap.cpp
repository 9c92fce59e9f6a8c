#include "explained_heatmap.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "color_bar.h"
#include "heatmap_widget.h"

namespace levit::ui {

ExplainedHeatmap::ExplainedHeatmap(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    help_ = new QToolButton(this);
    help_->setText(QStringLiteral("?"));
    help_->setToolTip(tr("What am I looking at?"));
    help_->setAutoRaise(false);
    map_ = new HeatmapWidget(this);
    bar_ = new ColorBar(this);
    note_ = new QLabel(this);
    note_->setWordWrap(true);
    QFont small = note_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    note_->setFont(small);
    note_->hide();

    // The explanation opens beside the panel and closes on the next click elsewhere, like a tooltip that stays.
    popup_ = new QFrame(this, Qt::Popup);
    popup_->setFrameShape(QFrame::Box);
    popup_->setAutoFillBackground(true);
    popup_->setBackgroundRole(QPalette::ToolTipBase);
    popup_text_ = new QLabel(popup_);
    popup_text_->setWordWrap(true);
    popup_text_->setTextFormat(Qt::RichText);
    popup_text_->setForegroundRole(QPalette::ToolTipText);
    auto* popup_layout = new QVBoxLayout(popup_);
    popup_layout->addWidget(popup_text_);
    popup_->setFixedWidth(380);

    auto* header = new QHBoxLayout();
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(title_, 1);
    header->addWidget(help_, 0, Qt::AlignTop);
    auto* body = new QHBoxLayout();
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(4);
    body->addStretch(0);
    body->addWidget(map_, 1);
    body->addWidget(bar_);
    body->addStretch(0);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addLayout(body, 1);
    layout->addWidget(note_);

    connect(help_, &QToolButton::clicked, this, &ExplainedHeatmap::showExplanation);
    connect(map_, &HeatmapWidget::scaleChanged, this, [this] {
        bar_->setRange(map_->low(), map_->high());
        bar_->setVisible(bar_wanted_ && map_->rows() > 0);  // no data, no scale
        fitToPlot();
        updateNote();
    });
}

// The map no wider than its plot needs at this height, so the colour bar sits beside the plot and the pair
// is centred in a wide panel; the bar spans the plot's height.
void ExplainedHeatmap::fitToPlot() {
    map_->setMaximumWidth(map_->widthForHeight(map_->height()));
    const QRect plot = map_->plotRect();
    bar_->setBarSpan(plot.top() + map_->y() - bar_->y(), plot.height());
}

void ExplainedHeatmap::setTitle(const QString& title) { title_->setText(title); }
QString ExplainedHeatmap::title() const { return title_->text(); }

void ExplainedHeatmap::setExplanation(const QString& text) {
    explanation_ = text;
    popup_text_->setText(QStringLiteral("<b>%1</b><p>%2</p>").arg(tr("What am I looking at?"), text));
}

bool ExplainedHeatmap::explanationShown() const { return popup_->isVisible(); }

void ExplainedHeatmap::showExplanation() {
    popup_->adjustSize();
    const QPoint below = help_->mapToGlobal(QPoint(help_->width(), help_->height()));
    popup_->move(below.x() - popup_->width(), below.y());
    popup_->show();
}

void ExplainedHeatmap::setNote(const QString& note) {
    note_text_ = note;
    updateNote();
}

void ExplainedHeatmap::setShowScale(bool on) {
    show_scale_ = on;
    updateNote();
}

QString ExplainedHeatmap::noteText() const { return note_->text(); }

void ExplainedHeatmap::updateNote() {
    QStringList parts;
    if (!note_text_.isEmpty()) parts << note_text_;
    if (show_scale_ && map_->rows() > 0) parts << map_->scaleDescription();
    note_->setText(parts.join(QStringLiteral(" · ")));
    note_->setVisible(!parts.isEmpty());
}

void ExplainedHeatmap::setLegend(const QString& high_meaning, const QString& low_meaning) { bar_->setLegend(high_meaning, low_meaning); }

void ExplainedHeatmap::setColorBarVisible(bool visible) {
    bar_wanted_ = visible;
    bar_->setVisible(visible && map_->rows() > 0);
}

void ExplainedHeatmap::setData(int rows, int cols, std::vector<float> values, float low, float high) {
    map_->setData(rows, cols, std::move(values), low, high);
}

void ExplainedHeatmap::setColormap(const Colormap& colormap) {
    map_->setColormap(colormap);
    bar_->setColormap(colormap);
}

}  // namespace levit::ui
