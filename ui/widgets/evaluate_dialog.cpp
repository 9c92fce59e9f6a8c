#include "evaluate_dialog.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QSaveFile>
#include <QTextStream>
#include <QVBoxLayout>

#include <chrono>

#include "heatmap_widget.h"
#include "levit/classifier.h"
#include "media/folder_evaluation.h"
#include "top_k_chart.h"
#include "pool_task.h"

namespace levit::ui {

namespace {

// The job: list the folder, then decode, classify and count it a batch at a time on two threads (the loop
// `levit eval --data` runs). Progress: images done.
void evaluate(QPromise<EvaluationOutcome>& promise, std::shared_ptr<const levit::Model> model, QString dir) {
    EvaluationOutcome out;
    out.dataset = dir;
    try {
        promise.setProgressRange(0, 0);
        const levit::media::ImageFolderListing listing = levit::media::listImageFolder(dir.toStdString());
        out.labels = model->config().id2label;
        levit::Classifier classifier(model, 2);
        promise.setProgressRange(0, int(listing.files.size()));
        const auto start = std::chrono::steady_clock::now();
        levit::media::FolderEvaluation run =
            levit::media::evaluateImageFolder(listing, dir.toStdString(), classifier, [&](int done, int total) {
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                promise.setProgressValueAndText(done, QObject::tr("%1 / %2 images · %3 images/s")
                                                          .arg(done)
                                                          .arg(total)
                                                          .arg(seconds > 0 ? done / seconds : 0.0, 0, 'f', 0));
                return !promise.isCanceled();
            });
        if (run.cancelled) return;
        out.unreadable = int(run.unreadable.size());
        out.seconds = run.seconds;
        out.tally = std::move(run.tally);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(out));
}

QString percent(int part, int whole) { return whole > 0 ? QString::number(100.0 * part / whole, 'f', 1) + "%" : QStringLiteral("–"); }

}  // namespace

EvaluateDialog::EvaluateDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Evaluate a model on a folder of labelled images"));
    folder_edit_ = new QLineEdit(this);
    folder_edit_->setPlaceholderText(tr("A folder with one sub-folder of images per class, named as the model's classes"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    model_label_ = new QLabel(this);
    model_label_->setWordWrap(true);
    run_button_ = new QPushButton(tr("Evaluate"), this);
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    csv_button_ = new QPushButton(tr("Export CSV…"), this);
    json_button_ = new QPushButton(tr("Export JSON…"), this);
    progress_ = new QProgressBar(this);
    progress_label_ = new QLabel(this);
    summary_ = new QLabel(tr("Choose a folder and press Evaluate."), this);
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    confusion_ = new HeatmapWidget(this);
    confusion_->setMinimumSize(280, 280);
    confusion_->setGrid(true);
    confusion_->setToolTip(tr("Rows: the true class; columns: the class the model said (mean of both heads). Colour: the share "
                              "of the row's images. Click a cell to list its images."));
    per_class_ = new TopKChart(this);
    per_class_->setTitle(tr("accuracy per class"));
    per_class_->setMinimumWidth(260);
    cell_title_ = new QLabel(tr("Click a cell of the matrix to list its images; double-click one to open it."), this);
    cell_title_->setWordWrap(true);
    cell_list_ = new QListWidget(this);
    disagree_list_ = new QListWidget(this);

    auto* folder_row = new QHBoxLayout();
    folder_row->addWidget(new QLabel(tr("Folder"), this));
    folder_row->addWidget(folder_edit_, 1);
    folder_row->addWidget(browse);
    auto* buttons = new QHBoxLayout();
    buttons->addWidget(run_button_);
    buttons->addWidget(cancel_button_);
    buttons->addWidget(progress_, 1);
    buttons->addWidget(progress_label_);
    buttons->addWidget(csv_button_);
    buttons->addWidget(json_button_);
    auto* charts = new QHBoxLayout();
    charts->addWidget(confusion_, 3);
    charts->addWidget(per_class_, 2);
    auto* lists = new QGridLayout();
    lists->addWidget(cell_title_, 0, 0);
    lists->addWidget(new QLabel(tr("Where the two heads disagree (classification head / distillation head):"), this), 0, 1);
    lists->addWidget(cell_list_, 1, 0);
    lists->addWidget(disagree_list_, 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(folder_row);
    layout->addWidget(model_label_);
    layout->addLayout(buttons);
    layout->addWidget(summary_);
    layout->addLayout(charts, 3);
    layout->addLayout(lists, 2);
    resize(980, 720);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("A folder of labelled images"), folder_edit_->text());
        if (!dir.isEmpty()) folder_edit_->setText(dir);
    });
    connect(run_button_, &QPushButton::clicked, this, &EvaluateDialog::start);
    connect(cancel_button_, &QPushButton::clicked, this, &EvaluateDialog::cancel);
    connect(csv_button_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the evaluation"), "evaluation.csv", tr("CSV (*.csv)"));
        if (!path.isEmpty()) exportCsv(path);
    });
    connect(json_button_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the evaluation"), "evaluation.json", tr("JSON (*.json)"));
        if (!path.isEmpty()) exportJson(path);
    });
    connect(confusion_, &HeatmapWidget::cellClicked, this, [this](int row, int col) { selectCell(row, col); });
    // Hover a cell: its counts in words (the colour is the share of the row).
    connect(confusion_, &HeatmapWidget::cellHovered, this, [this](int row, int col, float share) {
        if (!outcome_) return;
        const QList<int> classes = confusion_->property("classes").value<QList<int>>();
        if (row >= classes.size() || col >= classes.size()) return;
        const int truth = classes[row], said = classes[col];
        confusion_->setToolTip(tr("True %1, said %2: %3 image(s), %4% of the %1 images")
                                   .arg(QString::fromStdString(outcome_->labels[size_t(truth)]), QString::fromStdString(outcome_->labels[size_t(said)]))
                                   .arg(outcome_->tally->confusionAt(truth, said))
                                   .arg(100.0 * share, 0, 'f', 0));
    });
    for (QListWidget* list : {cell_list_, disagree_list_})
        connect(list, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) { emit openImages({item->data(Qt::UserRole).toString()}); });
    connect(&watcher_, &QFutureWatcherBase::progressRangeChanged, progress_, &QProgressBar::setRange);
    connect(&watcher_, &QFutureWatcherBase::progressValueChanged, progress_, &QProgressBar::setValue);
    connect(&watcher_, &QFutureWatcherBase::progressTextChanged, progress_label_, &QLabel::setText);
    connect(&watcher_, &QFutureWatcherBase::finished, this, &EvaluateDialog::onFinished);
    cancel_button_->setEnabled(false);
    csv_button_->setEnabled(false);
    json_button_->setEnabled(false);
}

EvaluateDialog::~EvaluateDialog() {
    watcher_.cancel();
    watcher_.waitForFinished();
}

void EvaluateDialog::setModel(std::shared_ptr<const levit::Model> model, const QString& path) {
    model_ = std::move(model);
    model_path_ = path;
    model_label_->setText(tr("Model: the one in the window, %1 (%2 classes) — %3")
                              .arg(QString::fromStdString(model_->config().name.empty() ? "custom" : model_->config().name))
                              .arg(model_->config().numLabels())
                              .arg(path));
}

void EvaluateDialog::setFolder(const QString& dir) { folder_edit_->setText(dir); }
bool EvaluateDialog::running() const { return watcher_.isRunning(); }
QString EvaluateDialog::summary() const { return summary_->text(); }

void EvaluateDialog::start() {
    if (running()) return;
    if (!model_) return void(fail(tr("Load a model first.")));
    const QString dir = folder_edit_->text().trimmed();
    if (dir.isEmpty()) return void(fail(tr("Choose a folder of labelled images.")));
    outcome_.reset();
    summary_->setText(tr("Reading and classifying %1…").arg(dir.toHtmlEscaped()));
    run_button_->setEnabled(false);
    cancel_button_->setEnabled(true);
    csv_button_->setEnabled(false);
    json_button_->setEnabled(false);
    watcher_.setFuture(runInPool<EvaluationOutcome>(QThreadPool::globalInstance(), [model = model_, dir](QPromise<EvaluationOutcome>& promise) {
        evaluate(promise, model, dir);
    }));
}

void EvaluateDialog::cancel() { watcher_.cancel(); }

QString EvaluateDialog::fail(const QString& text) {
    summary_->setText(QString("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped()));
    return text;
}

void EvaluateDialog::onFinished() {
    run_button_->setEnabled(true);
    cancel_button_->setEnabled(false);
    if (watcher_.isCanceled() || watcher_.future().resultCount() == 0) {
        fail(tr("Cancelled: nothing was counted."));
        emit finished();
        return;
    }
    outcome_ = watcher_.result();
    if (!outcome_->error.isEmpty()) {
        fail(tr("Could not evaluate: %1").arg(outcome_->error));
        outcome_.reset();
    } else {
        showOutcome();
    }
    emit finished();
}

void EvaluateDialog::showOutcome() {
    const levit::EvaluationTally& t = *outcome_->tally;
    const int n = t.images();
    QString text = tr("<b>%1 images</b>: mean of both heads <b>%2</b> · classification head %3 · distillation head %4 · the "
                      "heads agree on %5 · %6 images/s on 2 threads")
                       .arg(n)
                       .arg(percent(t.correctAveraged(), n), percent(t.correctCls(), n), percent(t.correctDistillation(), n),
                            percent(t.headsAgree(), n))
                       .arg(outcome_->seconds > 0 ? n / outcome_->seconds : 0.0, 0, 'f', 0);
    if (outcome_->unreadable > 0) text += tr(" · %1 unreadable files skipped").arg(outcome_->unreadable);
    summary_->setText(text);
    // The classes of the folder only (a 1000-class model evaluated on 5 classes shows a 5 x 5 matrix).
    std::vector<int> shown;
    for (int c = 0; c < t.classes(); ++c)
        if (t.imagesPerClass()[size_t(c)] > 0) shown.push_back(c);
    for (const levit::EvaluatedImage& e : t.results())
        if (std::find(shown.begin(), shown.end(), e.averaged) == shown.end()) shown.push_back(e.averaged);
    std::sort(shown.begin(), shown.end());
    const int k = int(shown.size());
    std::vector<float> shares(size_t(k) * k, 0.0f);
    std::vector<HeatmapWidget::Tick> ticks;
    for (int r = 0; r < k; ++r) {
        const int rows = t.imagesPerClass()[size_t(shown[size_t(r)])];
        for (int c = 0; c < k; ++c) shares[size_t(r) * k + c] = rows > 0 ? float(t.confusionAt(shown[size_t(r)], shown[size_t(c)])) / rows : 0.0f;
        if (k <= 20) ticks.push_back({r, QString::fromStdString(outcome_->labels[size_t(shown[size_t(r)])])});
    }
    confusion_->setData(k, k, shares, 0.0f, 1.0f);
    confusion_->setAxes(tr("said by the model"), ticks, tr("true class"), ticks);
    confusion_->setProperty("classes", QVariant::fromValue(QList<int>(shown.begin(), shown.end())));
    std::vector<levit::Prediction> accuracy;
    for (int c : shown)
        if (t.imagesPerClass()[size_t(c)] > 0) accuracy.push_back({c, outcome_->labels[size_t(c)], float(t.classAccuracy(c)), 0.0f});
    std::stable_sort(accuracy.begin(), accuracy.end(), [](const auto& a, const auto& b) { return a.probability > b.probability; });
    per_class_->setRanking(accuracy, std::min<int>(int(accuracy.size()), 20));
    disagree_list_->clear();
    for (const levit::EvaluatedImage& e : t.results()) {
        if (e.cls == e.distillation) continue;
        auto* item = new QListWidgetItem(tr("%1 — %2 / %3 (true: %4)")
                                             .arg(QFileInfo(QString::fromStdString(e.source)).fileName(),
                                                  QString::fromStdString(outcome_->labels[size_t(e.cls)]),
                                                  QString::fromStdString(outcome_->labels[size_t(e.distillation)]),
                                                  QString::fromStdString(outcome_->labels[size_t(e.truth)])),
                                         disagree_list_);
        item->setData(Qt::UserRole, QString::fromStdString(e.source));
        item->setToolTip(QString::fromStdString(e.source));
    }
    cell_list_->clear();
    csv_button_->setEnabled(true);
    json_button_->setEnabled(true);
}

void EvaluateDialog::selectCell(int row, int col) {
    if (!outcome_) return;
    const QList<int> classes = confusion_->property("classes").value<QList<int>>();
    if (row < 0 || col < 0 || row >= classes.size() || col >= classes.size()) return;
    const int truth = classes[row], predicted = classes[col];
    cell_list_->clear();
    for (const levit::EvaluatedImage& e : outcome_->tally->results()) {
        if (e.truth != truth || e.averaged != predicted) continue;
        auto* item = new QListWidgetItem(QFileInfo(QString::fromStdString(e.source)).fileName(), cell_list_);
        item->setData(Qt::UserRole, QString::fromStdString(e.source));
        item->setToolTip(QString::fromStdString(e.source));
    }
    cell_title_->setText(tr("True %1, said %2: %n image(s) (double-click to open)", nullptr, cell_list_->count())
                             .arg(QString::fromStdString(outcome_->labels[size_t(truth)]), QString::fromStdString(outcome_->labels[size_t(predicted)])));
    confusion_->setMarker(row, col);
}

QStringList EvaluateDialog::cellImages() const {
    QStringList out;
    for (int i = 0; i < cell_list_->count(); ++i) out << cell_list_->item(i)->data(Qt::UserRole).toString();
    return out;
}

QStringList EvaluateDialog::disagreementImages() const {
    QStringList out;
    for (int i = 0; i < disagree_list_->count(); ++i) out << disagree_list_->item(i)->data(Qt::UserRole).toString();
    return out;
}

bool EvaluateDialog::exportJson(const QString& path) {
    if (!outcome_) return false;
    QSaveFile file(path);
    const std::string json = outcome_->tally->json(model_path_.toStdString(), outcome_->dataset.toStdString(), outcome_->seconds, true, outcome_->labels);
    if (!file.open(QIODevice::WriteOnly) || file.write(json.data(), qint64(json.size())) != qint64(json.size()) || file.write("\n") != 1 || !file.commit()) {
        fail(tr("%1: cannot write (%2)").arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool EvaluateDialog::exportCsv(const QString& path) {
    if (!outcome_) return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        fail(tr("%1: cannot write (%2)").arg(path, file.errorString()));
        return false;
    }
    QTextStream out(&file);
    auto quoted = [](QString s) { return "\"" + s.replace("\"", "\"\"") + "\""; };
    auto label = [this](int k) { return QString::fromStdString(outcome_->labels[size_t(k)]); };
    out << "image,true_class,averaged,classification_head,distillation_head,correct,heads_agree\n";
    for (const levit::EvaluatedImage& e : outcome_->tally->results())
        out << quoted(QString::fromStdString(e.source)) << ',' << quoted(label(e.truth)) << ',' << quoted(label(e.averaged)) << ','
            << quoted(label(e.cls)) << ',' << quoted(label(e.distillation)) << ',' << (e.averaged == e.truth ? "yes" : "no") << ','
            << (e.cls == e.distillation ? "yes" : "no") << '\n';
    out.flush();
    if (!file.commit()) {
        fail(tr("%1: cannot write (%2)").arg(path, file.errorString()));
        return false;
    }
    return true;
}

}  // namespace levit::ui
