// levit-lens: the desktop application. Opens on the bundled default model with the first sample image
// classified, unless told otherwise:
//   levit-lens [--model PATH|ORG/NAME[@REV]] [IMAGE_OR_FOLDER...] [--tab N] [--screenshot OUT.png] [--quit-after-ms MS]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QTimer>

#include <utility>

#include "hub/model_id.h"
#include "media/bundled_model.h"
#include "widgets/main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("levit-lens");
    QApplication::setOrganizationName("LeViT Lens");
    QApplication::setApplicationVersion(LEVIT_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Classify images with the LeViT vision transformer and see inside it.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption model({"m", "model"}, "Model folder or weights file (.safetensors, .bin, .pth), or a Hugging Face id such as facebook/levit-128S "
                              "(from the cache, else downloaded). Default: the last one used, else the bundled model.",
                              "PATH|ID");
    QCommandLineOption tab("tab", "Open on this tab (1 = feature maps, 2 = attention, 3 = heads, 4 = live).", "N");
    QCommandLineOption screenshot("screenshot", "Save a picture of the window to this PNG once the image is classified, then quit.", "OUT.png");
    QCommandLineOption quit_after("quit-after-ms", "Quit after this many milliseconds.", "MS");
    QCommandLineOption video("video", "Start the live view on this video file.", "FILE");
    parser.addOptions({model, tab, screenshot, quit_after, video});
    parser.addPositionalArgument("images", "Images or folders to open.");
    parser.process(app);

    levit::ui::MainWindow window;
    window.show();
    if (parser.isSet(tab)) window.tabs()->setCurrentIndex(parser.value(tab).toInt() - 1);

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
        model_path = QSettings().value("model/last").toString();
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
    if (parser.isSet(quit_after)) QTimer::singleShot(parser.value(quit_after).toInt(), &app, &QApplication::quit);
    return app.exec();
}
