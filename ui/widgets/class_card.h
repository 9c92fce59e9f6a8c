#pragma once
// One class of the Teach tab as a card: its name (editable), how many examples it holds, their thumbnails
// (select and press Delete, or right-click, to remove), and the ways to add examples: drop files or folders on
// it, Add images…, a folder, Paste, and Record (held down: a camera or video frame every few hundred ms).
#include <QFrame>
#include <QFutureWatcher>
#include <QTimer>

#include <functional>
#include <optional>

#include "levit/image.h"
#include "teach_examples.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace levit::ui {

class ClassCard : public QFrame {
    Q_OBJECT
public:
    explicit ClassCard(const QString& name, QWidget* parent = nullptr);

    QString name() const;
    void setName(const QString& name);
    const std::vector<TeachExample>& examples() const { return examples_; }
    void addExamples(std::vector<TeachExample> examples);
    void removeExample(int index);
    // Where Record takes frames from (the window's live view); none: Record says why it cannot.
    void setFrameSource(std::function<std::optional<levit::ImageRGB8>()> source);
    void setRecordInterval(int ms) { record_timer_.setInterval(ms); }
    bool recording() const { return record_timer_.isActive(); }
    void startRecording();
    void stopRecording();
    QPushButton* recordButton() const { return record_button_; }
    void setEditable(bool editable);  // off while training
    // Files and folders added (drop, Images…, Folder…) are decoded off the GUI thread; true while they are.
    bool adding() const { return adding_.isRunning(); }
    void addPaths(const QStringList& paths);

signals:
    void changed();              // examples added or removed, or renamed
    void removeRequested();
    void message(const QString& text, bool error);
    void added();  // files given to addPaths are in (or reported)

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void pasteImage();
    void onAdded();
    void recordFrame();
    void refreshCount();

    QLineEdit* name_;
    QLabel* count_;
    QListWidget* thumbnails_;
    QPushButton* add_button_;
    QPushButton* folder_button_;
    QPushButton* paste_button_;
    QPushButton* record_button_;
    QPushButton* remove_button_;
    QTimer record_timer_;
    std::function<std::optional<levit::ImageRGB8>()> frames_;
    std::vector<TeachExample> examples_;
    struct Decoded {
        std::vector<TeachExample> examples;
        QStringList errors;
    };
    QFutureWatcher<Decoded> adding_;
};

}  // namespace levit::ui
