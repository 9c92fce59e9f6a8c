#include "fetch_model.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <clocale>
#include <memory>
#include <string>

#include "hub_error.h"
#include "model_download.h"

namespace levit::hub {

namespace {

// QCoreApplication sets the C locale from the environment (LC_NUMERIC too); the CLI prints numbers with
// printf and must keep the "C" locale, so it is put back afterwards.
class TemporaryApplication {
public:
    TemporaryApplication() {
        if (QCoreApplication::instance()) return;
        const char* current = std::setlocale(LC_ALL, nullptr);
        saved_locale_ = current ? current : "C";
        app_ = std::make_unique<QCoreApplication>(argc_, argv_);
        std::setlocale(LC_ALL, saved_locale_.c_str());
    }
    ~TemporaryApplication() {
        if (!app_) return;
        app_.reset();
        std::setlocale(LC_ALL, saved_locale_.c_str());
    }

private:
    int argc_ = 1;
    char name_[6] = "levit";
    char* argv_[2] = {name_, nullptr};
    std::string saved_locale_;
    std::unique_ptr<QCoreApplication> app_;
};

}  // namespace

FetchedModel fetchModel(const ModelId& id, const std::function<void(const DownloadProgress&)>& on_progress) {
    TemporaryApplication app;
    ModelDownload download(id);
    QEventLoop loop;
    FetchedModel result;
    QString error;
    QObject::connect(&download, &ModelDownload::progress, &loop, [&](const DownloadProgress& p) {
        if (on_progress) on_progress(p);
    });
    QObject::connect(&download, &ModelDownload::finished, &loop, [&](const QString& dir, bool from_cache) {
        result = {dir, from_cache};
        loop.quit();
    });
    QObject::connect(&download, &ModelDownload::failed, &loop, [&](const QString& message) {
        error = message;
        loop.quit();
    });
    download.start();
    loop.exec();
    if (!error.isEmpty()) throw HubError(error);
    return result;
}

}  // namespace levit::hub
