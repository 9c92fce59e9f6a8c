#include "picture_label.h"

#include <QPixmap>

namespace levit::ui {

PictureLabel::PictureLabel(const QString& hint, QWidget* parent) : QLabel(hint, parent), hint_(hint) {
    setAlignment(Qt::AlignCenter);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);  // the pixmap must not dictate the layout
    setFrameShape(QFrame::StyledPanel);
    setWordWrap(true);
}

void PictureLabel::setPicture(const QImage& picture, const QString& tooltip) {
    picture_ = picture;
    setToolTip(tooltip);
    rescale();
}

void PictureLabel::clearPicture() {
    picture_ = {};
    setToolTip({});
    setPixmap({});
    setText(hint_);
}

void PictureLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    rescale();
}

void PictureLabel::rescale() {
    if (picture_.isNull()) return;
    const QSize room = contentsRect().size() * 0.97;
    if (room.isEmpty()) return;
    // Small pictures (a 28x28 digit) are enlarged with visible pixels; photos are smoothed.
    const bool enlarge = picture_.width() < room.width() && picture_.height() < room.height();
    setPixmap(QPixmap::fromImage(picture_.scaled(room, Qt::KeepAspectRatio, enlarge ? Qt::FastTransformation : Qt::SmoothTransformation)));
}

}  // namespace levit::ui
