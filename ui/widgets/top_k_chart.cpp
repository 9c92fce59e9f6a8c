#include "top_k_chart.h"

#include <QMouseEvent>

#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

#include "chart_style.h"

namespace levit::ui {

namespace {
constexpr int kMargin = 6;
constexpr int kGap = 8;
constexpr double kMaxLabelShare = 0.6;  // of the width; the bars need the rest
constexpr double kMinFontScale = 0.8;   // 80% of a 9-10 pt UI font is still readable
}  // namespace

TopKChart::TopKChart(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);
}

void TopKChart::setTitle(const QString& title) {
    title_ = title;
    updateGeometry();
    update();
}

void TopKChart::setBarColor(const QColor& color) {
    color_ = color;
    update();
}

void TopKChart::setRanking(const std::vector<levit::Prediction>& ranking, int k, const QStringList& names) {
    rows_.clear();
    for (int i = 0; i < std::min<int>(k, int(ranking.size())); ++i) {
        const levit::Prediction& p = ranking[i];
        const QString label = p.index < names.size() ? names[p.index] : QString::fromStdString(p.label);
        rows_.push_back({label, p.probability, p.index});
    }
    updateGeometry();
    update();
}

void TopKChart::clear() {
    rows_.clear();
    update();
}

QString TopKChart::percentText(double probability) {
    const double percent = probability * 100.0;
    return percent < 0.1 ? tr("under 0.1%") : QString::number(percent, 'f', 1) + "%";
}

TopKChart::Geometry TopKChart::geometry() const {
    Geometry g;
    const QRect area = rect().adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const int n = std::max<int>(1, rows_.size());
    // When k rows at the widget's font do not fit the height the window can spare (top-10 at 1280x720),
    // the text shrinks a little (to 80%), then the title gives up its line (it stays in the tooltip).
    g.font = font();
    const int base_h = QFontMetrics(g.font).height();
    const int rows_without_title = area.height() - (base_h + 2);
    g.show_title = !title_.isEmpty();
    double scale = double(rows_without_title - (g.show_title ? base_h + 2 : 0)) / n / (base_h + 2);
    if (scale < kMinFontScale && g.show_title) {
        g.show_title = false;
        scale = double(rows_without_title) / n / (base_h + 2);
    }
    if (scale < 1) g.font.setPointSizeF(g.font.pointSizeF() * std::max(kMinFontScale, scale));
    const QFontMetrics fm(g.font);
    const int title_h = g.show_title ? fm.height() + 2 : 0;
    const int ticks_h = fm.height() + 2;
    g.title = QRect(area.left(), area.top(), area.width(), title_h);
    const int rows_top = g.title.top() + title_h;
    const int rows_h = std::max(0, area.bottom() - ticks_h - rows_top);
    // Rows share the height, but never grow into fat slabs that push the scale far from the names.
    // Rows that would be shorter than their text are not drawn over each other: the last row that fits
    // says how many are left out (a window too short for its k).
    g.visible_rows = std::clamp(rows_h / fm.height(), 0, int(rows_.size()));
    g.row_height = g.visible_rows == 0 ? 0 : std::min(rows_h / std::max(1, g.visible_rows), int(fm.height() * 2.2));
    const int used_h = g.row_height * std::max(1, g.visible_rows);
    int label_w = 0, value_w = fm.horizontalAdvance(percentText(0.0));
    for (int i = 0; i < g.visible_rows; ++i) {
        label_w = std::max(label_w, fm.horizontalAdvance(shownLabel(g, i)));
        value_w = std::max(value_w, fm.horizontalAdvance(percentText(rows_[i].probability)));
    }
    // A few pixels over the widest advance: elidedText measures the laid-out text, which can be a pixel wider.
    label_w = std::min(label_w + 4, int(area.width() * kMaxLabelShare));
    g.labels = QRect(area.left(), rows_top, label_w, used_h);
    g.values = QRect(area.right() - value_w, rows_top, value_w, used_h);
    g.bars = QRect(g.labels.right() + kGap, rows_top, std::max(10, g.values.left() - kGap - g.labels.right() - kGap), used_h);
    g.ticks = QRect(g.bars.left(), rows_top + used_h + 2, g.bars.width(), ticks_h);
    return g;
}

int TopKChart::rowHeight() const { return geometry().row_height; }

bool TopKChart::isOverflowRow(const Geometry& g, int row) const { return g.visible_rows < int(rows_.size()) && row == g.visible_rows - 1; }

QString TopKChart::shownLabel(const Geometry& g, int row) const {
    return isOverflowRow(g, row) ? tr("… %1 more").arg(int(rows_.size()) - row) : rows_[row].label;
}

QFont TopKChart::drawnFont() const { return geometry().font; }

QStringList TopKChart::drawnLabels() const {
    const Geometry g = geometry();
    const QFontMetrics fm(g.font);
    QStringList out;
    for (int i = 0; i < g.visible_rows; ++i) out << fm.elidedText(shownLabel(g, i), Qt::ElideMiddle, g.labels.width());
    return out;
}

QSize TopKChart::minimumSizeHint() const {
    // Room for the rows at the smallest font geometry() shrinks to.
    const int h = int(fontMetrics().height() * kMinFontScale) + 2;
    const int rows = std::max<int>(5, rows_.size());
    return {fontMetrics().horizontalAdvance("M") * 20, 2 * kMargin + 2 * h + rows * h};
}

QSize TopKChart::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    const int rows = std::max<int>(5, rows_.size());
    return {fm.horizontalAdvance("M") * 30, 2 * kMargin + 2 * (fm.height() + 2) + rows * int(fm.height() * 1.6)};
}

void TopKChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(45);
    const Geometry g = geometry();
    painter.setFont(g.font);
    const QFontMetrics fm(g.font);
    if (g.show_title) {
        painter.setPen(text);
        painter.drawText(g.title, Qt::AlignHCenter | Qt::AlignTop, fm.elidedText(title_, Qt::ElideRight, g.title.width()));
    }
    // Scale: grid lines at 0, 25, 50, 75 and 100%.
    for (int t = 0; t <= 4; ++t) {
        const int x = g.bars.left() + g.bars.width() * t / 4;
        painter.setPen(grid);
        painter.drawLine(x, g.bars.top(), x, g.bars.bottom());
        painter.setPen(text);
        const QString tick = QString::number(t * 25) + (t == 4 ? "%" : "");
        const int w = fm.horizontalAdvance(tick);
        painter.drawText(QRect(x - w / 2 - 2, g.ticks.top(), w + 4, g.ticks.height()), Qt::AlignCenter, tick);
    }
    const QStringList labels = drawnLabels();
    for (int i = 0; i < g.visible_rows; ++i) {
        const int top = g.labels.top() + i * g.row_height;
        const int bar_h = std::max(2, int(g.row_height * 0.6));
        const QRect bar(g.bars.left(), top + (g.row_height - bar_h) / 2, int(g.bars.width() * std::clamp(rows_[i].probability, 0.0, 1.0)), bar_h);
        if (!isOverflowRow(g, i)) painter.fillRect(bar.adjusted(0, 0, 1, 0), color_);
        painter.setPen(text);
        painter.drawText(QRect(g.labels.left(), top, g.labels.width(), g.row_height), Qt::AlignRight | Qt::AlignVCenter, labels[i]);
        if (!isOverflowRow(g, i))
            painter.drawText(QRect(g.values.left(), top, g.values.width(), g.row_height), Qt::AlignRight | Qt::AlignVCenter,
                             percentText(rows_[i].probability));
    }
}

int TopKChart::rowAt(const QPoint& pos) const {
    const Geometry g = geometry();
    if (g.row_height <= 0 || pos.y() < g.labels.top() || pos.y() >= g.labels.top() + g.row_height * g.visible_rows) return -1;
    return (pos.y() - g.labels.top()) / g.row_height;
}

QString TopKChart::toolTipAt(const QPoint& pos) const {
    const int row = rowAt(pos);
    if (row < 0) return geometry().show_title ? QString() : title_;
    if (isOverflowRow(geometry(), row)) {
        QStringList rest;
        for (int i = row; i < int(rows_.size()); ++i) rest << tr("%1: %2").arg(rows_[i].label, percentText(rows_[i].probability));
        return rest.join('\n');
    }
    const Row& r = rows_[row];
    return tr("%1 (class %2): %3%\nClick to see why (Explain tab)").arg(r.label).arg(r.index).arg(r.probability * 100.0, 0, 'f', 2);
}

void TopKChart::mousePressEvent(QMouseEvent* event) {
    const int row = rowAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && row >= 0 && !isOverflowRow(geometry(), row)) emit classClicked(rows_[size_t(row)].index);
    QWidget::mousePressEvent(event);
}

bool TopKChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

void TopKChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) update();
    QWidget::changeEvent(event);
}

}  // namespace levit::ui
