#include "repo_cache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>

#include <filesystem>
#include <system_error>

#include "content_check.h"
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

QString RepoCache::lockPath(const QString& etag) const {
    const QFileInfo repo(repo_dir_);
    return repo.path() + "/.locks/" + repo.fileName() + "/" + etag + ".lock";
}

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

QString RepoCache::snapshotProblem(const QString& dir) {
    QStringList files = {kConfigFile, kProcessorFile};
    files += kWeightFiles;
    for (const QString& file : files) {
        const QString path = dir + "/" + file;
        const QFileInfo link(path);
        if (!link.isSymLink()) continue;  // a copy (no symlinks on this file system): nothing names its content
        const QString etag = QFileInfo(link.symLinkTarget()).fileName();
        if (etagKind(etag) != EtagKind::GitBlobSha1) continue;
        const QString problem = contentProblem(path, etag);
        if (!problem.isEmpty()) return QStringLiteral("%1: %2").arg(path, problem);
    }
    return {};
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
    // A name of our own: another process may be linking the same file right now.
    const fs::path temporary =
        (link + QStringLiteral(".linking-%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QChar('0'))).toStdString();
    std::error_code ec;
    fs::create_symlink(target, temporary, ec);
    if (ec) {
        // A file system without symlinks: a copy, as huggingface_hub falls back to.
        if (!QFile::copy(blobPath(etag), QString::fromStdString(temporary.string())))
            throw HubError(QStringLiteral("cannot create %1 (%2)").arg(link, QString::fromStdString(ec.message())));
    }
    fs::rename(temporary, link.toStdString(), ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw HubError(QStringLiteral("cannot create %1 (%2)").arg(link, QString::fromStdString(ec.message())));
    }
}

void RepoCache::markMissing(const QString& commit, const QString& file) const {
    const QString marker = repo_dir_ + "/.no_exist/" + commit + "/" + file;
    makeDir(QFileInfo(marker).absolutePath());
    QFile f(marker);
    if (!f.open(QIODevice::WriteOnly)) throw HubError(QStringLiteral("cannot write %1: %2").arg(marker, f.errorString()));
}

void RepoCache::ensureBlobDir() const { makeDir(repo_dir_ + "/blobs"); }

}  // namespace levit::hub
