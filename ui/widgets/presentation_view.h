#pragma once
// Presentation mode's picture, for a projector at the back of a room: the current image or live frame, large,
// with the predicted label and its confidence drawn on it big enough to read from far away (the label at
// least 1/12 of the view's height, on a plate that contrasts with any picture), the top 3 as large bars
// underneath and the model's name small. Everything scales with the view. A plain widget: the presentation
// window shows it full screen, and a tab can embed it as its large live view.
#include <QImage>
#include <QPixmap>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include "inference_result.h"

namespace levit::ui {

class PresentationView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kBars = 3;

    explicit PresentationView(QWidget* parent = nullptr);

    // The answer for `picture` (the still image or the live frame that was classified).
    void showResult(const InferenceResultPtr& result, const QImage& picture);
    // No answer: the picture, label and bars go; `message` says why.
    void clearResult(const QString& message);
    // Class names by index drawn instead of the config's (the ImageNet-1k names chosen for LABEL_N); empty for
    // the config's. What is shown is relabelled at once.
    void setClassNames(const QStringList& names);

    // For tests and scripts: what is drawn.
    bool hasResult() const { return !labels_.isEmpty(); }
    QString shownLabel() const { return labels_.value(0); }
    double shownConfidence() const { return probabilities_.value(0); }
    QStringList barLabels() const { return labels_; }
    QVector<double> barProbabilities() const { return probabilities_; }
    QString modelName() const { return model_name_; }
    QSize pictureSize() const { return picture_.size(); }
    QString message() const { return message_; }
    // The label's font size, in pixels, at the view's current size.
    int labelPixelSize() const;

    QSize sizeHint() const override { return {960, 540}; }
    QSize minimumSizeHint() const override { return {320, 180}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Where things go at the current size: picture on top, bars below it, the model name at the bottom.
    struct Areas {
        QRectF picture;
        QRectF bars;
        QRectF model_line;
        qreal margin = 0;
    };
    Areas areas() const;
    bool darkPalette() const;
    QRectF paintPicture(QPainter& painter, const QRectF& area);
    void paintHeadline(QPainter& painter, const QRectF& picture_rect, const Areas& a);
    // What every bar row shares.
    struct BarStyle {
        QFont font;
        QColor text, accent, track;
        qreal gap = 0, label_width = 0, percent_width = 0;
    };
    void paintBars(QPainter& painter, const QRectF& area);
    void paintBar(QPainter& painter, const QRectF& row, int index, const BarStyle& style);
    void paintModelName(QPainter& painter, const QRectF& area);
    void paintMessage(QPainter& painter, const QRectF& area);

    QImage picture_;
    QPixmap scaled_;  // picture_ at the size last drawn: a large photo is not rescaled on every repaint
    QStringList labels_;
    QVector<int> indices_;  // the classes of labels_
    QStringList class_names_;
    QVector<double> probabilities_;
    QString model_name_;
    QString message_;
};

}  // namespace levit::ui
