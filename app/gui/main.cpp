// levit-lens: the desktop application. Opens on the bundled default model with the first sample image
// classified, unless told otherwise:
//   levit-lens [--model PATH|ORG/NAME[@REV]] [--tab N] [--tour STEP] [--video FILE] [--presentation] [--screenshot OUT.png]
//              [--quit-after-ms MS] [IMAGE_OR_FOLDER...]
// --help and --version answer without a display; so does a wrong command line, unless Qt's own options
// (-platform, -style, ...) are on it, which only the QApplication understands.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <optional>
#include <utility>

#include "hub/model_id.h"
#include "media/bundled_model.h"
#include "widgets/capture_worker.h"
#include "widgets/download_model_dialog.h"
#include "widgets/explain_view.h"
#include "widgets/main_window.h"
#include "widgets/presentation_window.h"
#include "widgets/settings.h"
#include "widgets/tour_view.h"
#include "widgets/translation.h"

namespace {

// A --screenshot that never finishes gives up after this long (or after --quit-after-ms): long enough for
// a large model from the Hugging Face cache, short enough that a script does not hang.
constexpr int kScreenshotDeadlineMs = 180'000;
constexpr int kTabs = levit::ui::MainWindow::kTabCount;
// After the answer is shown: time for the charts' layout to settle before the window is grabbed.
constexpr int kSettleMs = 400;

// A wrong command line: one line on stderr and exit code 2, like the CLI.
int usageError(const QString& message) {
    std::fprintf(stderr, "levit-lens: error: %s\n", qPrintable(message));
    return 2;
}

// The options, one list for both readings of the command line (before and after the QApplication).
struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption help = parser.addHelpOption();
    QCommandLineOption version = parser.addVersionOption();
    QCommandLineOption model{{"m", "model"},
                             "Model folder or weights file (.safetensors, .bin, .pth, .pt), or a Hugging Face id such as facebook/levit-128S "
                             "(from the cache, else downloaded). Default: the last one used, else the bundled model.",
                             "PATH|ID"};
    QCommandLineOption tab{"tab", "Open on this tab (1 = feature maps, 2 = attention, 3 = heads, 4 = explain, 5 = live, 6 = results, 7 = teach, 8 = model).", "N"};
    QCommandLineOption tour{"tour", "Open the Model tab's step-by-step tour at this step (1 = resize and crop ... 9 = the probabilities); with --presentation, in presentation mode.", "STEP"};
    QCommandLineOption screenshot{"screenshot",
                                  "Save a picture of the window to this PNG once the image (with --video: a video frame) is classified, then "
                                  "quit. Exits with 1 and the reason on stderr when the model, an image or the video failed, or when nothing "
                                  "was ready after --quit-after-ms (default 180 s); the PNG then shows the window as it was.",
                                  "OUT.png"};
    QCommandLineOption quit_after{"quit-after-ms", "Quit after this many milliseconds.", "MS"};
    QCommandLineOption video{"video", "Start the live view on this video file once the model is loaded.", "FILE"};
    QCommandLineOption presentation{"presentation",
                                    "Start in presentation mode: the picture, the label and the top 3 large and full screen, for a "
                                    "projector (F11 switches full screen, Esc leaves). --screenshot then saves this view."};

    CommandLine() {
        parser.setApplicationDescription("Classify images with the LeViT vision transformer and see inside it.");
        parser.addOptions({model, tab, tour, screenshot, quit_after, video, presentation});
        parser.addPositionalArgument("images", "Images or folders to open (default: the bundled sample images).", "[IMAGE_OR_FOLDER...]");
    }
};

struct LaunchOptions {
    QString model;
    int tab_index = -1;
    int tour_step = -1;  // 0-based
    QString screenshot;
    int quit_after_ms = -1;
    QString video;
    bool presentation = false;
    QStringList images;
};

// The values of a command line that parsed, or the usage error in `error`.
LaunchOptions readOptions(const CommandLine& cl, QString* error) {
    LaunchOptions o;
    const QCommandLineParser& p = cl.parser;
    if (p.isSet(cl.tab)) {
        bool ok = false;
        o.tab_index = p.value(cl.tab).toInt(&ok) - 1;
        if (!ok || o.tab_index < 0 || o.tab_index >= kTabs) *error = QString("--tab %1: expected 1 to %2").arg(p.value(cl.tab)).arg(kTabs);
    }
    if (p.isSet(cl.tour)) {
        bool ok = false;
        o.tour_step = p.value(cl.tour).toInt(&ok) - 1;
        const int steps = levit::ui::TourView::stepCount();
        if (!ok || o.tour_step < 0 || o.tour_step >= steps) *error = QString("--tour %1: expected 1 to %2").arg(p.value(cl.tour)).arg(steps);
    }
    if (p.isSet(cl.quit_after)) {
        bool ok = false;
        o.quit_after_ms = p.value(cl.quit_after).toInt(&ok);
        if (!ok || o.quit_after_ms < 0) *error = QString("--quit-after-ms %1: expected a number of milliseconds").arg(p.value(cl.quit_after));
    }
    o.model = p.value(cl.model);
    o.screenshot = p.value(cl.screenshot);
    o.video = p.value(cl.video);
    o.presentation = p.isSet(cl.presentation);
    o.images = p.positionalArguments();
    return o;
}

// Reads the command line with only a QCoreApplication, so --help, --version and a wrong command line need
// no display. Returns an exit code when that already settles the run; fills `options` when it parsed.
std::optional<int> readWithoutDisplay(int argc, char** argv, std::optional<LaunchOptions>* options) {
    QCoreApplication core(argc, argv);
    CommandLine cl;
    const bool parsed = cl.parser.parse(QCoreApplication::arguments());
    if (cl.parser.isSet(cl.help)) {
        std::fputs(qPrintable(cl.parser.helpText()), stdout);
        return 0;
    }
    if (cl.parser.isSet(cl.version)) {
        std::printf("levit-lens %s\n", LEVIT_VERSION);
        return 0;
    }
    if (!parsed) return std::nullopt;  // perhaps Qt's own options: the QApplication takes them first
    QString error;
    *options = readOptions(cl, &error);
    if (!error.isEmpty()) return usageError(error);
    return std::nullopt;
}

// --screenshot for scripts: waits until what was asked has happened (the models asked for loaded, the
// images opened, the answer shown, with --video a video frame classified), saves the window and quits with
// 0. When any of it fails, or nothing is ready by the deadline, it still saves the window as it was (to see
// what went wrong) and quits with 1 and one line on stderr naming the problem: a script never hangs and
// never takes a failure for a picture.
class ScreenshotRun {
public:
    ScreenshotRun(levit::ui::MainWindow& window, QString out, QString video, int deadline_ms)
        : window_(window), out_(std::move(out)), video_(std::move(video)) {
        using levit::ui::MainWindow;
        QObject::connect(&window, &MainWindow::modelLoaded, &window, [this] {
            answer_shown_ = false;  // the answer to wait for is the one from this model
            if (!video_.isEmpty() && !window_.capture()->running()) fail(window_.message());  // the video did not open
        });
        QObject::connect(window.explainView(), &levit::ui::ExplainView::faithfulnessShown, &window, [this] { scheduleCheck(); });
        QObject::connect(window.explainView(), &levit::ui::ExplainView::computed, &window, [this] { scheduleCheck(); });
        QObject::connect(&window, &MainWindow::resultShown, &window, [this] {
            answer_shown_ = true;
            scheduleCheck();
        });
        QObject::connect(&window, &MainWindow::imagesAdded, &window, [this](int added, int failed) {
            if (failed > 0) fail(window_.message());
            else if (added == 0) fail(QObject::tr("no image was opened"));
            else scheduleCheck();
        });
        QObject::connect(&window, &MainWindow::modelLoadFailed, &window, [this](const QString& m) { fail(m); });
        QObject::connect(&window, &MainWindow::classificationFailed, &window, [this](const QString& m) { fail(m); });
        QObject::connect(&window, &MainWindow::liveStopped, &window, [this](const QString& reason) {
            if (window_.liveResults() == 0) fail(QObject::tr("%1: no video frame was classified (%2)").arg(video_, reason));
        });
        QTimer::singleShot(deadline_ms, &window, [this, deadline_ms] {
            fail(QObject::tr("timed out after %1 s waiting for %2").arg(deadline_ms / 1000.0).arg(awaited()));
            save();  // at once: the deadline is the deadline
        });
    }

private:
    // Checked once the event that triggered it has been handled everywhere: a finished job leaves the
    // window's job list only after its own signals.
    void scheduleCheck() {
        QTimer::singleShot(0, &window_, [this] {
            if (awaited().isEmpty()) settleThenSave();
        });
    }

    // What the screenshot still waits for, in words; empty when everything is there.
    QString awaited() const {
        if (const auto* dialog = window_.findChild<levit::ui::DownloadModelDialog*>(); dialog && dialog->isVisible())
            return QObject::tr("the model download (%1)").arg(dialog->status());
        if (window_.backgroundJobs() > 0) return QObject::tr("the model and the images to load");
        if (!window_.model()) return QObject::tr("a model");
        if (!video_.isEmpty() && window_.liveResults() == 0) return QObject::tr("a frame of %1 to be classified").arg(video_);
        if (!answer_shown_) return QObject::tr("the image to be classified");
        const auto* explain = window_.explainView();
        if (explain->isVisible() && explain->computing()) return QObject::tr("the explanation");
        return {};
    }

    void fail(const QString& problem) {
        // One line; the first problem wins. A failure without words is still a failure.
        if (problem_.isEmpty()) problem_ = problem.isEmpty() ? QObject::tr("failed (the window says no more)") : QString(problem).replace('\n', "; ");
        settleThenSave();
    }

    void settleThenSave() {
        if (settling_) return;
        settling_ = true;
        QTimer::singleShot(kSettleMs, &window_, [this] { save(); });
    }

    void save() {
        if (saved_) return;
        saved_ = true;
        QWidget* shown = window_.presentation()->isVisible() ? static_cast<QWidget*>(window_.presentation()) : &window_;
        if (!shown->grab().save(out_, "PNG") && problem_.isEmpty()) problem_ = QObject::tr("could not write the PNG");
        if (!problem_.isEmpty())
            std::fprintf(stderr, "levit-lens: error: --screenshot %s: %s\n", qPrintable(out_), qPrintable(problem_));
        QCoreApplication::exit(problem_.isEmpty() ? 0 : 1);
    }

    levit::ui::MainWindow& window_;
    const QString out_;
    const QString video_;
    bool answer_shown_ = false;
    bool settling_ = false;
    bool saved_ = false;
    QString problem_;
};

// Opens what the command line asks for: images (else the samples), the model (else the last one, else the
// bundled one), a Hugging Face id, a video.
void openRequested(levit::ui::MainWindow& window, const LaunchOptions& o) {
    QString model_path = o.model;
    // A --model value that is not on disk is either a Hugging Face id, which opens the download dialog (cache
    // first), or a path that does not exist, which is reported (by failing to load it, which names the file);
    // either way the bundled model fills the window meanwhile, so a typo never leaves the user guessing.
    QString hub_id;
    QString missing_model;
    if (!model_path.isEmpty() && !QFileInfo::exists(model_path)) {
        (levit::hub::looksLikeModelId(model_path) ? hub_id : missing_model) = model_path;
        model_path.clear();
    } else if (model_path.isEmpty()) {
        model_path = levit::ui::settings::lastModel();
    }
    if (model_path.isEmpty() || !QFileInfo::exists(model_path)) {
        try {
            model_path = QString::fromStdString(levit::media::defaultModelPath());
        } catch (const std::exception&) {
            model_path.clear();
        }
    }
    if (model_path.isEmpty()) std::swap(model_path, missing_model);  // nothing bundled either: report it now
    QStringList images = o.images;
    if (images.isEmpty()) {
        const QString samples = QString::fromStdString(levit::media::samplesPath());
        const QStringList found = QDir(samples).entryList({"sample_*.png"}, QDir::Files, QDir::Name);
        for (const QString& f : found) images << QDir(samples).filePath(f);
    }
    // The model first: images decoded after it has loaded get their model input made at once.
    if (!model_path.isEmpty()) window.loadModel(model_path);
    if (!images.isEmpty()) window.addImageFiles(images);
    if (!hub_id.isEmpty()) window.openHubModel(hub_id);
    if (!missing_model.isEmpty())
        QObject::connect(&window, &levit::ui::MainWindow::modelLoaded, &window,
                         [&window, missing_model] { window.loadModel(missing_model); }, Qt::SingleShotConnection);
    if (!o.video.isEmpty())
        QObject::connect(&window, &levit::ui::MainWindow::modelLoaded, &window, [&window, video = o.video] { window.startVideoFile(video); });
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication::setApplicationName("levit-lens");
    QCoreApplication::setOrganizationName("LeViT Lens");
    QCoreApplication::setApplicationVersion(LEVIT_VERSION);

    std::optional<LaunchOptions> options;
    if (const std::optional<int> exit_code = readWithoutDisplay(argc, argv, &options)) return *exit_code;

    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon::fromTheme("levit-lens", QIcon(":/icons/levit-lens.png")));
    if (!options) {  // the QApplication has taken its own options off the command line: read the rest
        CommandLine cl;
        if (!cl.parser.parse(QApplication::arguments())) return usageError(cl.parser.errorText());
        QString error;
        options = readOptions(cl, &error);
        if (!error.isEmpty()) return usageError(error);
    }

    // Before any widget exists: every view sets its texts when it is built.
    levit::ui::installTranslation(levit::ui::settings::language());
    levit::ui::MainWindow window;
    window.show();
    if (options->tab_index >= 0) window.tabs()->setCurrentIndex(options->tab_index);
    if (options->tour_step >= 0) window.showTour(options->tour_step);
    if (options->presentation) window.presentCurrent();
    openRequested(window, *options);
    // After openRequested: its slots on modelLoaded (the video start) run before the screenshot's, which
    // checks that the video opened. Nothing is reported before the event loop runs.
    std::optional<ScreenshotRun> screenshot;
    if (!options->screenshot.isEmpty())
        screenshot.emplace(window, options->screenshot, options->video,
                           options->quit_after_ms >= 0 ? options->quit_after_ms : kScreenshotDeadlineMs);
    else if (options->quit_after_ms >= 0)
        QTimer::singleShot(options->quit_after_ms, &app, &QApplication::quit);
    return app.exec();
}
