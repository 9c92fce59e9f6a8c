#include "class_card.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include "image_convert.h"
#include "media/image_decoder.h"
#include "pool_task.h"

namespace levit::ui {

ClassCard::ClassCard(const QString& name, QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    setAcceptDrops(true);
    name_ = new QLineEdit(name, this);
    name_->setToolTip(tr("The class's name (the label the model will say)"));
    count_ = new QLabel(this);
    thumbnails_ = new QListWidget(this);
    thumbnails_->setViewMode(QListView::IconMode);
    thumbnails_->setIconSize(QSize(kExampleThumbnail, kExampleThumbnail));
    thumbnails_->setResizeMode(QListView::Adjust);
    thumbnails_->setMovement(QListView::Static);
    thumbnails_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    thumbnails_->setMinimumHeight(kExampleThumbnail + 24);
    thumbnails_->setMinimumWidth(200);
    thumbnails_->setMaximumHeight(2 * kExampleThumbnail + 40);
    thumbnails_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* remove_selected = new QAction(tr("Remove selected examples"), thumbnails_);
    remove_selected->setShortcut(QKeySequence::Delete);
    remove_selected->setShortcutContext(Qt::WidgetShortcut);
    thumbnails_->addAction(remove_selected);
    connect(remove_selected, &QAction::triggered, this, [this] {
        QList<int> rows;
        for (QListWidgetItem* item : thumbnails_->selectedItems()) rows << thumbnails_->row(item);
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (int r : rows) removeExample(r);
    });

    add_button_ = new QPushButton(tr("Images…"), this);
    add_button_->setToolTip(tr("Add image files to this class (or drop files and folders on the card)"));
    folder_button_ = new QPushButton(tr("Folder…"), this);
    folder_button_->setToolTip(tr("Add every image of a folder"));
    paste_button_ = new QPushButton(tr("Paste"), this);
    paste_button_->setToolTip(tr("Add the image on the clipboard"));
    record_button_ = new QPushButton(tr("Hold to record"), this);
    record_button_->setToolTip(tr("While held down, adds a frame of the camera or video every few hundred ms"));
    remove_button_ = new QPushButton(tr("Delete class"), this);

    auto* header = new QHBoxLayout();
    header->addWidget(name_, 1);
    header->addWidget(count_);
    // Two short rows, so a card fits a narrow column (a 1280x720 screen).
    auto* buttons = new QGridLayout();
    buttons->addWidget(add_button_, 0, 0);
    buttons->addWidget(folder_button_, 0, 1);
    buttons->addWidget(paste_button_, 0, 2);
    buttons->addWidget(record_button_, 1, 0, 1, 2);
    buttons->addWidget(remove_button_, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(thumbnails_, 1);
    layout->addLayout(buttons);

    record_timer_.setInterval(250);
    connect(&adding_, &QFutureWatcherBase::finished, this, &ClassCard::onAdded);
    connect(&record_timer_, &QTimer::timeout, this, &ClassCard::recordFrame);
    connect(record_button_, &QPushButton::pressed, this, &ClassCard::startRecording);
    connect(record_button_, &QPushButton::released, this, &ClassCard::stopRecording);
    connect(add_button_, &QPushButton::clicked, this, [this] {
        QStringList patterns;
        for (const std::string& ext : levit::media::supportedImageExtensions()) patterns << "*." + QString::fromStdString(ext);
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add images to %1").arg(this->name()), {},
                                                                tr("Images (%1)").arg(patterns.join(' ')));
        addPaths(files);
    });
    connect(folder_button_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of images to %1").arg(this->name()));
        if (!dir.isEmpty()) addPaths({dir});
    });
    connect(paste_button_, &QPushButton::clicked, this, &ClassCard::pasteImage);
    connect(remove_button_, &QPushButton::clicked, this, &ClassCard::removeRequested);
    connect(name_, &QLineEdit::editingFinished, this, &ClassCard::changed);
    refreshCount();
}

QString ClassCard::name() const { return name_->text().trimmed(); }
void ClassCard::setName(const QString& name) { name_->setText(name); }

void ClassCard::setEditable(bool editable) {
    for (QWidget* w : std::initializer_list<QWidget*>{name_, add_button_, folder_button_, paste_button_, record_button_, remove_button_})
        w->setEnabled(editable);
    setAcceptDrops(editable);
    if (!editable) stopRecording();
}

void ClassCard::addExamples(std::vector<TeachExample> examples) {
    if (examples.empty()) return;
    const size_t room = size_t(kMaxExamplesPerClass) - std::min(examples_.size(), size_t(kMaxExamplesPerClass));
    if (examples.size() > room) {
        emit message(tr("%1: %2 examples not added, a class holds at most %3").arg(name()).arg(examples.size() - room).arg(kMaxExamplesPerClass), true);
        examples.resize(room);
    }
    for (TeachExample& e : examples) {
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(e.thumbnail)), QString());
        item->setToolTip(e.source);
        thumbnails_->addItem(item);
        examples_.push_back(std::move(e));
    }
    thumbnails_->scrollToBottom();
    refreshCount();
    emit changed();
}

void ClassCard::removeExample(int index) {
    if (index < 0 || index >= int(examples_.size())) return;
    examples_.erase(examples_.begin() + index);
    delete thumbnails_->takeItem(index);
    refreshCount();
    emit changed();
}

void ClassCard::setFrameSource(std::function<std::optional<levit::ImageRGB8>()> source) { frames_ = std::move(source); }

void ClassCard::startRecording() {
    if (!frames_ || !frames_()) {
        emit message(tr("Nothing to record: start the camera or a video in the preview above first."), true);
        return;
    }
    recordFrame();
    record_timer_.start();
    record_button_->setText(tr("Recording…"));
}

void ClassCard::stopRecording() {
    record_timer_.stop();
    record_button_->setText(tr("Hold to record"));
}

void ClassCard::recordFrame() {
    std::optional<levit::ImageRGB8> frame = frames_ ? frames_() : std::nullopt;
    if (!frame) return stopRecording();
    addExamples({makeExample(*frame, tr("camera"))});
}

void ClassCard::addPaths(const QStringList& paths) {
    if (paths.isEmpty()) return;
    if (adding_.isRunning()) {
        emit message(tr("%1: still adding the previous files; try again when they are in").arg(name()), true);
        return;
    }
    count_->setText(tr("adding…"));
    const int limit = kMaxExamplesPerClass - int(examples_.size());
    // Decoding a folder of photos takes seconds: off the GUI thread, the values only (never the card).
    adding_.setFuture(runInPool(QThreadPool::globalInstance(), [paths, limit] {
        Decoded d;
        d.examples = examplesFromPaths(paths, &d.errors, limit);
        if (d.examples.empty() && d.errors.isEmpty()) d.errors << tr("%1: no image files there").arg(paths.join(", "));
        return d;
    }));
}

void ClassCard::onAdded() {
    Decoded d = adding_.result();
    addExamples(std::move(d.examples));
    refreshCount();
    if (!d.errors.isEmpty())
        emit message(d.errors.size() == 1 ? d.errors.front() : tr("%1 files could not be added, e.g. %2").arg(d.errors.size()).arg(d.errors.front()), true);
    emit added();
}

void ClassCard::pasteImage() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasImage()) return addExamples({makeExample(fromQImage(qvariant_cast<QImage>(mime->imageData())), tr("clipboard"))});
    if (mime && mime->hasUrls()) {
        QStringList paths;
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) paths << url.toLocalFile();
        if (!paths.isEmpty()) return addPaths(paths);
    }
    emit message(tr("The clipboard holds no image."), true);
}

void ClassCard::refreshCount() { count_->setText(tr("%n example(s)", nullptr, int(examples_.size()))); }

void ClassCard::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() || event->mimeData()->hasImage()) event->acceptProposedAction();
}

void ClassCard::dropEvent(QDropEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasImage() && !mime->hasUrls()) {
        addExamples({makeExample(fromQImage(qvariant_cast<QImage>(mime->imageData())), tr("dropped image"))});
    } else {
        QStringList paths;
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) paths << url.toLocalFile();
        addPaths(paths);
    }
    event->acceptProposedAction();
}

}  // namespace levit::ui
