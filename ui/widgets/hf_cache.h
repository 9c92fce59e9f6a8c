#pragma once
// Models already in the Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else
// ~/.cache/huggingface/hub): hub/models--org--name/snapshots/<revision>/ with a config.json and weights.
#include <QList>
#include <QString>

namespace levit::ui {

struct CachedModel {
    QString name;  // "org/name @ revision"
    QString path;  // the snapshot folder
};

QList<CachedModel> huggingFaceCacheModels();

}  // namespace levit::ui
