#include "results_table.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "inference_worker.h"
#include "levit/classify.h"
#include "pool_task.h"

namespace levit::ui {

namespace {

// Sort keys live in this role; the shown text in DisplayRole.
constexpr int kSortRole = Qt::UserRole;
// On the Agree column: 1 when the heads disagree, so the filter need not parse text.
constexpr int kDisagreeRole = Qt::UserRole + 1;

struct Top1 {
    int index = 0;
    float probability = 0;
};

Top1 top1(const std::vector<float>& logits) {
    const std::vector<float> p = levit::softmax(logits.data(), int(logits.size()));
    const auto best = std::max_element(p.begin(), p.end());
    return {int(best - p.begin()), *best};
}

// The background job: each image in turn with one single-threaded Classifier (the window's own worker and
// the GUI keep the other core), one result per image as soon as it is known.
void classifyRows(QPromise<RowClassification>& promise, const std::vector<std::pair<int, LoadedImage>>& rows,
                  const std::shared_ptr<const levit::Model>& model) {
    promise.setProgressRange(0, int(rows.size()));
    levit::Classifier classifier(model, 1);
    int done = 0;
    for (const auto& [row, image] : rows) {
        if (promise.isCanceled()) return;
        RowClassification outcome{row, model, {}, {}, {}};
        try {
            if (image.model_input.fits(model->config())) {
                outcome.classification = classifyLoadedImage(classifier, image);
            } else {
                levit::ImageRGB8 seen;
                outcome.classification = classifyLoadedImage(classifier, image, {}, nullptr, &seen);
                outcome.made = {std::make_shared<const levit::ImageRGB8>(std::move(seen)), model->config().preprocess};
            }
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        promise.addResult(std::move(outcome));
        promise.setProgressValue(++done);
    }
}

QStandardItem* cell(const QString& text, const QVariant& sort_key) {
    auto* item = new QStandardItem(text);
    item->setData(sort_key, kSortRole);
    item->setEditable(false);
    return item;
}

QString percent(float p) { return QString("%1 %").arg(double(p) * 100.0, 0, 'f', 1); }

}  // namespace

void ResultsFilter::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateFilter();
}

void ResultsFilter::setDisagreeOnly(bool on) {
    disagree_only_ = on;
    invalidateFilter();
}

bool ResultsFilter::filterAcceptsRow(int source_row, const QModelIndex& parent) const {
    const QAbstractItemModel* rows = sourceModel();
    if (disagree_only_ && rows->index(source_row, ResultsTable::Agree, parent).data(kDisagreeRole).toInt() != 1) return false;
    if (text_.isEmpty()) return true;
    for (int column : {ResultsTable::Image, ResultsTable::ClsLabel, ResultsTable::DistLabel, ResultsTable::Label}) {
        const QModelIndex index = rows->index(source_row, column, parent);
        if (index.data(Qt::DisplayRole).toString().contains(text_, Qt::CaseInsensitive)) return true;
        if (column == ResultsTable::Image && index.data(Qt::ToolTipRole).toString().contains(text_, Qt::CaseInsensitive)) return true;
    }
    return false;
}

ResultsTable::ResultsTable(QWidget* parent) : QWidget(parent) {
    pool_.setMaxThreadCount(1);
    rows_ = new QStandardItemModel(0, ColumnCount, this);
    // Short headers, so the image names keep room on a 1280-pixel screen; the tooltips say more.
    rows_->setHorizontalHeaderLabels({tr("Image"), tr("Classifier head"), tr("conf."), tr("Distillation head"), tr("conf."),
                                      tr("Average"), tr("conf."), tr("Heads agree")});
    const QStringList tips = {tr("The file (its path in the tooltip)"),
                              tr("Top-1 class of the classification head"),
                              tr("Its probability (softmax of the classification head's logits)"),
                              tr("Top-1 class of the distillation head"),
                              tr("Its probability (softmax of the distillation head's logits)"),
                              tr("Top-1 class of the averaged logits: the model's answer, as levit classify prints it"),
                              tr("Its probability"),
                              tr("Whether both heads give the same top-1 class")};
    for (int c = 0; c < ColumnCount; ++c) rows_->setHeaderData(c, Qt::Horizontal, tips[c], Qt::ToolTipRole);
    filter_ = new ResultsFilter(this);
    filter_->setSourceModel(rows_);
    filter_->setSortRole(kSortRole);
    filter_->setSortCaseSensitivity(Qt::CaseInsensitive);

    view_ = new QTableView(this);
    view_->setModel(filter_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder);  // the window's order until a header is clicked
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideMiddle);  // long photo names keep their start and their number
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setSectionResizeMode(Image, QHeaderView::Stretch);
    view_->horizontalHeader()->setMinimumSectionSize(48);
    const auto open = [this](const QModelIndex& index) {
        if (index.isValid()) emit imageActivated(filter_->mapToSource(index).row());
    };
    connect(view_, &QTableView::clicked, this, open);
    connect(view_, &QTableView::activated, this, open);  // Enter on the current row

    filter_edit_ = new QLineEdit(this);
    filter_edit_->setPlaceholderText(tr("Filter by file name or label"));
    filter_edit_->setClearButtonEnabled(true);
    connect(filter_edit_, &QLineEdit::textChanged, filter_, &ResultsFilter::setText);
    disagree_box_ = new QCheckBox(tr("Heads disagree only"), this);
    connect(disagree_box_, &QCheckBox::toggled, filter_, &ResultsFilter::setDisagreeOnly);
    auto* export_csv = new QPushButton(tr("Export CSV…"), this);
    auto* export_json = new QPushButton(tr("Export JSON…"), this);
    connect(export_csv, &QPushButton::clicked, this, [this] { exportTo(".csv", tr("CSV (*.csv)")); });
    connect(export_json, &QPushButton::clicked, this, [this] { exportTo(".json", tr("JSON (*.json)")); });

    status_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(220);
    progress_->setFormat("%v / %m");
    progress_->hide();
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    cancel_button_->setToolTip(tr("Stop classifying; the rows without a result are classified the next time the tab is shown"));
    cancel_button_->hide();
    connect(cancel_button_, &QPushButton::clicked, this, &ResultsTable::cancel);

    auto* tools = new QHBoxLayout();
    tools->addWidget(filter_edit_, 1);
    tools->addWidget(disagree_box_);
    tools->addWidget(export_csv);
    tools->addWidget(export_json);
    auto* status_row = new QHBoxLayout();
    status_row->addWidget(status_, 1);
    status_row->addWidget(progress_);
    status_row->addWidget(cancel_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(view_, 1);
    layout->addLayout(status_row);
    updateStatus();
}

ResultsTable::~ResultsTable() {
    if (watcher_) watcher_->cancel();
    pool_.waitForDone();
}

void ResultsTable::setModel(std::shared_ptr<const levit::Model> model) {
    cancel();
    model_ = std::move(model);
    std::fill(results_.begin(), results_.end(), std::nullopt);
    std::fill(done_.begin(), done_.end(), false);
    classified_ = 0;
    for (int row = 0; row < rows_->rowCount(); ++row) buildRow(row, images_[size_t(row)].source);
    updateStatus();
    if (isVisible()) classifyPending();
}

void ResultsTable::addImage(const LoadedImage& image) {
    LoadedImage kept = image;
    kept.result.reset();  // the table keeps its own numbers; the window's result holds probes
    images_.push_back(std::move(kept));
    results_.emplace_back();
    done_.push_back(false);
    buildRow(rows_->rowCount(), image.source);
    updateStatus();
    if (isVisible() && !watcher_) classifyPending();
}

void ResultsTable::buildRow(int row, const QString& source) {
    QList<QStandardItem*> items;
    QStandardItem* name = cell(QFileInfo(source).fileName().isEmpty() ? source : QFileInfo(source).fileName(), row);
    name->setData(source, Qt::ToolTipRole);
    items << name;
    for (int c = ClsLabel; c < ColumnCount; ++c) items << cell(c == Agree ? QString() : tr("…"), QVariant());
    if (row < rows_->rowCount()) {
        for (int c = 0; c < ColumnCount; ++c) rows_->setItem(row, c, items[c]);
    } else {
        rows_->appendRow(items);
    }
}

void ResultsTable::classifyPending() {
    if (watcher_ || !model_) return;
    std::vector<std::pair<int, LoadedImage>> pending;
    for (size_t row = 0; row < images_.size(); ++row)
        if (!done_[row]) pending.emplace_back(int(row), images_[row]);
    if (pending.empty()) return;
    watcher_ = new QFutureWatcher<RowClassification>(this);
    connect(watcher_, &QFutureWatcherBase::resultsReadyAt, this, [this, watcher = watcher_](int begin, int end) {
        for (int i = begin; i < end; ++i) showClassification(watcher->resultAt(i));
    });
    connect(watcher_, &QFutureWatcherBase::finished, this, &ResultsTable::onRunFinished);
    watcher_->setFuture(runInPool<RowClassification>(&pool_, [rows = std::move(pending), model = model_](QPromise<RowClassification>& promise) {
        classifyRows(promise, rows, model);
    }));
    updateStatus();
}

void ResultsTable::cancel() {
    if (!watcher_) return;
    // Results already reported stay; the job stops before its next image and its watcher is dropped.
    watcher_->disconnect(this);
    watcher_->cancel();
    connect(watcher_, &QFutureWatcherBase::finished, watcher_, &QObject::deleteLater);
    watcher_ = nullptr;
    updateStatus();
    emit runFinished();
}

void ResultsTable::showClassification(const RowClassification& outcome) {
    if (outcome.model != model_ || outcome.row < 0 || outcome.row >= rows_->rowCount()) return;
    const int row = outcome.row;
    if (outcome.made.pixels) {
        images_[size_t(row)].model_input = outcome.made;
        emit modelInputMade(row, outcome.made);
    }
    if (!done_[size_t(row)]) ++classified_;
    done_[size_t(row)] = true;
    if (!outcome.error.isEmpty()) {
        QStandardItem* item = cell(tr("cannot classify"), QVariant());
        item->setToolTip(outcome.error);
        item->setForeground(QColor(200, 60, 40));
        rows_->setItem(row, ClsLabel, item);
        updateStatus();
        emit progressChanged(classified_, rowCount());
        return;
    }
    const levit::Classification& c = outcome.classification;
    const Top1 cls = top1(c.cls_logits), dist = top1(c.distillation_logits), avg = top1(c.logits);
    showLabels(row, c);
    rows_->setItem(row, ClsConfidence, cell(percent(cls.probability), cls.probability));
    rows_->setItem(row, DistConfidence, cell(percent(dist.probability), dist.probability));
    rows_->setItem(row, Confidence, cell(percent(avg.probability), avg.probability));
    const bool agree = cls.index == dist.index;
    QStandardItem* agreement = cell(agree ? tr("yes") : tr("no"), agree ? 1 : 0);
    agreement->setData(agree ? 0 : 1, kDisagreeRole);
    if (!agree) agreement->setForeground(QColor(200, 80, 40));
    rows_->setItem(row, Agree, agreement);
    results_[size_t(row)] = c;
    updateStatus();
    emit progressChanged(classified_, rowCount());
}

void ResultsTable::onRunFinished() {
    watcher_->deleteLater();
    watcher_ = nullptr;
    // Images added while the run was under way.
    if (isVisible()) classifyPending();
    updateStatus();
    if (!watcher_) emit runFinished();
}

void ResultsTable::updateStatus() {
    // Of all rows, not of the current run: runs start again as images keep arriving from an open.
    progress_->setRange(0, std::max(1, rowCount()));
    progress_->setValue(classified_);
    progress_->setVisible(watcher_ != nullptr);
    cancel_button_->setVisible(watcher_ != nullptr);
    if (!model_) status_->setText(tr("%n image(s); load a model to classify them.", nullptr, rowCount()));
    else if (watcher_) status_->setText(tr("Classifying: %1 / %2 images").arg(classified_).arg(rowCount()));
    else if (rowCount() == 0) status_->setText(tr("Open a folder (File > Open folder…) to see every image's prediction here."));
    else status_->setText(tr("%1 / %2 images classified").arg(classified_).arg(rowCount()));
}

void ResultsTable::exportTo(const char* suffix, const QString& filter) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export predictions"), QString("predictions") + suffix, filter);
    if (!path.isEmpty()) emit exportRequested(path);
}

void ResultsTable::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    classifyPending();
}

int ResultsTable::rowCount() const { return rows_->rowCount(); }

QString ResultsTable::labelOf(int index) const {
    if (index >= 0 && index < class_names_.size()) return class_names_[index];
    const auto& labels = model_->config().id2label;
    return index >= 0 && index < int(labels.size()) ? QString::fromStdString(labels[size_t(index)]) : QString::number(index);
}

void ResultsTable::showLabels(int row, const levit::Classification& c) {
    const int cls = top1(c.cls_logits).index, dist = top1(c.distillation_logits).index, avg = top1(c.logits).index;
    rows_->setItem(row, ClsLabel, cell(labelOf(cls), labelOf(cls)));
    rows_->setItem(row, DistLabel, cell(labelOf(dist), labelOf(dist)));
    rows_->setItem(row, Label, cell(labelOf(avg), labelOf(avg)));
}

void ResultsTable::setClassNames(const QStringList& names) {
    class_names_ = names;
    if (!model_) return;
    for (int row = 0; row < int(results_.size()); ++row)
        if (results_[size_t(row)]) showLabels(row, *results_[size_t(row)]);
}

std::optional<levit::Classification> ResultsTable::classification(int row) const {
    return row >= 0 && row < int(results_.size()) ? results_[size_t(row)] : std::nullopt;
}

}  // namespace levit::ui
