#include "cached_models.h"

#include <QDir>

#include "hub_environment.h"
#include "model_files.h"

namespace levit::hub {

QList<CachedModel> huggingFaceCacheModels() {
    QList<CachedModel> found;
    const QDir root(hubCacheDir());
    for (const QString& repo : root.entryList({"models--*"}, QDir::Dirs, QDir::Name)) {
        const QDir snapshots(root.filePath(repo + "/snapshots"));
        for (const QString& commit : snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QString dir = snapshots.filePath(commit);
            if (!isCompleteModelFolder(dir)) continue;
            found.append({repo.mid(8).replace("--", "/") + " @ " + commit.left(8), dir});
        }
    }
    return found;
}

}  // namespace levit::hub
