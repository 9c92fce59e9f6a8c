#pragma once
// The picture the window describes, always scaled to fit its label (re-scaled when the window grows or
// shrinks, not only when a new picture arrives), with a hint text when there is none.
#include <QImage>
#include <QLabel>

namespace levit::ui {

class PictureLabel : public QLabel {
    Q_OBJECT
public:
    explicit PictureLabel(const QString& hint, QWidget* parent = nullptr);
    void setPicture(const QImage& picture, const QString& tooltip);
    void clearPicture();
    const QImage& picture() const { return picture_; }
    QSize minimumSizeHint() const override { return {160, 120}; }
    QSize sizeHint() const override { return {420, 320}; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rescale();
    QImage picture_;
    QString hint_;
};

}  // namespace levit::ui
