#include "teach_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "class_card.h"
#include "levit/training_record.h"
#include "media/bundled_model.h"
#include "media/frame_source.h"
#include "presentation_view.h"
#include "training_chart.h"
#include "training_worker.h"
#include "pool_task.h"

namespace levit::ui {

namespace {

constexpr int kCardColumns = 1;  // a column of cards, as Teachable Machine: fits a narrow window

QString duration(double seconds) {
    const long s = std::lround(seconds);
    return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QString bundledModel() {
    try {
        return QString::fromStdString(levit::media::defaultModelPath());
    } catch (const std::exception&) {
        return {};
    }
}

// Copies a model folder (files only, one level: what writeHuggingFaceModel writes).
void copyFolder(const QString& from, const QString& to) {
    if (QFileInfo::exists(to)) throw std::runtime_error(QObject::tr("%1: already exists (choose a new folder; nothing was overwritten)").arg(to).toStdString());
    if (!QDir().mkpath(to)) throw std::runtime_error(QObject::tr("%1: cannot create the folder").arg(to).toStdString());
    for (const QString& f : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(QDir(from).filePath(f), QDir(to).filePath(f))) throw std::runtime_error(QObject::tr("%1: cannot write").arg(QDir(to).filePath(f)).toStdString());
}

}  // namespace

TeachView::TeachView(QWidget* parent) : QWidget(parent) {
    worker_ = new TrainingWorker(this);
    connect(worker_, &TrainingWorker::epochDone, this, &TeachView::onEpoch);
    connect(worker_, &TrainingWorker::finished, this, &TeachView::onFinished);
    connect(worker_, &TrainingWorker::failed, this, [this](const QString& text) {
        status_->setText(tr("Training failed: %1").arg(text));
        emit message(tr("Training failed: %1").arg(text), true);
        refreshState();
    });

    // Left: the classes.
    add_class_ = new QPushButton(tr("Add a class"), this);
    open_dataset_ = new QPushButton(tr("Open dataset…"), this);
    open_dataset_->setToolTip(tr("Load an ImageFolder (one sub-folder of images per class) into cards"));
    save_dataset_ = new QPushButton(tr("Save dataset…"), this);
    save_dataset_->setToolTip(tr("Save the examples as an ImageFolder that `levit train --data` reads"));
    auto* class_buttons = new QHBoxLayout();
    class_buttons->addWidget(add_class_);
    class_buttons->addStretch(1);
    class_buttons->addWidget(open_dataset_);
    class_buttons->addWidget(save_dataset_);
    auto* cards = new QWidget(this);
    cards_layout_ = new QGridLayout(cards);
    cards_layout_->setContentsMargins(0, 0, 0, 0);
    auto* left = new QVBoxLayout();
    auto* hint = new QLabel(tr("Name a few classes and give each some examples: drop images or folders on a card, add "
                               "them with its buttons, or hold <i>Hold to record</i> while the camera or a video shows "
                               "the thing. Then press <b>Train</b>."),
                            this);
    hint->setWordWrap(true);
    left->addWidget(hint);
    left->addLayout(class_buttons);
    left->addWidget(cards);
    left->addStretch(1);

    // Right: the camera preview and training.
    preview_ = new PresentationView(this);
    preview_->setMinimumSize(300, 170);
    preview_->setMaximumHeight(220);
    preview_->clearResult(tr("Start the camera or a video: its frames show here with the model's answer."));
    camera_box_ = new QComboBox(this);
    camera_button_ = new QPushButton(tr("Camera"), this);
    video_button_ = new QPushButton(tr("Video file…"), this);
    stop_button_ = new QPushButton(tr("Stop"), this);
    camera_note_ = new QLabel(this);
    camera_note_->setWordWrap(true);
    const std::vector<int> cameras = levit::media::availableCameras();
    for (int c : cameras) camera_box_->addItem(tr("Camera %1").arg(c), c);
    camera_box_->setVisible(!cameras.empty());
    camera_button_->setEnabled(!cameras.empty());
    if (cameras.empty())
        camera_note_->setText(tr("No camera found: add examples from files, folders, the clipboard or a video file."));
    auto* live_buttons = new QHBoxLayout();
    live_buttons->addWidget(camera_box_);
    live_buttons->addWidget(camera_button_);
    live_buttons->addWidget(video_button_);
    live_buttons->addWidget(stop_button_);
    live_buttons->addStretch(1);
    record_spin_ = new QSpinBox(this);
    record_spin_->setRange(50, 5000);
    record_spin_->setSingleStep(50);
    record_spin_->setValue(250);
    record_spin_->setPrefix(tr("record every "));
    record_spin_->setSuffix(tr(" ms"));
    record_spin_->setToolTip(tr("While a card's Hold to record is held down, a frame is added this often"));
    live_buttons->addWidget(record_spin_);
    connect(record_spin_, &QSpinBox::valueChanged, this, [this](int ms) {
        for (ClassCard* c : cards_) c->setRecordInterval(ms);
    });
    connect(camera_button_, &QPushButton::clicked, this, [this] { emit cameraRequested(camera_box_->currentData().toInt()); });
    connect(video_button_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Record from a video"), {}, tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)"));
        if (!path.isEmpty()) emit videoRequested(path);
    });
    connect(stop_button_, &QPushButton::clicked, this, &TeachView::stopLiveRequested);

    buildSettings();
    chart_ = new TrainingChart(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    auto* right = new QVBoxLayout();
    right->addWidget(preview_, 1);
    right->addLayout(live_buttons);
    right->addWidget(camera_note_);
    auto* settings = new QGroupBox(tr("Training"), this);
    auto* settings_layout = new QVBoxLayout(settings);
    auto* form = new QFormLayout();
    form->addRow(tr("Start from"), start_box_);
    form->addRow(tr("What trains"), scope_box_);
    form->addRow(tr("Teacher"), teacher_box_);
    settings_layout->addLayout(form);
    settings_layout->addWidget(advanced_button_);
    settings_layout->addWidget(advanced_);
    auto* run_buttons = new QHBoxLayout();
    run_buttons->addWidget(train_button_);
    run_buttons->addWidget(cancel_button_);
    run_buttons->addStretch(1);
    run_buttons->addWidget(save_model_button_);
    settings_layout->addLayout(run_buttons);
    settings_layout->addWidget(status_);
    right->addWidget(settings);
    right->addWidget(chart_, 1);

    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addLayout(right, 1);

    connect(add_class_, &QPushButton::clicked, this, [this] { addClass(); });
    connect(open_dataset_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a dataset (one sub-folder of images per class)"));
        if (!dir.isEmpty()) openDataset(dir);
    });
    connect(save_dataset_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Save the examples into an empty folder"));
        if (!dir.isEmpty()) saveDataset(dir);
    });
    addClass(tr("Class 1"));
    addClass(tr("Class 2"));
    refreshState();
}

TeachView::~TeachView() = default;

void TeachView::buildSettings() {
    start_box_ = new QComboBox(this);
    start_box_->setToolTip(tr("The model whose knowledge is the starting point (its classes are replaced by yours)"));
    scope_box_ = new QComboBox(this);
    scope_box_->addItem(tr("the heads only (fastest)"), "head");
    scope_box_->addItem(tr("the last stage and the heads"), "last-stage");
    scope_box_->addItem(tr("everything (slowest, most flexible)"), "all");
    scope_box_->setCurrentIndex(1);
    teacher_box_ = new QComboBox(this);
    teacher_box_->setToolTip(tr("With a teacher trained on the same classes, the distillation head learns the teacher's "
                                "answers and the classification head your labels (the two ways LeViT is fine-tuned); "
                                "the heads tab then shows what each head learnt."));
    advanced_button_ = new QToolButton(this);
    advanced_button_->setText(tr("Advanced ▸"));
    advanced_button_->setCheckable(true);
    advanced_button_->setAutoRaise(true);
    advanced_ = new QWidget(this);
    auto* form = new QFormLayout(advanced_);
    form->setContentsMargins(0, 0, 0, 0);
    epochs_spin_ = new QSpinBox(advanced_);
    epochs_spin_->setRange(0, 1000);
    epochs_spin_->setSpecialValueText(tr("automatic"));
    epochs_spin_->setToolTip(tr("Passes over the examples; automatic: about 9,000 images seen, 10 to 200 passes"));
    lr_spin_ = new QDoubleSpinBox(advanced_);
    lr_spin_->setDecimals(5);
    lr_spin_->setRange(0.00001, 1.0);
    lr_spin_->setSingleStep(0.0001);
    lr_spin_->setValue(levit::OptimizerSettings{}.learning_rate);
    batch_spin_ = new QSpinBox(advanced_);
    batch_spin_->setRange(1, 256);
    batch_spin_->setValue(levit::TrainSettings{}.batch);
    crop_box_ = new QCheckBox(tr("random crops"), advanced_);
    crop_box_->setChecked(levit::AugmentSettings{}.random_resized_crop);
    flip_box_ = new QCheckBox(tr("mirror left-right"), advanced_);
    flip_box_->setChecked(levit::AugmentSettings{}.horizontal_flip);
    flip_box_->setToolTip(tr("Off for digits, letters and signs (mirrored, they are other classes); on for objects"));
    jitter_box_ = new QCheckBox(tr("colour jitter"), advanced_);
    jitter_box_->setChecked(levit::AugmentSettings{}.color_jitter > 0);
    auto* augment = new QHBoxLayout();
    for (QCheckBox* b : {crop_box_, flip_box_, jitter_box_}) augment->addWidget(b);
    validation_spin_ = new QSpinBox(advanced_);
    validation_spin_->setRange(0, 50);
    validation_spin_->setValue(20);
    validation_spin_->setSuffix(tr(" %"));
    validation_spin_->setToolTip(tr("Examples of each class kept aside to measure accuracy on images the model did not train on"));
    form->addRow(tr("Epochs"), epochs_spin_);
    form->addRow(tr("Learning rate"), lr_spin_);
    form->addRow(tr("Batch"), batch_spin_);
    form->addRow(tr("Augmentation"), augment);
    form->addRow(tr("Validation share"), validation_spin_);
    advanced_->hide();
    connect(advanced_button_, &QToolButton::toggled, this, [this](bool on) {
        advanced_->setVisible(on);
        advanced_button_->setText(on ? tr("Advanced ▾") : tr("Advanced ▸"));
    });

    train_button_ = new QPushButton(tr("Train"), this);
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    cancel_button_->setToolTip(tr("Stop after the current step; the best epoch so far is kept and used"));
    save_model_button_ = new QPushButton(tr("Save model…"), this);
    save_model_button_->setToolTip(tr("Save the trained model as a Hugging Face folder (transformers loads it)"));
    connect(train_button_, &QPushButton::clicked, this, &TeachView::train);
    connect(cancel_button_, &QPushButton::clicked, this, &TeachView::cancelTraining);
    connect(save_model_button_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getSaveFileName(this, tr("Save the trained model as a new folder"));
        if (!dir.isEmpty()) saveModel(dir);
    });
    // "a model folder…": the chosen folder becomes an entry of its own (its data is the path).
    auto choose_folder = [this](QComboBox* box) {
        if (box->currentData().toString() != "choose") return;
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"));
        if (!dir.isEmpty()) {
            box->insertItem(box->count() - 1, QFileInfo(dir).fileName(), dir);
            box->setCurrentIndex(box->count() - 2);
        } else {
            box->setCurrentIndex(0);
        }
    };
    connect(start_box_, &QComboBox::activated, this, [this, choose_folder] { choose_folder(start_box_); });
    connect(teacher_box_, &QComboBox::activated, this, [this, choose_folder] { choose_folder(teacher_box_); });
}

void TeachView::setWindowModel(const QString& path, const QString& name) {
    window_model_ = path;
    window_model_name_ = name;
    const QString start = start_box_->currentData().toString();
    start_box_->clear();
    start_box_->addItem(tr("the model in the window (%1)").arg(name), "window");
    if (!bundledModel().isEmpty()) start_box_->addItem(tr("the bundled model"), "bundled");
    start_box_->addItem(tr("a model folder…"), "choose");
    start_box_->setCurrentIndex(std::max(0, start_box_->findData(start)));
    const QString teacher = teacher_box_->currentData().toString();
    teacher_box_->clear();
    teacher_box_->addItem(tr("none: one head learns your labels"), "none");
    teacher_box_->addItem(tr("the model in the window (%1)").arg(name), "window");
    teacher_box_->addItem(tr("a model folder…"), "choose");
    teacher_box_->setCurrentIndex(std::max(0, teacher_box_->findData(teacher)));
}

void TeachView::setFrameSource(std::function<std::optional<levit::ImageRGB8>()> source) {
    frames_ = std::move(source);
    for (ClassCard* c : cards_) c->setFrameSource(frames_);
}

void TeachView::showLiveResult(const InferenceResultPtr& result) {
    if (!result->original.isNull()) preview_->showResult(result, result->original);
}

void TeachView::liveStopped(const QString& reason) {
    for (ClassCard* c : cards_) c->stopRecording();
    if (!preview_->hasResult()) preview_->clearResult(reason);
}

std::vector<TeachClass> TeachView::classes() const {
    std::vector<TeachClass> out;
    for (const ClassCard* c : cards_) out.push_back({c->name(), c->examples()});
    return out;
}

ClassCard* TeachView::addClass(const QString& name) {
    QStringList taken;
    for (const ClassCard* c : cards_) taken << c->name();
    QString n = name;
    for (int i = int(cards_.size()) + 1; n.isEmpty() || taken.contains(n, Qt::CaseInsensitive); ++i) n = tr("Class %1").arg(i);
    auto* card = new ClassCard(n, this);
    card->setFrameSource(frames_);
    card->setRecordInterval(record_spin_->value());
    connect(card, &ClassCard::changed, this, &TeachView::refreshState);
    connect(card, &ClassCard::message, this, &TeachView::message);
    connect(card, &ClassCard::removeRequested, this, [this, card] { removeCard(card); });
    cards_.push_back(card);
    layoutCards();
    refreshState();
    return card;
}

void TeachView::removeCard(ClassCard* card) {
    cards_.erase(std::remove(cards_.begin(), cards_.end(), card), cards_.end());
    card->deleteLater();
    layoutCards();
    refreshState();
}

void TeachView::layoutCards() {
    for (ClassCard* c : cards_) cards_layout_->removeWidget(c);
    for (size_t i = 0; i < cards_.size(); ++i) cards_layout_->addWidget(cards_[i], int(i) / kCardColumns, int(i) % kCardColumns);
}

void TeachView::setClasses(std::vector<TeachClass> classes) {
    for (ClassCard* c : cards_) c->deleteLater();
    cards_.clear();
    for (TeachClass& c : classes) addClass(c.name)->addExamples(std::move(c.examples));
    layoutCards();
    refreshState();
}

namespace {

// An ImageFolder opened or saved off the GUI thread: its classes (opening), or why it failed.
struct DatasetJob {
    std::vector<TeachClass> classes;
    QStringList errors;  // unreadable files (opening)
    QString failure;     // the whole job failed or was cancelled
};

FolderProgress reportTo(QPromise<DatasetJob>& promise) {
    return [&promise](int done, int total) {
        if (done == 0 || done == total) promise.setProgressRange(0, total);
        promise.setProgressValue(done);
        return !promise.isCanceled();
    };
}

}  // namespace

bool TeachView::datasetBusy() const { return dataset_job_ != nullptr; }

bool TeachView::openDataset(const QString& dir) {
    if (datasetBusy() || worker_->running()) {
        emit message(tr("%1: wait until the examples being opened, saved or trained on are done").arg(dir), true);
        return false;
    }
    auto* watcher = new QFutureWatcher<DatasetJob>(this);
    dataset_job_ = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, dir] {
        dataset_job_ = nullptr;
        watcher->deleteLater();
        refreshState();
        if (watcher->isCanceled() || watcher->future().resultCount() == 0) {  // asked for: not an error
            emit message(tr("Opening %1 was cancelled; the classes are as they were.").arg(dir), false);
            emit datasetOpened(false);
            return;
        }
        DatasetJob job = watcher->result();
        if (!job.failure.isEmpty()) {  // the classes shown stay as they were
            emit message(tr("Could not open the dataset: %1").arg(job.failure), true);
            emit datasetOpened(false);
            return;
        }
        int examples = 0;
        for (const TeachClass& c : job.classes) examples += int(c.examples.size());
        const int class_count = int(job.classes.size());
        setClasses(std::move(job.classes));
        if (!job.errors.isEmpty()) emit message(tr("%1: %2 images could not be read, e.g. %3").arg(dir).arg(job.errors.size()).arg(job.errors.front()), true);
        else emit message(tr("Opened %1: %2 classes, %n example(s)", nullptr, examples).arg(dir).arg(class_count), false);
        emit datasetOpened(true);
    });
    watcher->setFuture(runInPool<DatasetJob>(QThreadPool::globalInstance(), [dir](QPromise<DatasetJob>& promise) {
        DatasetJob job;
        try {
            job.classes = openImageFolder(dir, &job.errors, reportTo(promise));
        } catch (const std::exception& e) {
            job.failure = QString::fromUtf8(e.what());
        }
        promise.addResult(std::move(job));
    }));
    refreshState();
    emit backgroundJob(watcher, true);
    return true;
}

bool TeachView::saveDataset(const QString& dir) {
    if (datasetBusy()) {
        emit message(tr("%1: wait until the examples being opened or saved are done").arg(dir), true);
        return false;
    }
    auto* watcher = new QFutureWatcher<DatasetJob>(this);
    dataset_job_ = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, dir] {
        dataset_job_ = nullptr;
        watcher->deleteLater();
        const DatasetJob job = watcher->future().resultCount() > 0 ? watcher->result() : DatasetJob{{}, {}, tr("%1: not saved").arg(dir)};
        refreshState();
        if (!job.failure.isEmpty()) emit message(tr("Could not save the dataset: %1").arg(job.failure), true);
        else emit message(tr("Saved the examples to %1").arg(dir), false);
        emit datasetSaved(job.failure.isEmpty());
    });
    // The examples' pixels are shared and never change: the copy is of names and pointers.
    watcher->setFuture(runInPool<DatasetJob>(QThreadPool::globalInstance(), [dir, classes = classes()](QPromise<DatasetJob>& promise) {
        DatasetJob job;
        try {
            saveImageFolder(dir, classes, reportTo(promise));
        } catch (const std::exception& e) {
            job.failure = QString::fromUtf8(e.what());
        }
        promise.addResult(std::move(job));
    }));
    refreshState();
    emit backgroundJob(watcher, false);  // a half-written folder is worse than waiting: not cancellable
    return true;
}

bool TeachView::saveModel(const QString& dir) {
    if (trained_dir_.isEmpty()) {
        emit message(tr("Train a model first."), true);
        return false;
    }
    try {
        copyFolder(trained_dir_, dir);
        emit message(tr("Saved the trained model to %1 (Hugging Face transformers and LeViT Lens load it)").arg(dir), false);
        return true;
    } catch (const std::exception& e) {
        emit message(tr("Could not save the model: %1").arg(QString::fromUtf8(e.what())), true);
        return false;
    }
}

void TeachView::setEpochs(int epochs) { epochs_spin_->setValue(epochs); }
void TeachView::setScope(const QString& scope) { scope_box_->setCurrentIndex(std::max(0, scope_box_->findData(scope))); }
void TeachView::setValidationShare(double share) { validation_spin_->setValue(int(std::lround(share * 100))); }
void TeachView::setStartModel(const QString& path) { start_override_ = path; }
void TeachView::setTeacher(const QString& path) { teacher_path_ = path; }
bool TeachView::training() const { return worker_->running(); }
QString TeachView::statusText() const { return status_->text(); }
void TeachView::cancelTraining() {
    worker_->cancel();
    status_->setText(tr("Stopping after the current step; the best epoch so far will be kept…"));
}

// Why Train cannot start yet, in words (empty when it can).
QString TeachView::checkData() const {
    if (cards_.size() < 2) return tr("Add at least two classes.");
    QStringList names;
    for (const ClassCard* c : cards_) {
        const QString problem = classNameProblem(c->name(), names);
        if (!problem.isEmpty()) return problem;
        names << c->name();
        if (c->examples().size() < 2) return tr("“%1” needs at least two examples.").arg(c->name());
    }
    return {};
}

QString TeachView::resolvedStartModel() const {
    if (!start_override_.isEmpty()) return start_override_;
    const QString which = start_box_->currentData().toString();
    if (which == "bundled") return bundledModel();
    if (which == "window" || which == "choose" || which.isEmpty()) return window_model_;
    return which;  // a chosen folder
}

QString TeachView::resolvedTeacher() const {
    if (!teacher_path_.isEmpty()) return teacher_path_;
    const QString which = teacher_box_->currentData().toString();
    if (which == "window") return window_model_;
    if (which == "none" || which == "choose" || which.isEmpty()) return {};
    return which;  // a chosen folder
}

QString TeachView::newModelFolder() const {
    const QString root = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath("trained");
    QDir().mkpath(root);
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss");
    QString dir = QDir(root).filePath("teach-" + stamp);
    for (int i = 2; QFileInfo::exists(dir); ++i) dir = QDir(root).filePath(QString("teach-%1-%2").arg(stamp).arg(i));
    return dir;
}

bool TeachView::train() {
    if (worker_->running()) return false;
    const QString problem = datasetBusy() ? tr("Wait until the examples being opened or saved are done.") : checkData();
    if (!problem.isEmpty()) {
        status_->setText(problem);
        emit message(problem, true);
        return false;
    }
    TrainingJob job;
    job.base_model = resolvedStartModel();
    if (job.base_model.isEmpty()) {
        status_->setText(tr("Choose a model to start from."));
        return false;
    }
    job.teacher_model = resolvedTeacher();
    const std::vector<TeachClass> data = classes();
    for (const TeachClass& c : data) job.classes.push_back(c.name.toStdString());
    job.train = labeledImages(data);
    levit::TrainSettings& s = job.settings;
    s.scope = scope_box_->currentData().toString().toStdString();
    s.batch = batch_spin_->value();
    s.threads = 2;
    s.optimizer.learning_rate = lr_spin_->value();
    s.augment.random_resized_crop = crop_box_->isChecked();
    s.augment.horizontal_flip = flip_box_->isChecked();
    s.augment.color_jitter = jitter_box_->isChecked() ? levit::AugmentSettings{}.color_jitter : 0.0;
    if (validation_spin_->value() > 0) levit::splitForValidation(job.train, job.validation, validation_spin_->value() / 100.0, s.seed);
    s.epochs = epochs_spin_->value() > 0 ? epochs_spin_->value() : levit::automaticEpochs(job.train.size());
    job.out_dir = newModelFolder();
    planned_epochs_ = s.epochs;
    best_val_percent_ = -1;
    chart_->clear(s.epochs);
    status_->setText(tr("Training on %1 images (%2 kept aside for validation), %3 epochs…")
                         .arg(job.train.size())
                         .arg(job.validation.size())
                         .arg(s.epochs));
    worker_->start(std::move(job));
    refreshState();
    return true;
}

void TeachView::onEpoch(const levit::EpochMetrics& m) {
    chart_->addEpoch(m);
    QString text = tr("Epoch %1/%2 · loss %3 · training %4%").arg(m.epoch).arg(planned_epochs_).arg(m.loss, 0, 'f', 3).arg(100 * m.train_accuracy, 0, 'f', 0);
    if (m.val_accuracy >= 0) text += tr(" · validation %1%").arg(100 * m.val_accuracy, 0, 'f', 0);
    text += tr(" · %1 images/s · about %2 left").arg(m.images_per_s, 0, 'f', 0).arg(duration(m.eta_seconds));
    status_->setText(text);
}

void TeachView::onFinished(const QString& dir, int best_epoch, bool interrupted, double seconds) {
    trained_dir_ = dir;
    status_->setText(tr("%1 in %2 (best epoch %3). The window now uses the new model: the preview, the Live camera and every "
                        "tab show what it learnt. Save model… keeps it.")
                         .arg(interrupted ? tr("Stopped; the best epoch so far is kept. Trained") : tr("Trained"))
                         .arg(duration(seconds))
                         .arg(best_epoch));
    refreshState();
    emit modelTrained(dir);
}

void TeachView::refreshState() {
    const bool busy = worker_->running() || datasetBusy();
    for (ClassCard* c : cards_) c->setEditable(!busy);
    add_class_->setEnabled(!busy);
    open_dataset_->setEnabled(!busy);
    save_dataset_->setEnabled(!busy);
    train_button_->setEnabled(!busy);
    cancel_button_->setEnabled(worker_->running());  // cancels training; an open has the window's Cancel
    save_model_button_->setEnabled(!busy && !trained_dir_.isEmpty());
    for (QWidget* w : std::initializer_list<QWidget*>{start_box_, scope_box_, teacher_box_, advanced_}) w->setEnabled(!busy);
    if (!busy) {
        const QString problem = checkData();
        train_button_->setToolTip(problem.isEmpty() ? tr("Fine-tune the model on these examples") : problem);
    }
}

}  // namespace levit::ui
