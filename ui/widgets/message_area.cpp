#include "message_area.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace levit::ui {

MessageArea::MessageArea(QWidget* host, QWidget* anchor) : QWidget(host), anchor_(anchor) {
    layout_ = new QVBoxLayout(this);
    layout_->setContentsMargins(8, 0, 8, 6);
    layout_->setSpacing(4);
    anchor_->installEventFilter(this);
    hide();
}

void MessageArea::show(MessageCause cause, const QString& text, bool error) {
    if (text.isEmpty()) return clear(cause);
    Entry& entry = entries_[cause];
    if (!entry.row) {
        entry.row = new QWidget(this);
        auto* row = new QHBoxLayout(entry.row);
        row->setContentsMargins(10, 6, 6, 6);
        entry.label = new QLabel(entry.row);
        entry.label->setWordWrap(true);
        entry.label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* close = new QToolButton(entry.row);
        close->setText(QStringLiteral("✕"));
        close->setAutoRaise(true);
        close->setToolTip(tr("Dismiss this message"));
        connect(close, &QToolButton::clicked, this, [this, cause] { clear(cause); });
        row->addWidget(entry.label, 1);
        row->addWidget(close, 0, Qt::AlignTop);
        entry.row->setAutoFillBackground(true);
        // Messages of an earlier cause stay above later ones: the order of MessageCause.
        int index = 0;
        for (auto it = entries_.begin(); it != entries_.end() && it.key() != cause; ++it)
            if (it->row && it->row != entry.row) ++index;
        layout_->insertWidget(index, entry.row);
    }
    entry.label->setText(text);
    // Fixed colours with dark text, readable on the light and the dark palette alike.
    entry.row->setStyleSheet(error ? "QWidget { background: #fde0dc; color: #7a1010; border-radius: 4px; }"
                                   : "QWidget { background: #e3f0fb; color: #0b3c5d; border-radius: 4px; }");
    place();
    QWidget::show();
    raise();
}

void MessageArea::clear(MessageCause cause) {
    auto it = entries_.find(cause);
    if (it == entries_.end()) return;
    it->row->deleteLater();
    layout_->removeWidget(it->row);
    entries_.erase(it);
    if (entries_.isEmpty()) hide();
    else place();
}

QString MessageArea::text() const {
    QStringList lines;
    for (const Entry& e : entries_) lines << e.label->text();
    return lines.join('\n');
}

QString MessageArea::text(MessageCause cause) const {
    auto it = entries_.find(cause);
    return it == entries_.end() ? QString() : it->label->text();
}

bool MessageArea::eventFilter(QObject* watched, QEvent* event) {
    if (watched == anchor_ && (event->type() == QEvent::Resize || event->type() == QEvent::Move) && isVisible()) place();
    return QWidget::eventFilter(watched, event);
}

// At the bottom of the anchor, where it covers the least used part of the views (never the tab bar or the
// menus), up to half the anchor's height.
void MessageArea::place() {
    const QRect anchor = anchor_->geometry();
    layout_->activate();
    const int wanted = heightForWidth(anchor.width()) > 0 ? heightForWidth(anchor.width()) : sizeHint().height();
    const int height = std::min(wanted, anchor.height() / 2);
    setGeometry(anchor.x(), anchor.bottom() + 1 - height, anchor.width(), height);
}

}  // namespace levit::ui
