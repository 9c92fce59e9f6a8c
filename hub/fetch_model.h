#pragma once
// The blocking way to get a model, for programs without an event loop (the CLI): the snapshot folder of
// `id` from the cache, downloading it first when needed. Runs a local event loop, and creates a
// QCoreApplication for the time of the call when the program has none.
#include <functional>

#include <QString>

#include "download_progress.h"
#include "model_id.h"

namespace levit::hub {

struct FetchedModel {
    QString snapshot_dir;
    bool from_cache = false;  // true: nothing was downloaded
};

// Throws HubError with the complete message on failure.
FetchedModel fetchModel(const ModelId& id, const std::function<void(const DownloadProgress&)>& on_progress = {});

}  // namespace levit::hub
