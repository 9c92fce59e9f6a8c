#include "captioned_export.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace levit::ui {

namespace {

// The top class of logits and its softmax probability.
std::pair<int, double> top1(const std::vector<float>& logits) {
    if (logits.empty()) return {-1, 0};
    const auto best = std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (float v : logits) sum += std::exp(double(v) - *best);
    return {int(best - logits.begin()), 1.0 / sum};
}

}  // namespace

QStringList exportCaption(const InferenceResult& result, const QString& model_name) {
    const levit::Classification& c = result.classification;
    const auto& labels = result.model->config().id2label;
    auto name = [&](int i) { return i >= 0 && size_t(i) < labels.size() ? QString::fromStdString(labels[size_t(i)]) : QString::number(i); };
    QStringList lines;
    const QFileInfo file(result.source);
    lines << QObject::tr("Image: %1").arg(file.exists() ? file.fileName() : result.source);
    lines << QObject::tr("Model: %1").arg(model_name);
    if (!c.top_k.empty())
        lines << QObject::tr("Prediction (softmax of the mean of both heads' logits): %1, %2%")
                     .arg(QString::fromStdString(c.top_k.front().label))
                     .arg(100.0 * c.top_k.front().probability, 0, 'f', 1);
    const auto [cls, cls_p] = top1(c.cls_logits);
    const auto [dist, dist_p] = top1(c.distillation_logits);
    if (cls >= 0 && dist >= 0)
        lines << QObject::tr("Classification head: %1, %2% · distillation head: %3, %4%")
                     .arg(name(cls)).arg(100.0 * cls_p, 0, 'f', 1).arg(name(dist)).arg(100.0 * dist_p, 0, 'f', 1);
    return lines;
}

QImage captionedExport(const QImage& view, const QStringList& caption, const QColor& background, const QColor& text) {
    QFont font;
    font.setPointSizeF(std::max(9.0, view.width() / 110.0));
    const QFontMetrics metrics(font);
    const int margin = metrics.height() / 2, line = metrics.lineSpacing();
    const int band = caption.isEmpty() ? 0 : 2 * margin + line * int(caption.size());
    QImage out(view.width(), view.height() + band, QImage::Format_RGB32);
    out.fill(background);
    QPainter painter(&out);
    painter.setFont(font);
    painter.setPen(text);
    for (int i = 0; i < caption.size(); ++i)
        painter.drawText(QRect(margin, margin + i * line, view.width() - 2 * margin, line), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(caption[i], Qt::ElideMiddle, view.width() - 2 * margin));
    painter.drawImage(0, band, view);
    return out;
}

}  // namespace levit::ui
