#pragma once
// The window's messages, one per cause (the model, opening images, the current classification, the live
// view, exports): a new message replaces only the one of its own cause, so a model that finishes loading
// cannot hide an image error that came meanwhile. Each message can be dismissed. The area floats over the
// bottom of the window's views (an overlay): showing or hiding messages never moves the layout.
#include <QMap>
#include <QString>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace levit::ui {

enum class MessageCause { Model, Images, Classification, Live, Export, Teach };

class MessageArea : public QWidget {
    Q_OBJECT
public:
    // A child of `host`, floating over the bottom edge of `anchor` (a child of host) and as wide as it.
    MessageArea(QWidget* host, QWidget* anchor);
    void show(MessageCause cause, const QString& text, bool error);
    void clear(MessageCause cause);
    // Every message shown, oldest cause first, one per line ("" when none).
    QString text() const;
    QString text(MessageCause cause) const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Entry {
        QWidget* row = nullptr;
        QLabel* label = nullptr;
    };
    void place();
    QWidget* anchor_;
    QVBoxLayout* layout_;
    QMap<MessageCause, Entry> entries_;
};

}  // namespace levit::ui
