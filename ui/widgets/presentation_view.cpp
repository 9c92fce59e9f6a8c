#include "presentation_view.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <optional>

namespace levit::ui {

namespace {

// Sizes as fractions of the view's height, so the picture reads the same from the back of the room on a
// laptop panel and on a projector. The label is 1/11 of the height: above the 1/12 asked of it.
constexpr qreal kLabelHeight = 1.0 / 11.0;
constexpr qreal kBarRowHeight = 0.085;
constexpr qreal kModelNameHeight = 0.028;
constexpr qreal kMessageHeight = 1.0 / 18.0;
constexpr qreal kMarginHeight = 0.025;

QFont pixelFont(const QFont& base, qreal pixels, bool bold) {
    QFont font = base;
    font.setPixelSize(std::max(11, int(std::lround(pixels))));
    font.setBold(bold);
    return font;
}

QString percent(double probability, int decimals) { return QString("%1%").arg(probability * 100.0, 0, 'f', decimals); }

// ImageNet-style labels list synonyms ("tabby, tabby cat"); the first is the name to show when all of them
// do not fit.
QString firstName(const QString& label) { return label.section(',', 0, 0).trimmed(); }

// `label` + `suffix` in at most `lines` lines of `width`: whole, else with the label's first name only;
// nothing when neither fits.
std::optional<QString> fitted(const QString& label, const QString& suffix, const QFontMetricsF& metrics, qreal width, int lines) {
    for (const QString& candidate : {label, firstName(label)}) {
        const QRectF r = metrics.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, candidate + suffix);
        if (r.width() <= width && r.height() <= lines * metrics.lineSpacing() + 1) return candidate + suffix;
    }
    return std::nullopt;
}

// The label's first name cut short with "…" so that it and `suffix` fit on one line of `width`.
QString elided(const QString& label, const QString& suffix, const QFontMetricsF& metrics, qreal width) {
    return metrics.elidedText(firstName(label), Qt::ElideRight, width - metrics.horizontalAdvance(suffix)) + suffix;
}

}  // namespace

PresentationView::PresentationView(QWidget* parent) : QWidget(parent), message_(tr("Waiting for a picture to classify…")) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PresentationView::showResult(const InferenceResultPtr& result, const QImage& picture) {
    picture_ = picture;
    scaled_ = QPixmap();
    labels_.clear();
    indices_.clear();
    probabilities_.clear();
    const auto& ranking = result->classification.top_k;
    for (size_t i = 0; i < ranking.size() && i < size_t(kBars); ++i) {
        const int k = ranking[i].index;
        labels_ << (k >= 0 && k < class_names_.size() ? class_names_[k] : QString::fromStdString(ranking[i].label));
        indices_ << k;
        probabilities_ << ranking[i].probability;
    }
    model_name_.clear();
    if (result->model) {
        const std::string& name = result->model->config().name;
        model_name_ = name.empty() ? tr("custom model") : QString::fromStdString(name);
    }
    message_ = labels_.isEmpty() ? tr("The model gave no prediction for this picture.") : QString();
    update();
}

void PresentationView::setClassNames(const QStringList& names) {
    class_names_ = names;
    for (int i = 0; i < labels_.size(); ++i)
        if (indices_[i] >= 0 && indices_[i] < class_names_.size()) labels_[i] = class_names_[indices_[i]];
    update();
}

void PresentationView::clearResult(const QString& message) {
    picture_ = QImage();
    scaled_ = QPixmap();
    labels_.clear();
    indices_.clear();
    probabilities_.clear();
    message_ = message;
    update();
}

int PresentationView::labelPixelSize() const { return pixelFont(font(), height() * kLabelHeight, true).pixelSize(); }

bool PresentationView::darkPalette() const { return palette().color(QPalette::Window).lightness() < 128; }

PresentationView::Areas PresentationView::areas() const {
    const qreal w = width(), h = height();
    Areas a;
    a.margin = std::max<qreal>(6, h * kMarginHeight);
    const qreal model_h = std::max<qreal>(14, h * kModelNameHeight * 1.4);
    const qreal bars_h = kBars * h * kBarRowHeight;
    a.model_line = QRectF(a.margin, h - a.margin - model_h, w - 2 * a.margin, model_h);
    a.bars = QRectF(a.margin, a.model_line.top() - a.margin * 0.5 - bars_h, w - 2 * a.margin, bars_h);
    a.picture = QRectF(a.margin, a.margin, w - 2 * a.margin, std::max<qreal>(0, a.bars.top() - 2 * a.margin));
    return a;
}

void PresentationView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    const Areas a = areas();
    if (!hasResult()) return paintMessage(painter, a.picture);
    const QRectF shown = paintPicture(painter, a.picture);
    paintHeadline(painter, shown.isEmpty() ? a.picture : shown, a);
    paintBars(painter, a.bars);
    paintModelName(painter, a.model_line);
}

QRectF PresentationView::paintPicture(QPainter& painter, const QRectF& area) {
    if (picture_.isNull() || area.width() < 1 || area.height() < 1) return {};
    const QSize target = picture_.size().scaled(area.size().toSize(), Qt::KeepAspectRatio);
    if (scaled_.size() != target) scaled_ = QPixmap::fromImage(picture_.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    QRectF placed(QPointF(0, 0), QSizeF(scaled_.size()));
    placed.moveCenter(area.center());
    painter.drawPixmap(placed.topLeft(), scaled_);
    return placed;
}

// The label and confidence on a plate across the bottom of the picture: dark plate and white text in the
// dark palette, white plate and near-black text in the light one; either way legible over any picture.
void PresentationView::paintHeadline(QPainter& painter, const QRectF& picture_rect, const Areas& a) {
    const QFont font = pixelFont(this->font(), height() * kLabelHeight, true);
    const QFontMetricsF metrics(font);
    const qreal pad = font.pixelSize() * 0.35;
    const qreal max_text_width = width() - 2 * a.margin - 2 * pad;
    // One line if the label or its first name fits, else two: never smaller than the room needs.
    // No-break spaces: a label that wraps takes its last word along with the percentage to the second line.
    const double confidence = probabilities_.first();
    const QString suffix = QStringLiteral(u"\u00a0·\u00a0") + percent(confidence, confidence < 0.095 ? 1 : 0);
    const QString& label = labels_.first();
    const QString text = fitted(label, suffix, metrics, max_text_width, 1)
                             .value_or(fitted(label, suffix, metrics, max_text_width, 2).value_or(elided(label, suffix, metrics, max_text_width)));
    const int flags = Qt::AlignCenter | Qt::TextWordWrap;
    const QRectF text_rect = metrics.boundingRect(QRectF(0, 0, max_text_width, 1e6), flags, text);
    QRectF plate = text_rect.adjusted(-pad, -pad * 0.5, pad, pad * 0.5);
    const qreal centre_x = std::clamp(picture_rect.center().x(), a.margin + plate.width() / 2, width() - a.margin - plate.width() / 2);
    plate.moveCenter(QPointF(centre_x, 0));
    plate.moveBottom(std::max(picture_rect.bottom() - a.margin * 0.5, a.margin + plate.height()));
    const bool dark = darkPalette();
    painter.setPen(Qt::NoPen);
    painter.setBrush(dark ? QColor(0, 0, 0, 220) : QColor(255, 255, 255, 240));
    painter.drawRoundedRect(plate, pad * 0.6, pad * 0.6);
    painter.setFont(font);
    painter.setPen(dark ? QColor(255, 255, 255) : QColor(12, 12, 12));
    painter.drawText(plate.adjusted(pad, pad * 0.5, -pad, -pad * 0.5), flags, text);
}

// One row per class: its name, a bar as long as its probability, the percentage.
void PresentationView::paintBars(QPainter& painter, const QRectF& area) {
    const qreal row = area.height() / kBars;
    BarStyle style;
    style.font = pixelFont(font(), row * 0.55, false);
    style.text = palette().color(QPalette::WindowText);
    style.accent = darkPalette() ? QColor(53, 183, 121) : QColor(49, 104, 142);
    style.track = darkPalette() ? QColor(255, 255, 255, 36) : QColor(0, 0, 0, 30);
    style.gap = row * 0.3;
    style.label_width = area.width() * 0.4;
    style.percent_width = QFontMetricsF(style.font).horizontalAdvance("100.0%") + style.gap;
    for (int i = 0; i < int(labels_.size()); ++i) paintBar(painter, QRectF(area.left(), area.top() + i * row, area.width(), row), i, style);
}

void PresentationView::paintBar(QPainter& painter, const QRectF& row, int index, const BarStyle& style) {
    const QRectF label_rect(row.left(), row.top(), style.label_width, row.height());
    const qreal bar_width = std::max<qreal>(0, row.width() - style.label_width - style.percent_width - style.gap);
    const QRectF bar_rect(label_rect.right() + style.gap, row.top() + row.height() * 0.16, bar_width, row.height() * 0.68);
    const QRectF percent_rect(bar_rect.right(), row.top(), style.percent_width, row.height());
    const qreal radius = row.height() * 0.12;

    const QFont label_font = pixelFont(style.font, style.font.pixelSize(), index == 0);  // the winner in bold
    const QFontMetricsF label_metrics(label_font);
    painter.setPen(style.text);
    painter.setFont(label_font);
    painter.drawText(label_rect, Qt::AlignRight | Qt::AlignVCenter,
                     fitted(labels_[index], {}, label_metrics, style.label_width, 1).value_or(elided(labels_[index], {}, label_metrics, style.label_width)));

    painter.setPen(Qt::NoPen);
    painter.setBrush(style.track);
    painter.drawRoundedRect(bar_rect, radius, radius);
    QColor fill = style.accent;
    if (index > 0) fill.setAlphaF(0.55);
    painter.setBrush(fill);
    const qreal filled = bar_rect.width() * std::clamp(probabilities_[index], 0.0, 1.0);
    if (filled > 0.5) painter.drawRoundedRect(QRectF(bar_rect.topLeft(), QSizeF(filled, bar_rect.height())), radius, radius);

    painter.setPen(style.text);
    painter.setFont(style.font);
    painter.drawText(percent_rect, Qt::AlignRight | Qt::AlignVCenter, percent(probabilities_[index], 1));
}

void PresentationView::paintModelName(QPainter& painter, const QRectF& area) {
    if (model_name_.isEmpty()) return;
    QColor color = palette().color(QPalette::WindowText);
    color.setAlphaF(0.65);
    painter.setPen(color);
    painter.setFont(pixelFont(font(), height() * kModelNameHeight, false));
    painter.drawText(area, Qt::AlignRight | Qt::AlignVCenter, tr("model: %1").arg(model_name_));
}

void PresentationView::paintMessage(QPainter& painter, const QRectF& area) {
    painter.setPen(palette().color(QPalette::WindowText));
    painter.setFont(pixelFont(font(), height() * kMessageHeight, false));
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, message_);
}

}  // namespace levit::ui
