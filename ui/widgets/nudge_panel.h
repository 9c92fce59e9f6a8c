#pragma once
// The adversarial nudge, shown for teaching: the image the model saw, the perturbation that changes its answer
// (magnified so it can be seen, with its true size in grey levels), and the nudged image with the new answer.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "levit/adversarial.h"
#include "levit/config.h"

class QLabel;

namespace levit::ui {

// Normalised pixel values [C, S, S] back to an RGB image (the inverse of the preprocessor's rescale and
// normalisation, clamped to 0..255).
QImage imageFromPixelValues(const std::vector<float>& values, int side, const levit::PreprocessConfig& preprocess);
// The perturbation nudged - original in grey levels, magnified so that +-epsilon spans the full range
// (mid grey = unchanged).
QImage perturbationImage(const std::vector<float>& perturbation, int side, double epsilon, const levit::PreprocessConfig& preprocess);

class NudgePanel : public QWidget {
    Q_OBJECT
public:
    explicit NudgePanel(QWidget* parent = nullptr);
    // `labels`: class names by index.
    void showNudge(const levit::AdversarialNudge& nudge, const QImage& original, int side, const levit::PreprocessConfig& preprocess,
                   const QStringList& labels, const QString& head, double ms);
    void showWorking(const QString& text);
    void clear();
    QString summary() const;

private:
    QLabel* summary_;
    QLabel* pictures_[3];
    QLabel* captions_[3];
};

}  // namespace levit::ui
