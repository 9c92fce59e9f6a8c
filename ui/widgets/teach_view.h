#pragma once
// "Teach it your classes": the Teach tab, Teachable Machine for LeViT. Classes as cards collect examples (files,
// folders, the clipboard, or frames recorded from the camera or a video while a button is held); Train fine-tunes
// a model on them off the GUI thread with a live loss and accuracy chart; the trained model then becomes the
// window's model, so the live view and every tab (feature maps, attention, heads, explanations) show what was
// learnt. Save writes the Hugging Face folder `levit train` writes; the examples save and open as an ImageFolder.
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

#include "inference_result.h"
#include "levit/image.h"
#include "teach_examples.h"

class QCheckBox;
class QFutureWatcherBase;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace levit::ui {

class ClassCard;
class PresentationView;
class TrainingChart;
class TrainingWorker;

class TeachView : public QWidget {
    Q_OBJECT
public:
    explicit TeachView(QWidget* parent = nullptr);
    ~TeachView() override;

    // The model the window shows now (a starting point and teacher option), and the bundled one.
    void setWindowModel(const QString& path, const QString& name);
    // Where Record takes frames from: the window's live view (none when it is not running).
    void setFrameSource(std::function<std::optional<levit::ImageRGB8>()> source);
    // A classified live frame (the preview shows it with the window model's answer).
    void showLiveResult(const InferenceResultPtr& result);
    void liveStopped(const QString& reason);

    // The classes as they stand (names and examples), and changing them (for tests, scripts and Open dataset).
    std::vector<TeachClass> classes() const;
    ClassCard* addClass(const QString& name = {});
    void setClasses(std::vector<TeachClass> classes);
    int classCount() const { return int(cards_.size()); }
    ClassCard* card(int i) const { return cards_[size_t(i)]; }
    // Open (replacing the classes when it succeeds) and save an ImageFolder in the background, reported by
    // backgroundJob (progress; opening can be cancelled), then datasetOpened / datasetSaved and a message.
    // False when another open, save or training is under way.
    bool openDataset(const QString& dir);
    bool saveDataset(const QString& dir);
    bool datasetBusy() const;
    // Copies the last trained model folder to `dir` (which must not exist).
    bool saveModel(const QString& dir);

    // Training settings (defaults: the window's model, last stage, automatic epochs).
    void setEpochs(int epochs);  // 0 = automatic
    void setScope(const QString& scope);  // head | last-stage | all
    void setValidationShare(double share);
    void setStartModel(const QString& path);  // a model folder to start from instead of the window's
    void setTeacher(const QString& path);     // empty: no teacher
    bool train();
    void cancelTraining();
    bool training() const;
    QString trainedModel() const { return trained_dir_; }
    QString statusText() const;
    TrainingChart* chart() const { return chart_; }

signals:
    // A model was trained and saved in `dir`: the window loads it.
    void modelTrained(const QString& dir);
    void cameraRequested(int index);
    void videoRequested(const QString& path);
    void stopLiveRequested();
    void message(const QString& text, bool error);
    void datasetOpened(bool ok);
    void datasetSaved(bool ok);
    // A job the window shows in its progress bar (and cancels with its Cancel button when `cancellable`).
    void backgroundJob(QFutureWatcherBase* watcher, bool cancellable);

private:
    void buildSettings();
    void refreshState();
    void removeCard(ClassCard* card);
    void layoutCards();
    QString checkData() const;
    QString resolvedStartModel() const;
    QString resolvedTeacher() const;
    QString newModelFolder() const;
    void onEpoch(const levit::EpochMetrics& m);
    void onFinished(const QString& dir, int best_epoch, bool interrupted, double seconds);

    std::vector<ClassCard*> cards_;
    QGridLayout* cards_layout_;
    QPushButton* add_class_;
    QPushButton* open_dataset_;
    QPushButton* save_dataset_;
    PresentationView* preview_;
    QComboBox* camera_box_;
    QPushButton* camera_button_;
    QPushButton* video_button_;
    QPushButton* stop_button_;
    QSpinBox* record_spin_;
    QLabel* camera_note_;
    QComboBox* start_box_;
    QComboBox* scope_box_;
    QComboBox* teacher_box_;
    QToolButton* advanced_button_;
    QWidget* advanced_;
    QSpinBox* epochs_spin_;
    QDoubleSpinBox* lr_spin_;
    QSpinBox* batch_spin_;
    QCheckBox* crop_box_;
    QCheckBox* flip_box_;
    QCheckBox* jitter_box_;
    QSpinBox* validation_spin_;
    QPushButton* train_button_;
    QPushButton* cancel_button_;
    QPushButton* save_model_button_;
    QLabel* status_;
    TrainingChart* chart_;
    TrainingWorker* worker_;
    QFutureWatcherBase* dataset_job_ = nullptr;  // an ImageFolder being opened or saved
    std::function<std::optional<levit::ImageRGB8>()> frames_;
    QString window_model_, window_model_name_;
    QString start_override_, teacher_path_;
    QString trained_dir_;
    int planned_epochs_ = 0;
    int best_val_percent_ = -1;
};

}  // namespace levit::ui
