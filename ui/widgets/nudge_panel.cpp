#include "nudge_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QPixmap>

#include <algorithm>
#include <cmath>
#include <functional>

namespace levit::ui {

namespace {

constexpr int kPictureSide = 160;

// One normalised value of channel c back to grey levels 0..255 (unclamped).
double toLevels(float value, int c, const levit::PreprocessConfig& p) {
    double v = value;
    if (p.do_normalize) v = v * p.image_std[c] + p.image_mean[c];
    if (p.do_rescale && p.rescale_factor > 0) v /= p.rescale_factor;
    return v;
}

// The same for a difference of normalised values (no mean).
double deltaToLevels(float delta, int c, const levit::PreprocessConfig& p) {
    double v = delta;
    if (p.do_normalize) v *= p.image_std[c];
    if (p.do_rescale && p.rescale_factor > 0) v /= p.rescale_factor;
    return v;
}

QImage fromPlanes(const std::vector<float>& values, int side, const std::function<int(float, int)>& level) {
    QImage image(side, side, QImage::Format_RGB888);
    const size_t plane = size_t(side) * side;
    const int channels = int(values.size() / plane);
    for (int y = 0; y < side; ++y) {
        uchar* row = image.scanLine(y);
        for (int x = 0; x < side; ++x)
            for (int c = 0; c < 3; ++c) {
                const int from = std::min(c, channels - 1);  // one channel: grey
                row[x * 3 + c] = uchar(std::clamp(level(values[size_t(from) * plane + size_t(y) * side + x], from), 0, 255));
            }
    }
    return image;
}

}  // namespace

QImage imageFromPixelValues(const std::vector<float>& values, int side, const levit::PreprocessConfig& preprocess) {
    if (side <= 0 || values.size() < size_t(side) * side) return {};
    return fromPlanes(values, side, [&](float v, int c) { return int(std::lround(toLevels(v, c, preprocess))); });
}

QImage perturbationImage(const std::vector<float>& perturbation, int side, double epsilon, const levit::PreprocessConfig& preprocess) {
    if (side <= 0 || perturbation.size() < size_t(side) * side || epsilon <= 0) return {};
    const double full = epsilon * 255.0;  // +-epsilon in grey levels
    return fromPlanes(perturbation, side, [&](float d, int c) { return int(std::lround(127.5 + 127.5 * deltaToLevels(d, c, preprocess) / full)); });
}

NudgePanel::NudgePanel(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_, 0, 0, 1, 3);
    for (int i = 0; i < 3; ++i) {
        pictures_[i] = new QLabel(this);
        pictures_[i]->setFixedSize(kPictureSide, kPictureSide);
        pictures_[i]->setAlignment(Qt::AlignCenter);
        captions_[i] = new QLabel(this);
        captions_[i]->setWordWrap(true);
        captions_[i]->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        captions_[i]->setMaximumWidth(kPictureSide + 40);
        layout->addWidget(pictures_[i], 1, i, Qt::AlignHCenter);
        layout->addWidget(captions_[i], 2, i, Qt::AlignHCenter | Qt::AlignTop);
    }
    layout->setColumnStretch(3, 1);
    clear();
}

void NudgePanel::clear() {
    summary_->clear();
    for (int i = 0; i < 3; ++i) {
        pictures_[i]->clear();
        captions_[i]->clear();
        pictures_[i]->hide();
        captions_[i]->hide();
    }
    hide();
}

void NudgePanel::showWorking(const QString& text) {
    clear();
    summary_->setText(text.toHtmlEscaped());
    show();
}

QString NudgePanel::summary() const { return summary_->text(); }

void NudgePanel::showNudge(const levit::AdversarialNudge& nudge, const QImage& original, int side,
                           const levit::PreprocessConfig& preprocess, const QStringList& labels, const QString& head, double ms) {
    clear();
    show();
    auto name = [&](int k) { return k >= 0 && k < labels.size() ? labels[k] : tr("class %1").arg(k); };
    if (!nudge.found) {
        summary_->setText(tr("No step up to ±%1 grey levels changes the answer of the %2 (%3): this prediction is robust to "
                             "the fast-gradient-sign nudge. (%4 ms)")
                              .arg(levit::NudgeSearch{}.max_epsilon * 255.0, 0, 'f', 0)
                              .arg(head.toLower(), name(nudge.original_class).toHtmlEscaped())
                              .arg(ms, 0, 'f', 0));
        return;
    }
    const double levels = nudge.epsilon * 255.0;
    summary_->setText(tr("Moving every pixel by at most <b>%1 grey levels of 255</b> — in the direction that lowers "
                         "the answer's score fastest — changes the answer of the %2 from <b>%3</b> to <b>%4</b>. The change "
                         "is too small to see; it is magnified ×%5 in the middle picture. (%6 ms)")
                          .arg(levels, 0, 'f', levels < 10 ? 1 : 0)
                          .arg(head.toLower(), name(nudge.original_class).toHtmlEscaped(), name(nudge.new_class).toHtmlEscaped())
                          .arg(127.5 / levels, 0, 'f', 0)
                          .arg(ms, 0, 'f', 0));
    const QImage pictures[3] = {original, perturbationImage(nudge.perturbation, side, nudge.epsilon, preprocess),
                                imageFromPixelValues(nudge.nudged, side, preprocess)};
    const QString captions[3] = {
        tr("What the model saw: %1 (%2%)").arg(name(nudge.original_class)).arg(nudge.original_probability * 100, 0, 'f', 1),
        tr("The nudge ×%1 (grey: unchanged)").arg(127.5 / levels, 0, 'f', 0),
        tr("Nudged: %1 (%2%)").arg(name(nudge.new_class)).arg(nudge.new_probability * 100, 0, 'f', 1)};
    for (int i = 0; i < 3; ++i) {
        pictures_[i]->setPixmap(QPixmap::fromImage(pictures[i].scaled(kPictureSide, kPictureSide, Qt::KeepAspectRatio, Qt::FastTransformation)));
        captions_[i]->setText(captions[i]);
        pictures_[i]->setToolTip(i == 1 ? tr("Each pixel's change, magnified: mid grey = unchanged, white/black = ±%1 grey levels; "
                                             "colours where the channels move differently").arg(levels, 0, 'f', 1)
                                        : captions[i]);
        pictures_[i]->show();
        captions_[i]->show();
    }
}

}  // namespace levit::ui
