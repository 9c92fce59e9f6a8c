#pragma once
// Evaluate: a model on an ImageFolder (one sub-folder per class, named as the model's classes), off the GUI thread
// on both cores with progress, throughput and Cancel; then the accuracy of each head and of their mean, the
// confusion matrix as a heatmap (click a cell: the images in it; double-click one: it opens in the window), the
// accuracy per class, the images where the two heads disagree, and export as CSV or as `levit eval --json`'s JSON.
#include <QDialog>
#include <QFutureWatcher>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "levit/evaluation.h"
#include "levit/model.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace levit::ui {

class HeatmapWidget;
class TopKChart;

struct EvaluationOutcome {
    std::optional<levit::EvaluationTally> tally;
    std::vector<std::string> labels;
    QString dataset;
    double seconds = 0;
    int unreadable = 0;
    QString error;  // empty when it ran
};

class EvaluateDialog : public QDialog {
    Q_OBJECT
public:
    explicit EvaluateDialog(QWidget* parent = nullptr);
    ~EvaluateDialog() override;  // cancels and waits for the job

    void setModel(std::shared_ptr<const levit::Model> model, const QString& path);
    void setFolder(const QString& dir);
    void start();
    void cancel();
    bool running() const;

    // For tests and scripts.
    const std::optional<EvaluationOutcome>& outcome() const { return outcome_; }
    QString summary() const;
    HeatmapWidget* confusionMap() const { return confusion_; }
    QStringList cellImages() const;          // the images listed for the selected cell
    QStringList disagreementImages() const;  // the images where the heads disagree
    bool exportCsv(const QString& path);
    bool exportJson(const QString& path);
    void selectCell(int truth, int predicted);

signals:
    void finished();
    void openImages(const QStringList& paths);

private:
    void onFinished();
    void showOutcome();
    QString fail(const QString& text);

    QLineEdit* folder_edit_;
    QLabel* model_label_;
    QPushButton* run_button_;
    QPushButton* cancel_button_;
    QPushButton* csv_button_;
    QPushButton* json_button_;
    QProgressBar* progress_;
    QLabel* progress_label_;
    QLabel* summary_;
    HeatmapWidget* confusion_;
    TopKChart* per_class_;
    QLabel* cell_title_;
    QListWidget* cell_list_;
    QListWidget* disagree_list_;
    std::shared_ptr<const levit::Model> model_;
    QString model_path_;
    QFutureWatcher<EvaluationOutcome> watcher_;
    std::optional<EvaluationOutcome> outcome_;
};

}  // namespace levit::ui
