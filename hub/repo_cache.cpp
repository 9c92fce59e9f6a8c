#include "repo_cache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <filesystem>
#include <system_error>

#include "hub_error.h"
#include "model_files.h"
#include "model_id.h"

namespace levit::hub {

namespace fs = std::filesystem;

namespace {

void makeDir(const QString& dir) {
    if (!QDir().mkpath(dir)) throw HubError(QStringLiteral("cannot create the folder %1").arg(dir));
}

}  // namespace

RepoCache::RepoCache(const QString& hub_dir, const QString& repo) : repo_dir_(hub_dir + "/" + folderName(repo)) {}

QString RepoCache::folderName(const QString& repo) { return "models--" + QString(repo).replace('/', "--"); }

QString RepoCache::blobPath(const QString& etag) const { return repo_dir_ + "/blobs/" + etag; }

QString RepoCache::snapshotDir(const QString& commit) const { return repo_dir_ + "/snapshots/" + commit; }

QString RepoCache::commitFor(const QString& revision) const {
    if (isCommitHash(revision)) return revision;
    QFile ref(repo_dir_ + "/refs/" + revision);
    if (!ref.open(QIODevice::ReadOnly)) return {};
    const QString commit = QString::fromLatin1(ref.read(256)).trimmed();
    return isCommitHash(commit) ? commit : QString();
}

QString RepoCache::completeSnapshot(const QString& revision) const {
    const QString commit = commitFor(revision);
    if (commit.isEmpty()) return {};
    const QString dir = snapshotDir(commit);
    return isCompleteModelFolder(dir) ? dir : QString();
}

void RepoCache::writeRef(const QString& revision, const QString& commit) const {
    const QString path = repo_dir_ + "/refs/" + revision;
    makeDir(QFileInfo(path).absolutePath());
    QSaveFile ref(path);
    // huggingface_hub writes the bare hash, no newline.
    if (!ref.open(QIODevice::WriteOnly) || ref.write(commit.toLatin1()) != commit.size() || !ref.commit())
        throw HubError(QStringLiteral("cannot write %1: %2").arg(path, ref.errorString()));
}

void RepoCache::linkSnapshotFile(const QString& commit, const QString& file, const QString& etag) const {
    const QString link = snapshotDir(commit) + "/" + file;
    const QString link_dir = QFileInfo(link).absolutePath();
    makeDir(link_dir);
    const fs::path target = fs::path(blobPath(etag).toStdString()).lexically_relative(link_dir.toStdString());
    const fs::path temporary = (link + ".linking").toStdString();
    std::error_code ec;
    fs::remove(temporary, ec);
    fs::create_symlink(target, temporary, ec);
    if (ec) {
        // A file system without symlinks: a copy, as huggingface_hub falls back to.
        if (!QFile::copy(blobPath(etag), QString::fromStdString(temporary.string())))
            throw HubError(QStringLiteral("cannot create %1 (%2)").arg(link, QString::fromStdString(ec.message())));
    }
    fs::rename(temporary, link.toStdString(), ec);
    if (ec) throw HubError(QStringLiteral("cannot create %1 (%2)").arg(link, QString::fromStdString(ec.message())));
}

void RepoCache::markMissing(const QString& commit, const QString& file) const {
    const QString marker = repo_dir_ + "/.no_exist/" + commit + "/" + file;
    makeDir(QFileInfo(marker).absolutePath());
    QFile f(marker);
    if (!f.open(QIODevice::WriteOnly)) throw HubError(QStringLiteral("cannot write %1: %2").arg(marker, f.errorString()));
}

void RepoCache::ensureBlobDir() const { makeDir(repo_dir_ + "/blobs"); }

}  // namespace levit::hub
