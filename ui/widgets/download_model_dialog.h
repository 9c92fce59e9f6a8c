#pragma once
// Model > Download model…: pick a LeViT id (or type any org/name) and a revision; the model comes from the
// Hugging Face cache when it is there, else it is downloaded into it with a progress bar that can be
// cancelled (a later download resumes). modelReady gives the snapshot folder to open.
#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace levit::hub {
class ModelDownload;
struct DownloadProgress;
}  // namespace levit::hub

namespace levit::ui {

class DownloadModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit DownloadModelDialog(QWidget* parent = nullptr);
    ~DownloadModelDialog() override;

    // The published LeViT checkpoints, offered in the list.
    static QStringList knownModelIds();

    void startDownload();
    bool downloading() const;

    // For tests and scripts.
    QComboBox* modelBox() const { return model_box_; }
    QLineEdit* revisionEdit() const { return revision_edit_; }
    QProgressBar* progressBar() const { return progress_; }
    QPushButton* downloadButton() const { return download_button_; }
    QPushButton* cancelButton() const { return cancel_button_; }
    QString status() const;

signals:
    void modelReady(const QString& snapshot_dir);

protected:
    void reject() override;  // Escape / Cancel: stops a running download first

private:
    void onProgress(const levit::hub::DownloadProgress& p);
    void onFinished(const QString& dir, bool from_cache);
    void onFailed(const QString& message);
    void onCancelled();
    void setBusy(bool busy);
    void setStatus(const QString& text, bool error);

    QComboBox* model_box_;
    QLineEdit* revision_edit_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton* download_button_;
    QPushButton* cancel_button_;
    QPointer<levit::hub::ModelDownload> download_;
};

}  // namespace levit::ui
