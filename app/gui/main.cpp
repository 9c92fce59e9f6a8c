// levit-lens: the desktop application. Opens on the bundled default model with the first sample image
// classified, unless told otherwise:
//   levit-lens [--model PATH|ORG/NAME[@REV]] [--tab N] [--video FILE] [--screenshot OUT.png] [--quit-after-ms MS]
//              [IMAGE_OR_FOLDER...]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <utility>

#include "hub/model_id.h"
#include "media/bundled_model.h"
#include "widgets/main_window.h"
#include "widgets/settings.h"

namespace {

// A wrong command line: one line on stderr and exit code 2, like the CLI.
int usageError(const QString& message) {
    std::fprintf(stderr, "levit-lens: error: %s\n", qPrintable(message));
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("levit-lens");
    QApplication::setOrganizationName("LeViT Lens");
    QApplication::setApplicationVersion(LEVIT_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Classify images with the LeViT vision transformer and see inside it.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption model({"m", "model"}, "Model folder or weights file (.safetensors, .bin, .pth, .pt), or a Hugging Face id such as facebook/levit-128S "
                              "(from the cache, else downloaded). Default: the last one used, else the bundled model.",
                              "PATH|ID");
    QCommandLineOption tab("tab", "Open on this tab (1 = feature maps, 2 = attention, 3 = heads, 4 = live).", "N");
    QCommandLineOption screenshot("screenshot", "Save a picture of the window to this PNG once the image is classified, then quit.", "OUT.png");
    QCommandLineOption quit_after("quit-after-ms", "Quit after this many milliseconds.", "MS");
    QCommandLineOption video("video", "Start the live view on this video file once the model is loaded.", "FILE");
    parser.addOptions({model, tab, screenshot, quit_after, video});
    parser.addPositionalArgument("images", "Images or folders to open (default: the bundled sample images).", "[IMAGE_OR_FOLDER...]");
    parser.process(app);

    int tab_index = -1;
    if (parser.isSet(tab)) {
        bool ok = false;
        tab_index = parser.value(tab).toInt(&ok) - 1;
        if (!ok || tab_index < 0 || tab_index > 3) return usageError(QString("--tab %1: expected 1, 2, 3 or 4").arg(parser.value(tab)));
    }
    int quit_after_ms = -1;
    if (parser.isSet(quit_after)) {
        bool ok = false;
        quit_after_ms = parser.value(quit_after).toInt(&ok);
        if (!ok || quit_after_ms < 0) return usageError(QString("--quit-after-ms %1: expected a number of milliseconds").arg(parser.value(quit_after)));
    }

    levit::ui::MainWindow window;
    window.show();
    if (tab_index >= 0) window.tabs()->setCurrentIndex(tab_index);

    QString model_path = parser.value(model);
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
    QStringList images = parser.positionalArguments();
    if (images.isEmpty()) {
        const QString samples = QString::fromStdString(levit::media::samplesPath());
        const QStringList found = QDir(samples).entryList({"sample_*.png"}, QDir::Files, QDir::Name);
        for (const QString& f : found) images << QDir(samples).filePath(f);
    }
    if (!images.isEmpty()) window.addImageFiles(images);
    if (!model_path.isEmpty()) window.loadModel(model_path);
    if (!hub_id.isEmpty()) window.openHubModel(hub_id);
    if (!missing_model.isEmpty())
        QObject::connect(&window, &levit::ui::MainWindow::modelLoaded, &window,
                         [&window, missing_model] { window.loadModel(missing_model); }, Qt::SingleShotConnection);
    if (parser.isSet(video))
        QObject::connect(&window, &levit::ui::MainWindow::modelLoaded, &window, [&] { window.startVideoFile(parser.value(video)); });

    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        QObject::connect(&window, &levit::ui::MainWindow::resultShown, &window, [&window, out] {
            QTimer::singleShot(400, &window, [&window, out] {
                window.grab().save(out, "PNG");
                QApplication::quit();
            });
        });
    }
    if (quit_after_ms >= 0) QTimer::singleShot(quit_after_ms, &app, &QApplication::quit);
    return app.exec();
}
