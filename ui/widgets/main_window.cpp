#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDebug>
#include <QDir>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSaveFile>
#include <QSplitter>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTime>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

#include "attention_view.h"
#include "captioned_export.h"
#include "capture_worker.h"
#include "colormap.h"
#include "download_model_dialog.h"
#include "feature_map_view.h"
#include "evaluate_dialog.h"
#include "explain_view.h"
#include "heads_comparison_view.h"
#include "hub/cached_models.h"
#include "image_convert.h"
#include "image_loader.h"
#include "inference_worker.h"
#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "live_panel.h"
#include "media/bundled_model.h"
#include "media/image_decoder.h"
#include "message_area.h"
#include "picture_label.h"
#include "predictions_view.h"
#include "model_graph_view.h"
#include "model_tab.h"
#include "palettes.h"
#include "presentation_view.h"
#include "presentation_window.h"
#include "tour_view.h"
#include "results_table.h"
#include "settings.h"
#include "teach_view.h"
#include "top_k_chart.h"
#include "top_k_chart.h"
#include "translation.h"
#include "pool_task.h"

namespace levit::ui {

namespace {

// What a background model load hands back to the window.
struct ModelLoad {
    quint64 request = 0;
    QString path;
    std::shared_ptr<const levit::Model> model;
    QString error;
};

// What a background export hands back: empty when the file was written.
struct ExportOutcome {
    QString error;
    int images = 0;
};

QStringList imageFilters() {
    QStringList patterns;
    for (const std::string& ext : levit::media::supportedImageExtensions()) patterns << "*." + QString::fromStdString(ext);
    return patterns;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("LeViT Lens"));
    setAcceptDrops(true);
    worker_ = new InferenceWorker(this);
    capture_ = new CaptureWorker(this);
    connect(worker_, &InferenceWorker::resultReady, this, &MainWindow::onResult);
    connect(worker_, &InferenceWorker::failed, this, &MainWindow::onFailed);
    connect(capture_, &CaptureWorker::frameAvailable, this, &MainWindow::onFrame, Qt::QueuedConnection);
    connect(capture_, &CaptureWorker::finished, this, &MainWindow::onLiveEnded, Qt::QueuedConnection);

    image_label_ = new PictureLabel(tr("Drop images here, open them (Ctrl+O) or paste one (Ctrl+V)."), this);
    model_summary_ = new QLabel(tr("No model loaded."), this);
    model_summary_->setWordWrap(true);
    predictions_ = new PredictionsView(this);
    presentation_ = new PresentationWindow(this);

    auto* left = new QWidget(this);
    auto* left_layout = new QVBoxLayout(left);
    left_layout->addWidget(image_label_, 5);
    left_layout->addWidget(predictions_, 4);
    left_layout->addWidget(model_summary_);

    tabs_ = new QTabWidget(this);
    feature_maps_ = new FeatureMapView(this);
    attention_ = new AttentionView(this);
    heads_ = new HeadsComparisonView(this);
    explain_ = new ExplainView(this);
    graph_ = new ModelGraphView;
    tour_ = new TourView;
    model_tab_ = new ModelTab(graph_, tour_, this);
    // Each tab scrolls when the window is smaller than what it needs (a 1280x720 projector), instead of
    // forcing a minimum window size larger than the screen.
    const auto scrolled = [this](QWidget* view) {
        auto* scroll = new QScrollArea(this);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(view);
        return scroll;
    };
    for (ModelView* view : QList<ModelView*>{feature_maps_, attention_, heads_, explain_}) tabs_->addTab(scrolled(view), view->viewTitle());
    live_panel_ = new LivePanel(this);
    // The Live tab's large view: the frame with its label, readable from the back of a room.
    live_view_ = new PresentationView(live_panel_);
    live_view_->clearResult(tr("Start the camera or open a video file: its frames appear here with the model's answer."));
    live_panel_->viewArea()->addWidget(live_view_);
    connectLivePanel();
    auto* live_scroll = new QScrollArea(this);
    live_scroll->setWidgetResizable(true);
    live_scroll->setFrameShape(QFrame::NoFrame);
    live_scroll->setWidget(live_panel_);
    tabs_->addTab(live_scroll, tr("Live camera"));
    connect(predictions_, &PredictionsView::classNamesChanged, heads_, &HeadsComparisonView::setClassNames);
    connect(predictions_, &PredictionsView::classNamesChanged, explain_, &ExplainView::setClassNames);
    // Every place that names a class uses the names chosen: the large views, the results, the exports.
    connect(predictions_, &PredictionsView::classNamesChanged, presentation_->view(), &PresentationView::setClassNames);
    connect(predictions_, &PredictionsView::classNamesChanged, live_view_, &PresentationView::setClassNames);
    // Click a bar in any chart: why that class?
    connect(predictions_->chart(), &TopKChart::classClicked, this, [this](int k) { explainClass(k, std::nullopt); });
    connect(heads_, &HeadsComparisonView::explainRequested, this, [this](int k, levit::Head head) { explainClass(k, head); });
    connect(heads_, &HeadsComparisonView::differenceRequested, this, [this] {
        explain_->setHeadMode(ExplainView::HeadMode::Difference);
        showExplainTab();
    });
    connect(explain_, &ExplainView::nextDisagreementRequested, this, &MainWindow::showNextDisagreement);
    results_ = new ResultsTable(this);
    tabs_->addTab(results_, tr("Results"));
    connect(results_, &ResultsTable::imageActivated, this, &MainWindow::selectImage);
    connect(predictions_, &PredictionsView::classNamesChanged, results_, &ResultsTable::setClassNames);
    teach_ = new TeachView(this);
    auto* teach_scroll = new QScrollArea(this);
    teach_scroll->setWidgetResizable(true);
    teach_scroll->setFrameShape(QFrame::NoFrame);
    teach_scroll->setWidget(teach_);
    tabs_->addTab(teach_scroll, tr("Teach"));
    // Last, so the numbers of the tabs before it (--tab, scripts) stay what they were.
    tabs_->addTab(scrolled(model_tab_), model_tab_->viewTitle());
    connect(graph_, &ModelGraphView::openRequested, this, &MainWindow::openGraphTarget);
    connect(predictions_, &PredictionsView::classNamesChanged, tour_, &TourView::setClassNames);
    connect(predictions_, &PredictionsView::classNamesChanged, presentation_->tour(), &TourView::setClassNames);
    // Stepping through the tour in presentation mode moves the tab's tour along, for when it is left.
    connect(presentation_->tour(), &TourView::stepChanged, tour_, &TourView::setStep);
    teach_->setFrameSource([this]() -> std::optional<levit::ImageRGB8> {
        if (live_ && !last_frame_.pixels.empty()) return last_frame_;
        return std::nullopt;
    });
    // A trained model is loaded like any other, so every tab and the live view use it through the one path.
    connect(teach_, &TeachView::modelTrained, this, &MainWindow::loadModel);
    connect(teach_, &TeachView::cameraRequested, this, &MainWindow::startCamera);
    connect(teach_, &TeachView::videoRequested, this, &MainWindow::startVideoFile);
    connect(teach_, &TeachView::stopLiveRequested, this, &MainWindow::stopLive);
    connect(teach_, &TeachView::backgroundJob, this, &MainWindow::trackJob);
    connect(teach_, &TeachView::message, this, [this](const QString& text, bool error) {
        if (error) showMessage(MessageCause::Teach, text, true);
        else statusBar()->showMessage(text, 8000);
    });
    connect(this, &MainWindow::liveStopped, teach_, &TeachView::liveStopped);
    connect(results_, &ResultsTable::exportRequested, this, &MainWindow::exportPredictions);
    connect(results_, &ResultsTable::modelInputMade, this, [this](int index, const ModelInput& input) {
        if (index < imageCount() && model_ && !images_[size_t(index)].model_input.fits(model_->config()) && input.fits(model_->config()))
            images_[size_t(index)].model_input = input;
    });
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (!live_) classifyCurrent();
        // Live, the heads view is not kept current while hidden (onResult); a paused video has no next frame.
        else if (last_result_ && currentView() == heads_) heads_->showResult(last_result_);
    });
    connect(attention_, &AttentionView::probeChanged, this, [this] { if (!live_) classifyCurrent(); });
    connect(model_tab_, &ModelTab::probeChanged, this, [this] { if (!live_) classifyCurrent(); });
    connect(tour_, &TourView::probeChanged, this, [this] { if (!live_) classifyCurrent(); });

    auto* splitter = splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({470, 1030});

    strip_ = new QListWidget(this);
    strip_->setObjectName("imageStrip");
    strip_->setViewMode(QListView::IconMode);
    strip_->setFlow(QListView::LeftToRight);
    strip_->setWrapping(false);
    strip_->setIconSize(QSize(72, 72));
    // Fixed cells: a long file name is shortened in its middle (the full path is the tooltip).
    strip_->setGridSize(QSize(104, 96));
    strip_->setTextElideMode(Qt::ElideMiddle);
    strip_->setWordWrap(false);
    strip_->setUniformItemSizes(true);
    strip_->setFixedHeight(112);
    strip_->setMovement(QListView::Static);
    connect(strip_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != current_) selectImage(row);
    });

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(splitter, 1);
    layout->addWidget(strip_);
    setCentralWidget(central);
    messages_ = new MessageArea(central, splitter);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 0);
    progress_->setMaximumWidth(200);
    progress_->hide();
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    cancel_button_->setToolTip(tr("Stop opening images or exporting predictions"));
    cancel_button_->hide();
    connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancelBackgroundWork);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_button_);
    // Loading a model, opening images, decoding the picture shown and an export may overlap; the inference
    // worker has its own thread.
    pool_.setMaxThreadCount(3);
    pictures_ = new PictureLoader(&pool_, this);
    connect(pictures_, &PictureLoader::ready, this, [this](const QString& source, const QImage& picture) { setShownPicture(picture, source); });
    connect(pictures_, &PictureLoader::failed, this, [this](const QString&, const QString& message) { showPictureError(message); });
    buildMenus();

    restoreGeometry(settings::windowGeometry());
    fitToScreen();
    splitter_->restoreState(settings::splitterState());
    tabs_->setCurrentIndex(settings::tab());
    predictions_->setTopK(settings::topK());
    setColormap(settings::colormap());
    applyPalette(settings::palette());
}

MainWindow::~MainWindow() {
    capture_->stop();
    cancelBackgroundWork();
    // Join every background job while the window is whole; their results are dropped with the watchers.
    pool_.waitForDone();
}

void MainWindow::trackJob(QFutureWatcherBase* watcher, bool cancellable) {
    jobs_.append({watcher, cancellable});
    progress_->setRange(0, 0);  // busy until the job reports a range
    progress_->setFormat(tr("%v / %m"));  // "12 / 100" images, not a percentage
    connect(watcher, &QFutureWatcherBase::progressRangeChanged, progress_, &QProgressBar::setRange);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, progress_, &QProgressBar::setValue);
    connect(watcher, &QFutureWatcherBase::progressTextChanged, this, [this](const QString& text) { statusBar()->showMessage(text); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        jobs_.removeIf([watcher](const Job& j) { return j.watcher == watcher; });
        watcher->deleteLater();
        updateProgress();
    });
    updateProgress();
}

void MainWindow::updateProgress() {
    if (jobs_.isEmpty()) {
        progress_->hide();
        cancel_button_->hide();
        return;
    }
    progress_->show();
    cancel_button_->setVisible(std::any_of(jobs_.begin(), jobs_.end(), [](const Job& j) { return j.cancellable; }));
}

void MainWindow::cancelBackgroundWork() {
    for (const Job& job : jobs_)
        if (job.cancellable) job.watcher->cancel();
}

void MainWindow::connectLivePanel() {
    connect(live_panel_, &LivePanel::cameraRequested, this, &MainWindow::startCamera);
    connect(live_panel_, &LivePanel::videoRequested, this, [this](const QString& path) {
        const QString file = !path.isEmpty() ? path
                                             : QFileDialog::getOpenFileName(this, tr("Open a video file"), settings::lastFolder(),
                                                                            tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)"));
        if (file.isEmpty()) return;
        settings::setLastFolder(QFileInfo(file).absolutePath());
        startVideoFile(file);
    });
    connect(live_panel_, &LivePanel::stopRequested, this, &MainWindow::stopLive);
    connect(live_panel_, &LivePanel::pauseToggled, this, [this](bool on) { capture_->setPaused(on); });
    connect(live_panel_, &LivePanel::snapshotRequested, this, [this] {
        if (last_frame_.pixels.empty()) return showMessage(MessageCause::Live, tr("No live frame to take a snapshot of yet."), true);
        addImage(tr("snapshot %1").arg(QTime::currentTime().toString("HH:mm:ss")), toQImage(last_frame_));
    });
}

void MainWindow::fitToScreen() {
    // The first window takes 92% of the screen it opens on (up to 1800x1100); one saved on a larger screen
    // shrinks to that.
    const QRect available = (screen() ? screen() : QGuiApplication::primaryScreen())->availableGeometry();
    const QSize wanted = settings::windowGeometry().isEmpty() ? QSize(1800, 1100) : size();
    const QSize fitted = wanted.boundedTo(available.size() * 0.92);
    resize(fitted);
    if (!available.contains(frameGeometry())) move(available.center() - rect().center());
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open images…"), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open images"), settings::lastFolder(),
                                                                tr("Images (%1);;All files (*)").arg(imageFilters().join(' ')));
        if (!paths.isEmpty()) settings::setLastFolder(QFileInfo(paths.first()).absolutePath());
        addImageFiles(paths);
    });
    file->addAction(tr("Open &folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"), settings::lastFolder());
        if (dir.isEmpty()) return;
        settings::setLastFolder(dir);
        addImageFiles({dir});
    });
    file->addAction(tr("&Paste image"), QKeySequence::Paste, this, &MainWindow::pasteFromClipboard);
    recent_menu_ = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(tr("&Export current view as PNG…"), QKeySequence(tr("Ctrl+E")), this, [this] {
        const QString name = (currentView() ? currentView()->viewTitle() : tabs_->tabText(tabs_->currentIndex())) + ".png";
        const QString path = saveFileName(tr("Export view"), name, tr("PNG images (*.png)"));
        if (!path.isEmpty()) exportCurrentView(path);
    });
    file->addAction(tr("Export predictions as CSV…"), this, [this] {
        const QString path = saveFileName(tr("Export predictions"), "predictions.csv", tr("CSV (*.csv)"));
        if (!path.isEmpty()) exportPredictions(path);
    });
    file->addAction(tr("Export predictions as JSON…"), this, [this] {
        const QString path = saveFileName(tr("Export predictions"), "predictions.json", tr("JSON (*.json)"));
        if (!path.isEmpty()) exportPredictions(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    refreshRecentMenu();

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->addAction(tr("Open model &folder…"), QKeySequence(tr("Ctrl+Shift+O")), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder (config.json + model.safetensors or pytorch_model.bin)"),
                                                              settings::lastFolder());
        if (dir.isEmpty()) return;
        settings::setLastFolder(QFileInfo(dir).absolutePath());
        loadModel(dir);
    });
    model->addAction(tr("Open &weights file…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open weights"), settings::lastFolder(),
                                                          tr("LeViT weights (*.safetensors *.bin *.pth *.pt *.index.json)"));
        if (path.isEmpty()) return;
        settings::setLastFolder(QFileInfo(path).absolutePath());
        loadModel(path);
    });
    model->addAction(tr("&Bundled default model"), this, [this] {
        try {
            loadModel(QString::fromStdString(levit::media::defaultModelPath()));
        } catch (const std::exception& e) {
            showMessage(MessageCause::Model, QString::fromUtf8(e.what()), true);
        }
    });
    model->addAction(tr("&Download model…"), this, [this] { openHubModel({}); });
    hub_menu_ = model->addMenu(tr("From the &Hugging Face cache"));
    connect(hub_menu_, &QMenu::aboutToShow, this, &MainWindow::refreshHubCacheMenu);
    refreshHubCacheMenu();
    model->addSeparator();
    model->addAction(tr("&Evaluate on a folder of labelled images…"), this, [this] { showEvaluateDialog(); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* topk = view->addMenu(tr("Top-&k"));
    auto* topk_group = new QActionGroup(this);
    for (int k : {3, 5, 10}) {
        QAction* a = topk->addAction(QString::number(k), this, [this, k] {
            predictions_->setTopK(k);
            settings::setTopK(k);
        });
        a->setCheckable(true);
        a->setChecked(k == settings::topK());
        topk_group->addAction(a);
    }
    QMenu* colormaps = view->addMenu(tr("&Colormap"));
    auto* cm_group = new QActionGroup(this);
    for (const QString& name : Colormap::names()) {
        QAction* a = colormaps->addAction(name, this, [this, name] { setColormap(name); });
        a->setCheckable(true);
        a->setChecked(name == settings::colormap());
        cm_group->addAction(a);
    }
    QMenu* palettes = view->addMenu(tr("&Palette"));
    auto* pal_group = new QActionGroup(this);
    // The setting keeps the English names; the menu shows them translated.
    static const char* const kPaletteNames[] = {QT_TR_NOOP("system"), QT_TR_NOOP("light"), QT_TR_NOOP("dark")};
    for (const char* name : kPaletteNames) {
        const QString mode = QString::fromLatin1(name);
        QAction* a = palettes->addAction(tr(name), this, [this, mode] { applyPalette(mode); });
        a->setCheckable(true);
        a->setChecked(mode == settings::palette());
        pal_group->addAction(a);
    }
    addLanguageMenu(view);
    view->addSeparator();
    view->addAction(tr("&Previous image"), QKeySequence(Qt::ALT | Qt::Key_Left), this, [this] { selectImage(current_ - 1); });
    view->addAction(tr("&Next image"), QKeySequence(Qt::ALT | Qt::Key_Right), this, [this] { selectImage(current_ + 1); });
    view->addAction(tr("&Run again"), QKeySequence::Refresh, this, &MainWindow::classifyCurrent);
    view->addAction(tr("Pre&sentation mode"), QKeySequence(Qt::Key_F11), this, &MainWindow::presentCurrent);
    for (int i = 0; i < tabs_->count(); ++i)
        view->addAction(tr("Show %1").arg(tabs_->tabText(i)), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                        [this, i] { tabs_->setCurrentIndex(i); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LeViT Lens"), this, [this] {
        QMessageBox::about(this, tr("About LeViT Lens"),
                           tr("<h3>LeViT Lens %1</h3><p>Classifies images with the LeViT vision transformer, computed by its own "
                              "engine faithful to Hugging Face's, and shows what happens inside the model.</p>").arg(LEVIT_LENS_VERSION));
    });
}

void MainWindow::addLanguageMenu(QMenu* view) {
    QMenu* languages = view->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    // A language's own name stays in that language, so it can be found whatever the window shows.
    const std::pair<const char*, QString> choices[] = {{kLanguageSystem, tr("System")},
                                                       {kLanguageEnglish, QStringLiteral("English")},
                                                       {kLanguageChinese, QStringLiteral("简体中文 (Chinese)")}};
    for (const auto& [setting, label] : choices) {
        QAction* a = languages->addAction(label, this, [this, value = QString::fromLatin1(setting)] {
            if (value == settings::language()) return;
            settings::setLanguage(value);
            // Every view sets its texts once, when it is built: a restart shows them all in the new language.
            statusBar()->showMessage(tr("The language takes effect when LeViT Lens restarts."), 10000);
        });
        a->setCheckable(true);
        a->setChecked(QLatin1String(setting) == settings::language());
        a->setData(QString::fromLatin1(setting));
        group->addAction(a);
    }
}

void MainWindow::refreshRecentMenu() {
    recent_menu_->clear();
    const QStringList recent = settings::recentFiles();
    for (const QString& path : recent) recent_menu_->addAction(path, this, [this, path] { addImageFiles({path}); });
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::refreshHubCacheMenu() {
    hub_menu_->clear();
    const auto models = hub::huggingFaceCacheModels();
    if (models.isEmpty()) {
        hub_menu_->addAction(tr("(no models in the cache)"))->setEnabled(false);
        return;
    }
    for (const hub::CachedModel& m : models) hub_menu_->addAction(m.name, this, [this, d = m.path] { loadModel(d); });
}

void MainWindow::showMessage(MessageCause cause, const QString& text, bool error) {
    if (text.isEmpty()) return messages_->clear(cause);
    messages_->show(cause, text, error);
    statusBar()->showMessage(text, 8000);
    // Also on stderr: someone who started the app from a terminal (or a script) sees why too.
    if (error) qWarning().noquote() << "levit-lens:" << text;
}

QString MainWindow::message() const { return messages_->text(); }

QImage MainWindow::shownPicture() const { return image_label_->picture(); }

QString MainWindow::saveFileName(const QString& caption, const QString& name, const QString& filter) {
    const QString path = QFileDialog::getSaveFileName(this, caption, QDir(settings::lastFolder()).filePath(name), filter);
    if (!path.isEmpty()) settings::setLastFolder(QFileInfo(path).absolutePath());
    return path;
}

void MainWindow::openHubModel(const QString& id) {
    auto* dialog = new DownloadModelDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadModelDialog::modelReady, this, &MainWindow::loadModel);
    dialog->open();
    if (!id.isEmpty()) {
        dialog->modelBox()->setCurrentText(id);
        dialog->startDownload();
    }
}

void MainWindow::loadModel(const QString& path) {
    statusBar()->showMessage(tr("Loading %1…").arg(path));
    const quint64 request = ++model_request_;
    auto* watcher = new QFutureWatcher<ModelLoad>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        if (watcher->isCanceled()) return;
        const ModelLoad load = watcher->result();
        if (load.request != model_request_) return;  // a newer loadModel call is under way
        statusBar()->clearMessage();
        if (!load.model) {
            const QString text = tr("Could not load the model: %1").arg(load.error);
            showMessage(MessageCause::Model, text, true);
            emit modelLoadFailed(text);
            return;
        }
        model_ = load.model;
        model_path_ = load.path;
        predictions_->setModel(model_, model_path_);
        worker_->setModel(model_);
        results_->setModel(model_);
        settings::setLastModel(load.path);
        updateModelSummary();
        showMessage(MessageCause::Model, {}, false);
        for (auto& image : images_) image.result.reset();
        explain_->setModelPath(load.path);
        graph_->setModel(model_);
        if (evaluate_ && !evaluate_->running()) evaluate_->setModel(model_, model_path_);
        teach_->setWindowModel(load.path, QString::fromStdString(model_->config().name.empty() ? "custom" : model_->config().name));
        for (ModelView* v : modelViews()) v->clearResult();
        emit modelLoaded();
        classifyCurrent();
    });
    trackJob(watcher, false);
    watcher->setFuture(runInPool(&pool_, [request, path] {
        ModelLoad load{request, path, nullptr, {}};
        try {
            load.model = levit::loadModel(path.toStdString());
        } catch (const std::exception& e) {
            load.error = QString::fromUtf8(e.what());
        }
        return load;
    }));
}

void MainWindow::updateModelSummary() {
    const levit::Config& c = model_->config();
    const levit::ModelSummary s = model_->summary();
    QStringList grids;
    for (int r : c.stageResolutions()) grids << QString("%1×%1").arg(r);
    grids.removeLast();
    model_summary_->setText(tr("<b>%1</b> · %2 parameters · %3 px input · token grids %4 · %5 labels · %6 GFLOPs/image<br><small>%7</small>")
                                .arg(QString::fromStdString(c.name.empty() ? "custom" : c.name))
                                .arg(s.parameters >= 1000000 ? QString("%1 M").arg(s.parameters / 1e6, 0, 'f', 2) : QString("%1 k").arg(s.parameters / 1e3, 0, 'f', 0))
                                .arg(c.image_size)
                                .arg(grids.join(" → "))
                                .arg(c.numLabels())
                                .arg(s.total_gflops, 0, 'f', 3)
                                .arg(model_path_.toHtmlEscaped()));
    setWindowTitle(tr("LeViT Lens — %1").arg(QString::fromStdString(c.name)));
}

void MainWindow::addImageFiles(const QStringList& paths) {
    if (paths.isEmpty()) return;
    // What the window can still take; opens running at the same time are bounded again in appendImage.
    const ImageBudget budget{kMaxWindowImages - imageCount()};
    auto* watcher = new QFutureWatcher<ImageLoadItem>(this);
    // Per open: how many images were added and failed, and which requested paths gave an image.
    struct Tally {
        int added = 0;
        QStringList errors;
        QList<bool> delivered;
    };
    auto tally = std::make_shared<Tally>();
    tally->delivered = QList<bool>(paths.size(), false);
    // A live view started after these images were asked for (the startup samples and a --video, say) is the
    // newer wish: the images join the strip without taking the picture from it.
    const quint64 live_starts_at_request = live_starts_;
    // Results arrive in runs (many per event when decoding is fast): the strip is laid out once per run.
    connect(watcher, &QFutureWatcherBase::resultsReadyAt, this, [this, watcher, tally, live_starts_at_request](int begin, int end) {
        strip_->setUpdatesEnabled(false);
        const bool show_first = tally->added == 0 && live_starts_ == live_starts_at_request;
        const int first_new = show_first ? imageCount() : -1;
        for (int index = begin; index < end; ++index) {
            const ImageLoadItem item = watcher->resultAt(index);
            if (!item.error.isEmpty()) {
                tally->errors << item.error;
            } else if (const QString full = appendImage({item.source, true, nullptr, item.model_input, item.size, nullptr}, item.thumbnail);
                       !full.isEmpty()) {
                tally->errors << full;
            } else {
                ++tally->added;
                tally->delivered[item.origin] = true;
            }
        }
        strip_->setUpdatesEnabled(true);
        if (first_new >= 0 && first_new < imageCount()) selectImage(first_new);  // show the first new image at once
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, tally, paths] {
        statusBar()->clearMessage();
        // The paths the user asked for (files or folders) that gave images go into File > Open recent.
        for (int i = int(paths.size()) - 1; i >= 0; --i)
            if (tally->delivered[i]) settings::addRecentFile(paths[i]);
        refreshRecentMenu();
        if (watcher->isCanceled()) tally->errors << tr("Opening images was cancelled after %1 images.").arg(tally->added);
        if (!tally->errors.isEmpty()) {
            // A folder of broken files must not fill the screen: the first messages and a count.
            constexpr int kShown = 8;
            QStringList shown = tally->errors.mid(0, kShown);
            if (tally->errors.size() > kShown) shown << tr("… and %1 more").arg(tally->errors.size() - kShown);
            showMessage(MessageCause::Images, shown.join("\n"), true);
        } else if (tally->added > 0) {
            showMessage(MessageCause::Images, {}, false);
        }
        emit imagesAdded(tally->added, int(tally->errors.size()));
    });
    trackJob(watcher, true);
    // The current model's input is made while each file is decoded at full size; a later model with other
    // preprocessing has it remade from the file when it classifies the image.
    watcher->setFuture(runInPool<ImageLoadItem>(&pool_, [paths, filters = imageFilters(), budget, model = model_](QPromise<ImageLoadItem>& promise) {
        loadImages(promise, paths, filters, budget, model);
    }));
}

QString MainWindow::appendImage(LoadedImage image, const QImage& thumbnail) {
    const QString& source = image.source;
    if (imageCount() >= kMaxWindowImages) return tr("%1: not opened, the window holds at most %2 images").arg(source).arg(kMaxWindowImages);
    const qint64 pixels = image.pixels ? qint64(image.pixels->width) * image.pixels->height : 0;
    if (pixels_held_ + pixels > kMaxWindowPixels)
        return tr("%1: not opened, the window holds at most %2 megapixels of images").arg(source).arg(kMaxWindowPixels / 1'000'000);
    pixels_held_ += pixels;
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(thumbnail)), QFileInfo(source).fileName());
    item->setToolTip(source);
    strip_->addItem(item);
    results_->addImage(image);
    images_.push_back(std::move(image));
    return {};
}

void MainWindow::addImage(const QString& source, const QImage& image) {
    if (image.isNull()) return showMessage(MessageCause::Images, tr("%1: there is no image to add").arg(source), true);
    // No file to decode again: the pixels are kept whole.
    auto pixels = std::make_shared<const levit::ImageRGB8>(fromQImage(image));
    const ModelInput input = model_ ? makeModelInput(*pixels, model_->config()) : ModelInput{};
    const QString full = appendImage({source, false, std::move(pixels), input, image.size(), nullptr},
                                     image.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    if (!full.isEmpty()) return showMessage(MessageCause::Images, full, true);
    selectImage(imageCount() - 1);
}

void MainWindow::pasteFromClipboard() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasImage()) return addImage(tr("clipboard"), qvariant_cast<QImage>(mime->imageData()));
    if (mime && mime->hasUrls()) {
        QStringList paths;
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) paths << url.toLocalFile();
        if (!paths.isEmpty()) return addImageFiles(paths);
    }
    showMessage(MessageCause::Images, tr("The clipboard holds no image."), true);
}

void MainWindow::selectImage(int index) {
    if (index < 0 || index >= imageCount()) return;
    if (live_) stopLive();  // picking a still image ends the live view: the views describe this image
    current_ = index;
    showing_frame_ = false;
    strip_->setCurrentRow(index);
    showPicture(images_[index]);
    classifyCurrent();
}

void MainWindow::showPicture(const LoadedImage& image) {
    // Decoded at about the size shown (device pixels, with room to grow), not at the photo's full resolution.
    const QSize target = image_label_->size();
    const int long_side = std::max(int(std::max(target.width(), target.height()) * devicePixelRatioF() * 1.25), 256);
    try {
        if (const std::optional<QImage> now = pictures_->request(image, long_side)) return setShownPicture(*now, image.source);
    } catch (const std::exception& e) {
        return showPictureError(QString::fromUtf8(e.what()));
    }
    image_label_->clearPicture();  // until the loader's ready or failed
    image_label_->setText(tr("Opening %1…").arg(QFileInfo(image.source).fileName()));
}

void MainWindow::showPictureError(const QString& message) {
    image_label_->clearPicture();
    image_label_->setText(message);
}

// The picture on the left; when the shown answer is already this still's (the picture took longer than the
// classification), the views that draw the picture beside the answer get it too.
void MainWindow::setShownPicture(const QImage& picture, const QString& source) {
    image_label_->setPicture(picture, source);
    if (!live_ && !showing_frame_ && last_result_ && last_result_->source == source && last_result_->original.isNull()) {
        presentation_->view()->showResult(last_result_, picture);
        if (currentView() == model_tab_) tour_->setPicture(picture);
        if (presentation_->isVisible() && presentation_->showingTour()) presentation_->tour()->setPicture(picture);
    }
    emit pictureShown(source);
}

levit::Probe MainWindow::visibleProbe() const {
    levit::Probe probe;
    probe.timings = true;
    if (ModelView* v = currentView()) probe = mergeProbes(probe, v->probeNeeded());
    if (presentation_->isVisible() && presentation_->showingTour()) probe = mergeProbes(probe, presentation_->tour()->probeNeeded());
    return probe;
}

ModelView* MainWindow::currentView() const {
    const auto* scroll = qobject_cast<QScrollArea*>(tabs_->currentWidget());
    return scroll ? qobject_cast<ModelView*>(scroll->widget()) : nullptr;
}

// The one path from "what the window shows" to the views: the strip's current image, or, after the live
// view stopped, the last frame it showed (the picture on the left). Tab switches, model switches and probe
// changes all come here, so every view always describes the picture shown.
void MainWindow::classifyCurrent() {
    if (!model_ || live_) return;  // live: every frame is classified as it comes
    InferenceRequest request;
    if (showing_frame_) {
        request.source = frame_source_;
        request.original = toQImage(last_frame_);
        request.source_size = request.original.size();
        request.image = std::make_shared<const levit::ImageRGB8>(last_frame_);
    } else if (current_ >= 0) {
        const LoadedImage& image = images_[current_];
        request.source = image.source;
        request.image = image.pixels;
        request.model_input = image.model_input;
        request.source_size = image.size;
        request.from_file = image.from_file;
    } else {
        return;
    }
    request.id = waiting_id_ = next_id_++;
    request.probe = visibleProbe();
    worker_->submit(std::move(request));
}

void MainWindow::onResult(const InferenceResultPtr& result) {
    if (!live_ && result->id != waiting_id_) return;  // a newer request is on its way
    last_result_ = result;
    showMessage(MessageCause::Classification, {}, false);
    if (!live_ && !showing_frame_)
        for (auto& image : images_)
            if (image.source == result->source) image.result = result;
    // Still, the answer is the current image's (older requests were dropped above). A model input made from
    // its file for this model's preprocessing is kept, so the next request needs no decode. By index, not by
    // name: pasted images share theirs.
    if (!live_ && current_ >= 0 && images_[size_t(current_)].source == result->source &&
        !images_[size_t(current_)].model_input.fits(result->model->config()) && !result->model_input.pixels.empty())
        images_[size_t(current_)].model_input = {std::make_shared<const levit::ImageRGB8>(result->model_input), result->model->config().preprocess};
    predictions_->showResult(result);
    // Live frames carry their picture; a still's is the picture shown (the result is for it, see above).
    presentation_->view()->showResult(result, result->original.isNull() ? image_label_->picture() : result->original);
    if (!result->original.isNull()) live_view_->showResult(result, result->original);  // live frames and the last one
    if (live_ && teach_->isVisible()) teach_->showLiveResult(result);
    // The tour shows the picture as the window shows it (a live result brings its frame).
    const QImage shown = result->original.isNull() ? image_label_->picture() : result->original;
    if (currentView() == model_tab_) tour_->setPicture(shown);
    if (presentation_->isVisible() && presentation_->showingTour()) {
        presentation_->tour()->setPicture(shown);
        presentation_->tour()->showResult(result);
    }
    if (ModelView* v = currentView()) v->showResult(result);
    // Kept current for stills so switching to it shows this image at once; live, the next frame will do,
    // and three charts per frame for a hidden tab would slow the live view.
    if (currentView() != heads_ && !live_) heads_->showResult(result);
    if (live_) {
        ++live_results_;
        const auto& t = result->probe.timings;
        QString stages;
        for (size_t i = 0; i < t.stage_ms.size(); ++i) stages += tr(" · stage %1 %2 ms").arg(i + 1).arg(t.stage_ms[i], 0, 'f', 2);
        live_panel_->setStats(tr("%1 frames/s from the source · inference %2 ms (patch embedding %3 ms%4 · heads %5 ms) · %6 frames skipped to stay live")
                                 .arg(capture_->measuredFps(), 0, 'f', 1)
                                 .arg(result->latency_ms, 0, 'f', 1)
                                 .arg(t.patch_embedding_ms, 0, 'f', 2)
                                 .arg(stages)
                                 .arg(t.heads_ms, 0, 'f', 2)
                                 .arg(worker_->droppedRequests()));
        pictures_->supersede();  // a still's picture still being decoded must not cover the live frame
        image_label_->setPicture(result->original, tr("live"));
    }
    emit resultShown();
}

void MainWindow::onFailed(quint64 id, const QString& source, const QString& message) {
    const QString text = tr("%1: %2").arg(source, message);
    const bool was_live = live_;
    if (live_) {
        // Every frame would fail the same way: stop and say why once.
        stopLive();
        live_panel_->setStatus(text);
    } else if (id != waiting_id_) {
        return;  // about an image that is no longer the one asked for
    }
    // The views must not go on showing the previous image's answer as if it were this one's.
    predictions_->clearResult(tr("No prediction for %1").arg(QFileInfo(source).fileName()));
    presentation_->view()->clearResult(tr("No prediction for %1").arg(QFileInfo(source).fileName()));
    for (ModelView* v : modelViews()) v->clearResult();
    last_result_.reset();
    showMessage(was_live ? MessageCause::Live : MessageCause::Classification, text, true);
    emit classificationFailed(text);
}

void MainWindow::startCamera(int index) {
    live_video_.clear();
    startLive([index] { return levit::media::openCamera(index); }, tr("camera %1").arg(index), tr("Live from camera %1").arg(index));
}

void MainWindow::startVideoFile(const QString& path) {
    live_panel_->setLastVideo(path);
    live_video_ = path;
    startLive([path] { return levit::media::openVideoFile(path.toStdString()); }, QFileInfo(path).fileName(), tr("Playing %1").arg(path));
}

void MainWindow::startLive(const std::function<std::unique_ptr<levit::media::FrameSource>()>& open, const QString& name,
                           const QString& status) {
    if (!model_) return showMessage(MessageCause::Live, tr("Load a model before starting the live view."), true);
    if (live_) stopLive();
    try {
        capture_->start(open());
    } catch (const std::exception& e) {
        return showMessage(MessageCause::Live, QString::fromUtf8(e.what()), true);
    }
    live_ = true;
    ++live_starts_;
    live_results_ = 0;
    live_name_ = name;
    showMessage(MessageCause::Live, {}, false);
    live_panel_->setRunning(true);
    live_panel_->setStatus(status);
}

void MainWindow::stopLive() {
    capture_->stop();
    endLive(tr("Stopped."));
}

void MainWindow::onLiveEnded(const QString& reason, bool video_ended) {
    if (!live_) return;  // stopLive already handled it
    endLive(reason);
    if (video_ended && live_panel_->loop() && !live_video_.isEmpty())
        QTimer::singleShot(0, this, [this, path = live_video_] { startVideoFile(path); });
}

// Live -> still: the last frame shown stays on the left and becomes what every view describes, until the
// user picks an image from the strip. One path for a video that ends, Stop, and a failing source.
void MainWindow::endLive(const QString& reason) {
    if (!live_) return;
    live_ = false;
    live_panel_->setRunning(false);
    live_panel_->setStatus(reason);
    if (!last_frame_.pixels.empty()) {
        showing_frame_ = true;
        frame_source_ = tr("last frame of %1").arg(live_name_);
        pictures_->supersede();
        image_label_->setPicture(toQImage(last_frame_), frame_source_);
        classifyCurrent();
    }
    emit liveStopped(reason);
}

void MainWindow::onFrame() {
    std::optional<levit::ImageRGB8> frame = capture_->takeFrame();
    if (!frame || !model_ || !live_) return;
    last_frame_ = *frame;
    InferenceRequest request;
    request.id = next_id_++;
    request.source = tr("live");
    request.original = toQImage(*frame);
    request.source_size = request.original.size();
    request.image = std::make_shared<const levit::ImageRGB8>(std::move(*frame));
    request.probe = visibleProbe();
    worker_->submit(std::move(request));
}

bool MainWindow::exportCurrentView(const QString& path) {
    QWidget* view = currentView() ? static_cast<QWidget*>(currentView()) : tabs_->currentWidget();
    QStringList caption = last_result_ ? exportCaption(*last_result_, QString::fromStdString(model_->config().name.empty() ? "custom" : model_->config().name))
                                       : QStringList();
    if (currentView()) caption << currentView()->exportCaptionLines();
    const QImage grabbed = currentView() ? currentView()->exportImage() : view->grab().toImage();
    const QImage picture = captionedExport(grabbed, caption, view->palette().color(QPalette::Window),
                                           view->palette().color(QPalette::WindowText));
    if (!picture.save(path, "PNG")) {
        showMessage(MessageCause::Export, tr("%1: could not write the PNG").arg(path), true);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

void MainWindow::exportPredictions(const QString& path) {
    if (!model_) {
        showMessage(MessageCause::Export, tr("Load a model first."), true);
        emit predictionsExported(path, false);
        return;
    }
    std::vector<LoadedImage> items = images_;  // shared pixels: no copy of any image
    auto* watcher = new QFutureWatcher<ExportOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        statusBar()->clearMessage();
        const ExportOutcome outcome = watcher->isCanceled() ? ExportOutcome{tr("cancelled, nothing written"), 0} : watcher->result();
        if (outcome.error.isEmpty()) statusBar()->showMessage(tr("Saved the predictions of %1 images to %2").arg(outcome.images).arg(path), 5000);
        else showMessage(MessageCause::Export, tr("%1: cannot write the predictions (%2)").arg(path, outcome.error), true);
        emit predictionsExported(path, outcome.error.isEmpty());
    });
    trackJob(watcher, true);
    // The names the window shows (e.g. ImageNet-1k names chosen for LABEL_N), by class index.
    std::vector<std::string> names;
    for (const QString& name : predictions_->classNames()) names.push_back(name.toStdString());
    watcher->setFuture(runInPool<ExportOutcome>(&pool_, [path, items = std::move(items), model = model_, model_path = model_path_,
                                                  k = predictions_->topK(), names = std::move(names)](QPromise<ExportOutcome>& promise) {
        const auto rename = [&names](levit::Prediction& p) {
            if (p.index >= 0 && p.index < int(names.size())) p.label = names[size_t(p.index)];
        };
        ExportOutcome outcome;
        try {
            levit::Classifier classifier(model, 2);
            classifier.setTopK(k);
            std::vector<levit::NamedClassification> results;
            promise.setProgressRange(0, int(items.size()));
            for (const LoadedImage& item : items) {
                if (promise.isCanceled()) return;
                try {
                    levit::Classification c = classifyLoadedImage(classifier, item);
                    for (levit::Prediction& p : c.top_k) rename(p);
                    rename(c.cls_top1);
                    rename(c.distillation_top1);
                    results.push_back({item.source.toStdString(), std::move(c)});
                } catch (const std::exception& e) {
                    throw std::runtime_error(item.source.toStdString() + ": " + e.what());
                }
                promise.setProgressValueAndText(int(results.size()), tr("Classifying for the export: %1 of %2").arg(results.size()).arg(items.size()));
            }
            const bool json = path.endsWith(".json", Qt::CaseInsensitive);
            const std::string text = json ? levit::classificationsJson(model_path.toStdString(), results) + "\n"
                                          : levit::classificationsCsv(results);
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly)) throw std::runtime_error(file.errorString().toStdString());
            file.write(text.data(), qint64(text.size()));
            if (!file.commit()) throw std::runtime_error(file.errorString().toStdString());
            outcome.images = int(results.size());
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        promise.addResult(outcome);
    }));
}

QList<ModelView*> MainWindow::modelViews() const { return {feature_maps_, attention_, heads_, explain_, model_tab_}; }

void MainWindow::openGraphTarget(const GraphTarget& target) {
    const auto show = [this](QWidget* view) {
        for (int i = 0; i < tabs_->count(); ++i)
            if (const auto* scroll = qobject_cast<QScrollArea*>(tabs_->widget(i)); scroll && scroll->widget() == view) tabs_->setCurrentIndex(i);
    };
    switch (target.view) {
        case GraphTarget::View::Input:  // the picture and the crop the model saw: the tour's first step
            showTour(int(TourStep::ResizeCrop));
            break;
        case GraphTarget::View::FeatureMaps:
            feature_maps_->selectStage(target.stage);
            show(feature_maps_);
            break;
        case GraphTarget::View::Attention:
            attention_->selectBlock(target.block);
            attention_->selectHead(target.head);
            show(attention_);
            break;
        case GraphTarget::View::Heads:
        case GraphTarget::View::Predictions:  // the averaged prediction is beside both heads there
            show(heads_);
            break;
    }
}

void MainWindow::showTour(int step) {
    tour_->setStep(step);
    model_tab_->showPage(ModelTab::Page::Tour);
    for (int i = 0; i < tabs_->count(); ++i)
        if (const auto* scroll = qobject_cast<QScrollArea*>(tabs_->widget(i)); scroll && scroll->widget() == model_tab_) tabs_->setCurrentIndex(i);
}

void MainWindow::presentCurrent() {
    if (currentView() == model_tab_ && model_tab_->page() == ModelTab::Page::Tour) {
        presentation_->presentTour(*tour_);
        if (!live_) classifyCurrent();  // its probes join the window's
    } else {
        presentation_->present();
    }
}

EvaluateDialog* MainWindow::showEvaluateDialog() {
    if (!evaluate_) {
        evaluate_ = new EvaluateDialog(this);
        connect(evaluate_, &EvaluateDialog::openImages, this, &MainWindow::addImageFiles);
    }
    if (model_) evaluate_->setModel(model_, model_path_);
    evaluate_->show();
    evaluate_->raise();
    return evaluate_;
}

void MainWindow::showExplainTab() {
    for (int i = 0; i < tabs_->count(); ++i) {
        const auto* scroll = qobject_cast<QScrollArea*>(tabs_->widget(i));
        if (scroll && scroll->widget() == explain_) return tabs_->setCurrentIndex(i);
    }
}

void MainWindow::explainClass(int class_index, std::optional<levit::Head> head) {
    showExplainTab();
    // The tab switch asked for a classification if none was shown; the class applies to what it shows.
    if (last_result_) explain_->showResult(last_result_);
    explain_->explainClass(class_index, head);
}

void MainWindow::showNextDisagreement() {
    const int n = imageCount();
    for (int step = 1; step <= n; ++step) {
        const int i = (std::max(current_, 0) + step) % n;
        const std::optional<levit::Classification> c = results_->classification(i);
        if (c && c->cls_top1.index != c->distillation_top1.index) {
            explain_->setHeadMode(ExplainView::HeadMode::Difference);
            selectImage(i);
            return;
        }
    }
    results_->classifyPending();  // images not classified yet may disagree
    showMessage(MessageCause::Classification,
                results_->busy() ? tr("No image classified so far has heads that disagree; the Results tab is classifying the rest.")
                                 : tr("In every open image the two heads agree on the top-1 class."),
                false);
}

void MainWindow::setColormap(const QString& name) {
    explain_->setColormap(name);
    feature_maps_->setColormap(name);
    attention_->setColormap(name);
    settings::setColormap(name);
}

void MainWindow::applyPalette(const QString& mode) {
    settings::setPalette(mode);
    if (mode == "system") {
        qApp->setPalette(qApp->style()->standardPalette());
        return;
    }
    qApp->setStyle(QStyleFactory::create("Fusion"));
    qApp->setPalette(mode == "dark" ? darkPalette() : lightPalette());
    if (last_result_) onResult(last_result_);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() || event->mimeData()->hasImage()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QMimeData* mime = event->mimeData();
    QStringList paths;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (!paths.isEmpty()) addImageFiles(paths);
    else if (mime->hasImage()) addImage(tr("dropped image"), qvariant_cast<QImage>(mime->imageData()));
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    capture_->stop();
    cancelBackgroundWork();
    settings::setWindowGeometry(saveGeometry());
    settings::setSplitterState(splitter_->saveState());
    settings::setTab(tabs_->currentIndex());
    QMainWindow::closeEvent(event);
}

}  // namespace levit::ui
