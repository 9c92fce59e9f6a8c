#include <filesystem>

#include "arguments.h"
#include "commands.h"
#include "download_progress_line.h"
#include "hub/fetch_model.h"
#include "media/bundled_model.h"

namespace levit::cli {

std::string resolveModelPath(const Arguments& args) {
    const std::string model = args.value("model");
    const std::string revision = args.value("revision");
    if (model.empty()) {
        if (!revision.empty()) throw UsageError("--revision needs --model ORG/NAME");
        return media::defaultModelPath();
    }
    const QString text = QString::fromStdString(model);
    if (std::filesystem::exists(model) || !hub::looksLikeModelId(text)) {
        if (!revision.empty()) throw UsageError("--revision applies to a Hugging Face model id, not to the path " + model);
        return model;
    }
    const hub::ModelId id = hub::parseModelId(text, QString::fromStdString(revision));
    DownloadProgressLine line(id.display());
    const hub::FetchedModel fetched = hub::fetchModel(id, [&line](const hub::DownloadProgress& p) { line.update(p); });
    line.finish();
    return fetched.snapshot_dir.toStdString();
}

}  // namespace levit::cli
