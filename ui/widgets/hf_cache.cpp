#include "hf_cache.h"

#include <QDir>
#include <QFile>

namespace levit::ui {

QList<CachedModel> huggingFaceCacheModels() {
    QString hub = qEnvironmentVariable("HF_HUB_CACHE");
    if (hub.isEmpty()) hub = qEnvironmentVariable("HF_HOME", QDir::homePath() + "/.cache/huggingface") + "/hub";
    QList<CachedModel> found;
    const QDir root(hub);
    for (const QString& repo : root.entryList({"models--*"}, QDir::Dirs, QDir::Name)) {
        const QDir snapshots(root.filePath(repo + "/snapshots"));
        for (const QString& rev : snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QString dir = snapshots.filePath(rev);
            if (!QFile::exists(dir + "/config.json")) continue;
            if (!QFile::exists(dir + "/model.safetensors") && !QFile::exists(dir + "/pytorch_model.bin")) continue;
            found.append({repo.mid(8).replace("--", "/") + " @ " + rev.left(8), dir});
        }
    }
    return found;
}

}  // namespace levit::ui
