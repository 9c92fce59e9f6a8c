#pragma once
// The models already in the Hugging Face cache (hubCacheDir()): every snapshot folder
// models--org--name/snapshots/<commit>/ that holds a complete model (config.json + weights).
#include <QList>
#include <QString>

namespace levit::hub {

struct CachedModel {
    QString name;  // "org/name @ <first 8 characters of the commit>"
    QString path;  // the snapshot folder
};

QList<CachedModel> huggingFaceCacheModels();

}  // namespace levit::hub
