#include "label_set_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "chart_style.h"
#include "levit/config.h"
#include "levit/imagenet_labels.h"

namespace levit::ui {

namespace {
constexpr int kToolTipNames = 40;  // a tooltip with 1000 lines would cover the screen; the list has them all
}

LabelSetPanel::LabelSetPanel(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    note_ = new QLabel(this);
    note_->setWordWrap(true);
    imagenet_button_ = new QPushButton(this);
    imagenet_button_->setToolTip(tr("A 1000-class LeViT is usually an ImageNet-1k model: show the ImageNet-1k class names\n"
                                    "by class index. Only right if the model was trained on ImageNet-1k in its usual order."));
    list_ = new QListWidget(this);
    list_->setWindowFlags(Qt::Popup);
    list_->setAlternatingRowColors(true);

    auto* note_row = new QHBoxLayout();
    note_row->addWidget(note_, 1);
    note_row->addWidget(imagenet_button_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(summary_);
    layout->addLayout(note_row);

    connect(summary_, &QLabel::linkActivated, this, &LabelSetPanel::showClassList);
    connect(imagenet_button_, &QPushButton::clicked, this, [this] { setUseImagenetNames(!using_imagenet_); });
    clear();
}

void LabelSetPanel::setModel(const levit::Config& config, const ModelCard& card) {
    model_names_.clear();
    for (const std::string& label : config.id2label) model_names_ << QString::fromStdString(label);
    generic_ = config.hasGenericLabels();
    offers_imagenet_ = generic_ && config.numLabels() == int(levit::imagenet1kLabels().size());
    using_imagenet_ = false;
    card_ = card;
    refresh();
}

void LabelSetPanel::clear() {
    model_names_.clear();
    generic_ = offers_imagenet_ = using_imagenet_ = false;
    card_ = {};
    refresh();
}

QStringList LabelSetPanel::classNames() const {
    if (!using_imagenet_) return model_names_;
    QStringList names;
    for (const std::string& name : levit::imagenet1kLabels()) names << QString::fromStdString(name);
    return names;
}

void LabelSetPanel::setUseImagenetNames(bool use) {
    use = use && offers_imagenet_;
    if (use == using_imagenet_) return;
    using_imagenet_ = use;
    refresh();
    emit namesChanged();
}

QString LabelSetPanel::countText() const {
    const int n = int(model_names_.size());
    if (n == 0) return {};
    return n == 1 ? tr("The one class this model knows") : tr("One of the %1 classes this model knows").arg(n);
}

QString LabelSetPanel::classesToolTip() const {
    const QStringList names = classNames();
    if (names.isEmpty()) return {};
    QString tip = tr("Every picture gets one of these %1 classes, whatever it shows:").arg(names.size()) + "\n" +
                  names.mid(0, kToolTipNames).join(", ");
    if (names.size() > kToolTipNames) tip += "\n" + tr("… and %1 more (click for the whole list)").arg(names.size() - kToolTipNames);
    return tip;
}

QString LabelSetPanel::domainText() const {
    // The card's own words first; the bare dataset ids only when the card has no prose.
    if (!card_.summary.isEmpty()) return card_.summary;
    if (!card_.datasets.isEmpty()) return tr("Training data: %1").arg(card_.datasets.join(", "));
    return {};
}

QString LabelSetPanel::noteText() const {
    if (!generic_) return {};
    // One short line: the left column is narrow and short at 1280x720; the button's tooltip says more.
    const QString range = tr("LABEL_0…LABEL_%1").arg(model_names_.size() - 1);
    if (using_imagenet_) return tr("ImageNet-1k names by class index (the config says %1).").arg(range);
    return tr("Classes named only %1.").arg(range);
}

void LabelSetPanel::showClassList() {
    list_->clear();
    const QStringList names = classNames();
    for (int i = 0; i < names.size(); ++i) list_->addItem(QString("%1  %2").arg(i).arg(names[i]));
    const int rows = std::min<int>(names.size(), 16);
    list_->resize(std::max(260, summary_->width() / 2), list_->sizeHintForRow(0) * rows + 2 * list_->frameWidth() + 4);
    list_->move(summary_->mapToGlobal(QPoint(0, summary_->height())));
    list_->show();
}

namespace {

// "Fashion-MNIST: 28×28 grayscale photos of clothing, ten classes. Any other…" -> its first sentence.
QString firstSentence(const QString& text) {
    const int end = text.indexOf(". ");
    return end < 0 ? text : text.left(end + 1);
}

}  // namespace

QString LabelSetPanel::shownText() const {
    const QString domain = firstSentence(domainText());
    return domain.isEmpty() ? countText() + " ▾" : countText() + " ▾ · " + domain;
}

void LabelSetPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && list_) refresh();
    QWidget::changeEvent(event);
}

void LabelSetPanel::refresh() {
    const QString domain = firstSentence(domainText());
    // The count is a link: clicking it lists every class (a menu of 1000 entries would not fit the screen).
    // Qt's link colour is dark blue in every palette unless the palette sets one: unreadable on a dark window.
    const QColor link = isDarkPalette(palette()) ? QColor(0x8a, 0xb4, 0xf8) : palette().color(QPalette::Link);
    QString html = QString("<a href=\"classes\" style=\"color:%1\">%2&nbsp;▾</a>").arg(link.name(), countText().toHtmlEscaped());
    if (!domain.isEmpty()) html += " · " + domain.toHtmlEscaped();
    summary_->setText(model_names_.isEmpty() ? QString() : html);
    summary_->setToolTip(domainText().isEmpty() ? classesToolTip() : domainText() + "\n\n" + classesToolTip());
    summary_->setVisible(!model_names_.isEmpty());
    note_->setText(noteText());
    note_->setVisible(!note_->text().isEmpty());
    imagenet_button_->setText(using_imagenet_ ? tr("Show LABEL_N names") : tr("Use ImageNet-1k names"));
    imagenet_button_->setVisible(offers_imagenet_);
    list_->hide();
}

}  // namespace levit::ui
