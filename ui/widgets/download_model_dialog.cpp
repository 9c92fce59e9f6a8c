#include "download_model_dialog.h"

#include <QDebug>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "hub/download_progress.h"
#include "hub/hub_environment.h"
#include "hub/hub_error.h"
#include "hub/model_download.h"
#include "hub/model_id.h"

namespace levit::ui {

namespace {
constexpr int kProgressSteps = 1000;
}

QStringList DownloadModelDialog::knownModelIds() {
    return {"facebook/levit-128S", "facebook/levit-128", "facebook/levit-192", "facebook/levit-256", "facebook/levit-384"};
}

DownloadModelDialog::DownloadModelDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Download a model"));
    auto* intro = new QLabel(tr("Gets a LeViT checkpoint from the Hugging Face Hub (<tt>%1</tt>) into the Hugging Face cache "
                                "(<tt>%2</tt>), shared with Python tools. A model already in the cache opens at once, "
                                "without a download; a cancelled download resumes next time.")
                                 .arg(hub::hubEndpoint().toHtmlEscaped(), hub::hubCacheDir().toHtmlEscaped()));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);

    model_box_ = new QComboBox;
    model_box_->setEditable(true);
    model_box_->addItems(knownModelIds());
    model_box_->setInsertPolicy(QComboBox::NoInsert);
    model_box_->setToolTip(tr("A Hugging Face model id, org/name; the list holds the published LeViT models"));
    model_box_->setMinimumContentsLength(28);
    revision_edit_ = new QLineEdit;
    revision_edit_->setPlaceholderText(tr("main"));
    revision_edit_->setToolTip(tr("A branch, a tag or a commit hash (empty: main)"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Model:"), model_box_);
    form->addRow(tr("&Revision:"), revision_edit_);

    progress_ = new QProgressBar;
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    status_ = new QLabel(tr("Choose a model and press Download."));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setMinimumHeight(status_->fontMetrics().height() * 3);
    status_->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto* buttons = new QDialogButtonBox;
    download_button_ = buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
    cancel_button_ = buttons->addButton(QDialogButtonBox::Cancel);
    download_button_->setDefault(true);
    connect(download_button_, &QPushButton::clicked, this, &DownloadModelDialog::startDownload);
    connect(cancel_button_, &QPushButton::clicked, this, &DownloadModelDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    setBusy(false);
}

DownloadModelDialog::~DownloadModelDialog() {
    if (download_) download_->cancel();
}

bool DownloadModelDialog::downloading() const { return download_ && download_->running(); }

QString DownloadModelDialog::status() const { return status_->text(); }

void DownloadModelDialog::startDownload() {
    if (downloading()) return;
    hub::ModelId id;
    try {
        id = hub::parseModelId(model_box_->currentText(), revision_edit_->text());
    } catch (const hub::HubError& e) {
        return setStatus(QString::fromUtf8(e.what()), true);
    }
    if (download_) download_->deleteLater();
    download_ = new hub::ModelDownload(id, this);
    connect(download_, &hub::ModelDownload::progress, this, &DownloadModelDialog::onProgress);
    connect(download_, &hub::ModelDownload::finished, this, &DownloadModelDialog::onFinished);
    connect(download_, &hub::ModelDownload::failed, this, &DownloadModelDialog::onFailed);
    connect(download_, &hub::ModelDownload::cancelled, this, &DownloadModelDialog::onCancelled);
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(0);
    setStatus(tr("Looking up %1…").arg(id.display()), false);
    setBusy(true);
    download_->start();
}

void DownloadModelDialog::onProgress(const hub::DownloadProgress& p) {
    if (p.total > 0) {
        progress_->setRange(0, kProgressSteps);
        progress_->setValue(int(double(p.received) / double(p.total) * kProgressSteps));
    } else {
        progress_->setRange(0, 0);  // size unknown: a busy bar
    }
    setStatus(tr("Downloading %1: %2").arg(download_ ? download_->id().display() : QString(), hub::progressText(p)), false);
}

void DownloadModelDialog::onFinished(const QString& dir, bool from_cache) {
    setBusy(false);
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(kProgressSteps);
    setStatus(from_cache ? tr("In the cache already: %1").arg(dir) : tr("Downloaded into %1").arg(dir), false);
    emit modelReady(dir);
    accept();
}

void DownloadModelDialog::onFailed(const QString& message) {
    setBusy(false);
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(0);
    setStatus(message, true);
}

void DownloadModelDialog::onCancelled() {
    setBusy(false);
    progress_->setRange(0, kProgressSteps);
    setStatus(tr("Cancelled. What arrived is kept; the next download resumes from there."), false);
}

void DownloadModelDialog::reject() {
    if (downloading()) {
        download_->cancel();
        return;  // stay open: the user sees that it stopped, then closes or resumes
    }
    QDialog::reject();
}

void DownloadModelDialog::setBusy(bool busy) {
    download_button_->setEnabled(!busy);
    model_box_->setEnabled(!busy);
    revision_edit_->setEnabled(!busy);
    cancel_button_->setText(busy ? tr("&Cancel") : tr("&Close"));
}

void DownloadModelDialog::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? "QLabel { color: #a31515; }" : QString());
    // Like the window's messages: someone who started the app from a terminal sees why a download failed.
    if (error) qWarning().noquote() << "levit-lens:" << text;
}

}  // namespace levit::ui
