#pragma once
// The LeViT Lens window: images in (drop, open, paste, recent, strip), the answer (predictions), the
// views inside the model in tabs, the live camera, model choice, export, settings.
#include <QList>
#include <QMainWindow>
#include <QPixmap>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "inference_result.h"
#include "levit/gradients.h"
#include "loaded_image.h"
#include "media/frame_source.h"
#include "message_area.h"
#include "picture_loader.h"

class QAction;
class QComboBox;
class QFutureWatcherBase;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace levit::ui {

class AttentionView;
class EvaluateDialog;
class ExplainView;
class TeachView;
class ModelTab;
class ModelGraphView;
class TourView;
struct GraphTarget;
class CaptureWorker;
class FeatureMapView;
class HeadsComparisonView;
class InferenceWorker;
class LivePanel;
class ModelView;
class PictureLabel;
class PresentationView;
class PredictionsView;
class PresentationWindow;
class ResultsTable;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Feature maps, Attention, Classifier vs distillation, Explain, Live camera, Results, Teach, Model.
    static constexpr int kTabCount = 8;
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a model on a worker thread; modelLoaded or a message in the window follows. When several loads
    // overlap, the one asked for last wins.
    void loadModel(const QString& path);
    // A Hugging Face id ("org/name[@revision]"): the Download model dialog opens with it and starts, so the
    // model comes from the cache or is downloaded with a progress bar that can be cancelled.
    void openHubModel(const QString& id);
    // Files or folders; listed and decoded on a worker thread with progress in the status bar. Images join the
    // strip as they are decoded; imagesAdded follows (errors and limits appear in the window). Cancellable.
    void addImageFiles(const QStringList& paths);
    void addImage(const QString& source, const QImage& image);
    void selectImage(int index);
    void pasteFromClipboard();
    void startVideoFile(const QString& path);
    void startCamera(int index);
    void stopLive();
    // Writes the predictions of all loaded images (.csv or .json) from a worker thread; predictionsExported
    // follows (ok = false with a message in the window on failure or cancel). Cancellable.
    void exportPredictions(const QString& path);
    // Cancels opening images and exporting (the Cancel button in the status bar). A model being loaded
    // finishes; the destructor waits for every background job.
    void cancelBackgroundWork();
    int backgroundJobs() const { return int(jobs_.size()); }
    // Picture decodes that found a newer picture asked for before they started, and did nothing.
    int skippedPictureDecodes() const { return pictures_->skippedDecodes(); }
    bool exportCurrentView(const QString& path);
    // Presentation mode (F11) on what the window shows: the tour when it is on show, else the picture and its answer.
    void presentCurrent();
    // The Model tab's step-by-step tour, at `step` (0-based).
    void showTour(int step);

    // For tests and scripts.
    std::shared_ptr<const levit::Model> model() const { return model_; }
    int imageCount() const { return int(images_.size()); }
    int currentImage() const { return current_; }
    QString imageSource(int index) const { return index >= 0 && index < imageCount() ? images_[index].source : QString(); }
    QString message() const;
    PredictionsView* predictionsView() const { return predictions_; }
    PresentationWindow* presentation() const { return presentation_; }
    FeatureMapView* featureMapView() const { return feature_maps_; }
    AttentionView* attentionView() const { return attention_; }
    HeadsComparisonView* headsView() const { return heads_; }
    ExplainView* explainView() const { return explain_; }
    TeachView* teachView() const { return teach_; }
    ModelTab* modelTab() const { return model_tab_; }
    ModelGraphView* graphView() const { return graph_; }
    TourView* tourView() const { return tour_; }
    ResultsTable* resultsTable() const { return results_; }
    const LoadedImage* image(int index) const { return index >= 0 && index < imageCount() ? &images_[size_t(index)] : nullptr; }
    QTabWidget* tabs() const { return tabs_; }
    InferenceResultPtr lastResult() const { return last_result_; }
    quint64 liveResults() const { return live_results_; }
    CaptureWorker* capture() const { return capture_; }
    // The picture on the left: what every view describes.
    QImage shownPicture() const;

signals:
    void modelLoaded();
    // A model asked for could not be loaded; the message (naming it) is also in the window.
    void modelLoadFailed(const QString& message);
    void resultShown();
    // The picture on the left now shows `source` (files are decoded in the background).
    void pictureShown(const QString& source);
    // The image (or live frame) asked for could not be classified; the message is also in the window.
    void classificationFailed(const QString& message);
    // Every end of the live view: Stop, a video that ends, a failing source, picking a still image.
    void liveStopped(const QString& reason);
    void predictionsExported(const QString& path, bool ok);
    // After addImageFiles: images added, and messages shown (files that could not be opened, limits, cancel).
    void imagesAdded(int added, int failed);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void connectLivePanel();
    void fitToScreen();
    // A message of one cause replaces the previous message of that cause only (an empty text clears it).
    void showMessage(MessageCause cause, const QString& text, bool error);
    // A save dialog that starts in, and remembers, the last folder used.
    QString saveFileName(const QString& caption, const QString& name, const QString& filter);
    void trackJob(QFutureWatcherBase* watcher, bool cancellable);
    void updateProgress();
    // Adds an image to the strip and the results table, or returns why it does not fit (the window's image
    // limit, and its pixel limit for images without a file).
    QString appendImage(LoadedImage image, const QImage& thumbnail);
    void showPicture(const LoadedImage& image);
    void setShownPicture(const QImage& picture, const QString& source);
    void showPictureError(const QString& message);
    void classifyCurrent();
    void onResult(const InferenceResultPtr& result);
    void onFailed(quint64 id, const QString& source, const QString& message);
    void onFrame();
    void startLive(const std::function<std::unique_ptr<levit::media::FrameSource>()>& open, const QString& name,
                   const QString& status);
    void onLiveEnded(const QString& reason, bool video_ended);
    void endLive(const QString& reason);
    levit::Probe visibleProbe() const;
    ModelView* currentView() const;
    void refreshRecentMenu();
    void refreshHubCacheMenu();
    void setColormap(const QString& name);
    void applyPalette(const QString& mode);
    void addLanguageMenu(QMenu* view);  // View > Language: saved, shown from the next start
    void updateModelSummary();
    // The Explain tab, shown (with its head, or the two heads' difference) for the current image.
    void showExplainTab();

public:
    // Model > Evaluate: the dialog, on the window's model (made once, kept).
    EvaluateDialog* showEvaluateDialog();

private:
    void explainClass(int class_index, std::optional<levit::Head> head);
    // A click on a node of the model graph: its output in the view that shows it, already positioned.
    void openGraphTarget(const GraphTarget& target);
    // The next image after the current one (wrapping) whose heads pick different classes, shown with the
    // difference of their maps; says so when there is none (yet).
    void showNextDisagreement();
    QList<ModelView*> modelViews() const;

    // Background jobs (model loading, opening images, exports): joined in the destructor, before anything
    // they report to is gone. Jobs capture values only, never the window.
    QThreadPool pool_;
    struct Job {
        QFutureWatcherBase* watcher;
        bool cancellable;
    };
    QList<Job> jobs_;
    quint64 model_request_ = 0;  // the newest loadModel call; older loads that finish later are dropped

    std::shared_ptr<const levit::Model> model_;
    QString model_path_;
    std::vector<LoadedImage> images_;
    qint64 pixels_held_ = 0;  // full-resolution pixels of images_ without a file, against kMaxWindowPixels
    PictureLoader* pictures_;  // the picture on the left, decoded at the size shown
    int current_ = -1;
    quint64 next_id_ = 1;
    quint64 waiting_id_ = 0;
    bool live_ = false;
    quint64 live_starts_ = 0;  // counts startLive calls: an image load asked for before one does not end it
    quint64 live_results_ = 0;
    QString live_name_;   // the camera or video file of the live view, for messages
    QString live_video_;  // the video file playing (for Loop), empty for a camera
    InferenceResultPtr last_result_;
    levit::ImageRGB8 last_frame_;
    // After the live view stops, its last frame is what the window shows and describes (not the strip's
    // current image) until an image is picked.
    bool showing_frame_ = false;
    QString frame_source_;

    InferenceWorker* worker_;
    CaptureWorker* capture_;
    MessageArea* messages_;
    PictureLabel* image_label_;
    QLabel* model_summary_;
    QListWidget* strip_;
    QTabWidget* tabs_;
    PredictionsView* predictions_;
    PresentationWindow* presentation_;
    FeatureMapView* feature_maps_;
    AttentionView* attention_;
    HeadsComparisonView* heads_;
    ExplainView* explain_;
    ModelGraphView* graph_;
    TourView* tour_;
    ModelTab* model_tab_;
    TeachView* teach_;
    EvaluateDialog* evaluate_ = nullptr;
    ResultsTable* results_;
    QProgressBar* progress_;
    QPushButton* cancel_button_;
    QMenu* recent_menu_;
    QMenu* hub_menu_;
    LivePanel* live_panel_;
    PresentationView* live_view_;
    QSplitter* splitter_;
};

}  // namespace levit::ui
