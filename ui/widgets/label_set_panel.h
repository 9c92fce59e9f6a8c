#pragma once
// Which classes the model knows, beside its prediction: "one of 10 classes" (the list in a tooltip and on
// click) and, when the model card says so, what it was trained on. A model that knows ten kinds of clothing
// calls a cat a bag; this tells the reader why. For a 1000-class config with only generic names
// (LABEL_0…) it offers the ImageNet-1k names.
#include <QStringList>
#include <QWidget>

#include "model_card.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace levit {
struct Config;
}

namespace levit::ui {

class LabelSetPanel : public QWidget {
    Q_OBJECT
public:
    explicit LabelSetPanel(QWidget* parent = nullptr);
    void setModel(const levit::Config& config, const ModelCard& card);
    void clear();

    // The class names to show, by class index: the config's, or the ImageNet-1k names when chosen.
    QStringList classNames() const;
    bool offersImagenetNames() const { return offers_imagenet_; }
    bool usingImagenetNames() const { return using_imagenet_; }
    void setUseImagenetNames(bool use);

    QString countText() const;
    QString classesToolTip() const;
    QString domainText() const;  // the card's first paragraph (shown: its first sentence; all of it in the tooltip)
    QString noteText() const;
    QString shownText() const;   // the line beside the answer, as plain text
    // Opens the list of every class under the count (as a click on it does).
    void showClassList();
    const QListWidget* classList() const { return list_; }

signals:
    void namesChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();

    QStringList model_names_;
    bool generic_ = false;
    bool offers_imagenet_ = false;
    bool using_imagenet_ = false;
    ModelCard card_;
    QLabel* summary_ = nullptr;
    QLabel* note_ = nullptr;
    QPushButton* imagenet_button_ = nullptr;
    QListWidget* list_ = nullptr;
};

}  // namespace levit::ui
