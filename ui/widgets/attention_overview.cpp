#include "attention_overview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "colormap.h"

namespace levit::ui {

namespace {
constexpr int kGap = 4;
constexpr int kMinCell = 28;
constexpr int kMaxCell = 72;

QImage offsetImage(const levit::BiasTables& bias, int head, float scale, const Colormap& colormap) {
    QImage image(bias.offset_cols, bias.offset_rows, QImage::Format_RGB32);
    const size_t base = size_t(head) * bias.offset_rows * bias.offset_cols;
    for (int r = 0; r < bias.offset_rows; ++r)
        for (int c = 0; c < bias.offset_cols; ++c) {
            const float v = bias.by_offset[base + size_t(r) * bias.offset_cols + c];
            image.setPixel(c, r, colormap.map(std::isnan(v) ? NAN : (v / scale + 1.0) / 2.0));
        }
    return image;
}

}  // namespace

QString attentionBlockName(const std::vector<levit::AttentionBlockInfo>& blocks, int block) {
    if (block < 0 || block >= int(blocks.size())) return {};
    int within_stage = 1;
    for (int b = 0; b < block; ++b)
        if (blocks[size_t(b)].stage == blocks[size_t(block)].stage) ++within_stage;
    return QObject::tr("Stage %1 · Block %2").arg(blocks[size_t(block)].stage + 1).arg(within_stage);
}

AttentionOverview::AttentionOverview(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void AttentionOverview::setModel(const std::shared_ptr<const levit::Model>& model) {
    rows_.clear();
    max_heads_ = 0;
    if (model) {
        const Colormap diverging("coolwarm");
        const auto& blocks = model->attentionBlocks();
        for (int b = 0; b < int(blocks.size()); ++b) {
            const levit::BiasTables bias = model->biasTables(b);
            Row row;
            row.name = attentionBlockName(blocks, b);
            const auto& info = blocks[size_t(b)];
            row.detail = info.resolution_in == info.resolution_out
                             ? tr("%1×%1 tokens").arg(info.resolution_in)
                             : tr("%1×%1 → %2×%2").arg(info.resolution_in).arg(info.resolution_out);
            float largest = 0;
            for (float v : bias.by_offset)
                if (!std::isnan(v)) largest = std::max(largest, std::abs(v));
            row.scale = largest > 0 ? largest : 1.0f;
            for (int h = 0; h < bias.heads; ++h) row.heads.push_back(offsetImage(bias, h, row.scale, diverging));
            max_heads_ = std::max(max_heads_, bias.heads);
            rows_.push_back(std::move(row));
        }
    }
    selected_block_ = selected_head_ = -1;
    updateGeometry();
    update();
}

void AttentionOverview::setSelection(int block, int head) {
    selected_block_ = block;
    selected_head_ = head;
    update();
}

int AttentionOverview::labelWidth() const {
    int widest = fontMetrics().horizontalAdvance(tr("Stage 3 · Block 4"));
    for (const Row& r : rows_) widest = std::max({widest, fontMetrics().horizontalAdvance(r.name), fontMetrics().horizontalAdvance(r.detail)});
    return widest + 12;
}

QString AttentionOverview::legendText() const {
    return tr("The learned position preference of every head (|dy| down, |dx| across). Red: attends more, blue: less; "
              "one colour scale per row. Click a map to open it.");
}

int AttentionOverview::legendHeight(int width) const {
    return fontMetrics().boundingRect(QRect(0, 0, std::max(100, width), 1000), Qt::TextWordWrap, legendText()).height();
}

int AttentionOverview::headerHeight(int width) const { return legendHeight(width) + fontMetrics().height() + 6; }

int AttentionOverview::cellSize(int width) const {
    if (max_heads_ == 0) return kMinCell;
    return std::clamp((width - labelWidth()) / max_heads_ - kGap, kMinCell, kMaxCell);
}

int AttentionOverview::heightForWidth(int width) const {
    return headerHeight(width) + int(rows_.size()) * (cellSize(width) + kGap) + kGap;
}

QSize AttentionOverview::sizeHint() const {
    const int width = labelWidth() + max_heads_ * (40 + kGap);
    return {width, heightForWidth(width)};
}

QSize AttentionOverview::minimumSizeHint() const {
    const int width = labelWidth() + max_heads_ * (kMinCell + kGap);
    return {width, heightForWidth(width)};
}

QRect AttentionOverview::cellRect(int block, int head) const {
    if (block < 0 || block >= blockCount() || head < 0 || head >= headCount(block)) return {};
    const int cell = cellSize(width());
    return {labelWidth() + head * (cell + kGap), headerHeight(width()) + block * (cell + kGap), cell, cell};
}

AttentionOverview::Hit AttentionOverview::hitAt(const QPoint& pos) const {
    for (int b = 0; b < blockCount(); ++b)
        for (int h = 0; h < headCount(b); ++h)
            if (cellRect(b, h).contains(pos)) return {b, h};
    return {};
}

void AttentionOverview::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);
    painter.setPen(text);
    if (rows_.empty()) {
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Load a model to see its attention heads."));
        return;
    }
    const int legend_h = legendHeight(width());
    painter.drawText(QRect(0, 0, width(), legend_h), Qt::AlignLeft | Qt::TextWordWrap, legendText());
    const int cell = cellSize(width());
    for (int h = 0; h < max_heads_; ++h)
        painter.drawText(QRect(labelWidth() + h * (cell + kGap), legend_h + 2, cell, fm.height()), Qt::AlignCenter, tr("H%1").arg(h + 1));
    QColor faint = text;
    faint.setAlphaF(0.7);
    for (int b = 0; b < blockCount(); ++b) {
        const QRect first = cellRect(b, 0);
        painter.setPen(text);
        painter.drawText(QRect(0, first.y(), labelWidth() - 8, cell / 2), Qt::AlignRight | Qt::AlignBottom, rows_[size_t(b)].name);
        painter.setPen(faint);
        painter.drawText(QRect(0, first.y() + cell / 2, labelWidth() - 8, cell / 2), Qt::AlignRight | Qt::AlignTop, rows_[size_t(b)].detail);
        for (int h = 0; h < headCount(b); ++h) {
            const QImage& image = rows_[size_t(b)].heads[size_t(h)];
            const QRect r = cellRect(b, h);
            // Whole pixels per offset, centred: the cells of a small table stay equal squares.
            const int per = std::max(1, std::min(r.width() / std::max(1, image.width()), r.height() / std::max(1, image.height())));
            const QRect target(r.x() + (r.width() - per * image.width()) / 2, r.y() + (r.height() - per * image.height()) / 2,
                               per * image.width(), per * image.height());
            painter.drawImage(target, image);
            if (b == selected_block_ && h == selected_head_) {
                painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
                painter.drawRect(r.adjusted(-2, -2, 1, 1));
            }
        }
    }
}

void AttentionOverview::mousePressEvent(QMouseEvent* event) {
    const Hit hit = hitAt(event->position().toPoint());
    if (hit.block < 0) return;
    setSelection(hit.block, hit.head);
    emit cellSelected(hit.block, hit.head);
}

void AttentionOverview::mouseMoveEvent(QMouseEvent* event) {
    const Hit hit = hitAt(event->position().toPoint());
    if (hit.block < 0) return QToolTip::hideText();
    const Row& row = rows_[size_t(hit.block)];
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1 · Head %2 (%3): bias from −%4 (blue) to +%4 (red). Click to open.")
                           .arg(row.name).arg(hit.head + 1).arg(row.detail).arg(row.scale, 0, 'g', 3),
                       this);
}

}  // namespace levit::ui
