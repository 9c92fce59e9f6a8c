#pragma once
// The "Results" tab: every image the window holds, one row each, with the top-1 class of each head
// (classification, distillation) and of their average, the confidences, and whether the heads agree.
// Sortable by any column, filtered by text (file name or label) and "heads disagree only"; a click opens
// the image in the window; export goes through the window's CSV/JSON export. Images are classified on a
// background thread, cancellable, with progress, while the tab is shown; rows fill in as results come.
#include <QFutureWatcher>
#include <QSortFilterProxyModel>
#include <QThreadPool>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "levit/classifier.h"
#include "loaded_image.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace levit::ui {

// One classified row: what the table shows for an image.
struct RowClassification {
    int row = -1;
    std::shared_ptr<const levit::Model> model;  // results of a model no longer current are dropped
    levit::Classification classification;
    ModelInput made;  // the model's input, when it had to be made from the file or the pixels
    QString error;
};

// Rows passing the text filter (file name or any shown label, case-insensitive) and, when asked, only
// those whose two heads disagree.
class ResultsFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setText(const QString& text);
    void setDisagreeOnly(bool on);

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    QString text_;
    bool disagree_only_ = false;
};

class ResultsTable : public QWidget {
    Q_OBJECT
public:
    enum Column { Image, ClsLabel, ClsConfidence, DistLabel, DistConfidence, Label, Confidence, Agree, ColumnCount };

    explicit ResultsTable(QWidget* parent = nullptr);
    ~ResultsTable() override;

    // Results of another model are dropped and its images classified again.
    void setModel(std::shared_ptr<const levit::Model> model);
    // Class names by index shown instead of the config's (the ImageNet-1k names chosen for LABEL_N); empty
    // for the config's. Rows already classified are relabelled.
    void setClassNames(const QStringList& names);
    // A row for the window's next image (rows follow the window's image indices).
    void addImage(const LoadedImage& image);
    // Classifies the rows that have no result yet (done by itself while the tab is shown).
    void classifyPending();
    void cancel();
    bool busy() const { return watcher_ != nullptr; }

    int rowCount() const;
    std::optional<levit::Classification> classification(int row) const;
    QTableView* view() const { return view_; }
    ResultsFilter* filter() const { return filter_; }
    QLineEdit* filterEdit() const { return filter_edit_; }
    QCheckBox* disagreeBox() const { return disagree_box_; }

signals:
    void imageActivated(int index);
    // The model's input for an image that had none for this model (opened before the model was loaded, or
    // made for another preprocessing): the window keeps it, so showing the image needs no decode.
    void modelInputMade(int index, const levit::ui::ModelInput& input);
    void exportRequested(const QString& path);
    // After each result and when a run ends: rows classified so far of all rows.
    void progressChanged(int classified, int total);
    void runFinished();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildRow(int row, const QString& source);
    void showClassification(const RowClassification& outcome);
    void onRunFinished();
    void updateStatus();
    void exportTo(const char* suffix, const QString& filter);
    QString labelOf(int index) const;
    void showLabels(int row, const levit::Classification& c);

    std::shared_ptr<const levit::Model> model_;
    QStringList class_names_;
    std::vector<LoadedImage> images_;       // what classifying each row needs (no full pixels of photos)
    std::vector<std::optional<levit::Classification>> results_;
    std::vector<bool> done_;  // classified, or failed with the error shown: not tried again for this model
    int classified_ = 0;      // rows done
    QThreadPool pool_;
    QFutureWatcher<RowClassification>* watcher_ = nullptr;

    QStandardItemModel* rows_;
    ResultsFilter* filter_;
    QTableView* view_;
    QLineEdit* filter_edit_;
    QCheckBox* disagree_box_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* cancel_button_;
};

}  // namespace levit::ui
