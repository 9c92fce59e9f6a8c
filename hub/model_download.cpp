#include "model_download.h"

#include <QNetworkAccessManager>
#include <QTimer>

#include "blob_download.h"
#include "hub_environment.h"
#include "hub_error.h"
#include "hub_limits.h"
#include "metadata_request.h"
#include "model_files.h"

namespace levit::hub {

ModelDownload::ModelDownload(const ModelId& id, QObject* parent)
    : QObject(parent), id_(id), endpoint_(hubEndpoint()), cache_(hubCacheDir(), id.repo),
      network_(new QNetworkAccessManager(this)) {}

ModelDownload::~ModelDownload() { cancel(); }

void ModelDownload::start() {
    if (running_) return;
    running_ = true;
    const QString cached = cache_.completeSnapshot(id_.revision);
    // A small file stored unchecked (by an older LeViT Lens or another tool) would poison the cache for
    // good: checked on every use; when wrong, it is downloaded again (and its blob replaced) below.
    const QString poisoned = cached.isEmpty() ? QString() : RepoCache::snapshotProblem(cached);
    if (!cached.isEmpty() && poisoned.isEmpty()) {
        QTimer::singleShot(0, this, [this, cached] {
            running_ = false;
            emit finished(cached, true);
        });
        return;
    }
    if (hubOffline() && !poisoned.isEmpty()) {
        const QString message = QStringLiteral("%1: a cached file is corrupt (%2), and HF_HUB_OFFLINE is set, so it cannot be "
                                               "downloaded again; unset HF_HUB_OFFLINE to repair it")
                                    .arg(id_.display(), poisoned);
        QTimer::singleShot(0, this, [this, message] { fail(message); });
        return;
    }
    if (hubOffline()) {
        const QString message =
            QStringLiteral("%1 is not in the Hugging Face cache (%2) and HF_HUB_OFFLINE is set, so it cannot be "
                           "downloaded; unset HF_HUB_OFFLINE to download it")
                .arg(id_.display(), cache_.repoDir());
        QTimer::singleShot(0, this, [this, message] { fail(message); });
        return;
    }
    commit_.clear();
    files_.clear();
    missing_.clear();
    downloading_ = -1;
    done_bytes_ = 0;
    weights_bytes_ = 0;
    to_look_up_ = QStringList{kConfigFile, kProcessorFile} + kWeightFiles.mid(0, 1);
    nextFile();
}

void ModelDownload::cancel() {
    if (!running_) return;
    running_ = false;
    if (lookup_) lookup_->deleteLater();
    if (blob_) {
        blob_->cancel();
        blob_->deleteLater();
    }
    lookup_ = nullptr;
    blob_ = nullptr;
    QTimer::singleShot(0, this, &ModelDownload::cancelled);
}

void ModelDownload::nextFile() {
    if (to_look_up_.isEmpty()) return downloadNext();
    lookUp(to_look_up_.takeFirst());
}

void ModelDownload::lookUp(const QString& file) {
    // The first file is asked for at the requested revision; the rest at the commit it resolved to, so
    // every file comes from the same commit even if the branch moves meanwhile.
    auto* request = new MetadataRequest(network_, endpoint_, id_, commit_.isEmpty() ? id_.revision : commit_, file, this);
    lookup_ = request;
    connect(request, &MetadataRequest::finished, this, [this, request] { onMetadata(request); });
    connect(request, &MetadataRequest::failed, this,
            [this, request](MetadataFailure kind, const QString& message) { onMetadataFailed(request, kind, message); });
    request->start();
}

void ModelDownload::onMetadata(MetadataRequest* request) {
    request->deleteLater();
    if (!running_) return;
    const FileMetadata& m = request->metadata();
    // A pinned commit is a promise about the content: a server that names another one is refused.
    if (isCommitHash(id_.revision) && m.commit != id_.revision)
        return fail(QStringLiteral("%1: %2 (%3): asked for commit %4, the server answered with commit %5 (X-Repo-Commit); refused")
                        .arg(id_.display(), m.file, m.download_url.toString(), id_.revision, m.commit));
    if (!commit_.isEmpty() && m.commit != commit_)
        return fail(QStringLiteral("%1: %2 (%3) comes from commit %4, the files before it from commit %5; refused")
                        .arg(id_.display(), m.file, m.download_url.toString(), m.commit, commit_));
    if (m.size > maxFileBytes(m.file))
        return fail(QStringLiteral("%1: %2 (%3) is %4 bytes, more than the %5 bytes LeViT Lens accepts for it; refused before download")
                        .arg(id_.display(), m.file, m.download_url.toString())
                        .arg(m.size)
                        .arg(maxFileBytes(m.file)));
    if (maxFileBytes(m.file) == kMaxWeightsBytes && m.size > 0 && (weights_bytes_ += m.size) > kMaxWeightsBytes)
        return fail(QStringLiteral("%1: its shards are more than %2 bytes together (%3 with %4), more than LeViT Lens accepts; refused before download")
                        .arg(id_.display())
                        .arg(kMaxWeightsBytes)
                        .arg(weights_bytes_)
                        .arg(m.file));
    if (commit_.isEmpty()) commit_ = m.commit;
    files_.append(m);
    if (isShardIndex(m.file)) return fetchIndex(m);
    nextFile();
}

void ModelDownload::fetchIndex(const FileMetadata& index) {
    // The index is small and says what else to look up: downloaded (and checked) now, not with the rest.
    auto* blob = new BlobDownload(network_, cache_, index, id_.display(), this);
    blob_ = blob;
    connect(blob, &BlobDownload::finished, this, [this, blob, index] {
        blob->deleteLater();
        if (!running_) return;
        QString error;
        const QStringList shards = shardsOfIndex(cache_.blobPath(index.etag), index.file, &error);
        if (!error.isEmpty()) return fail(QStringLiteral("%1: %2").arg(id_.display(), error));
        to_look_up_ += shards;
        nextFile();
    });
    connect(blob, &BlobDownload::failed, this, [this, blob](const QString& message) {
        blob->deleteLater();
        if (running_) fail(message);
    });
    blob->start();
}

void ModelDownload::onMetadataFailed(MetadataRequest* request, MetadataFailure kind, const QString& message) {
    request->deleteLater();
    if (!running_) return;
    const QString file = request->metadata().file;
    if (kind == MetadataFailure::FileNotFound && file == kProcessorFile) {
        missing_ << file;  // optional: the defaults of LevitImageProcessor apply
        return nextFile();
    }
    if (kind == MetadataFailure::FileNotFound && kWeightFiles.contains(file)) {
        missing_ << file;
        const int next = kWeightFiles.indexOf(file) + 1;
        if (next < kWeightFiles.size()) {
            to_look_up_.prepend(kWeightFiles[next]);
            return nextFile();
        }
        return fail(QStringLiteral("%1 has no weights LeViT Lens can read: neither %2 at revision %3 (commit %4)")
                        .arg(id_.display(), kWeightFiles.join(" nor "), id_.revision, commit_));
    }
    fail(message);
}

void ModelDownload::downloadNext() {
    if (downloading_ >= 0) done_bytes_ += qMax<qint64>(files_[downloading_].size, 0);
    if (++downloading_ >= files_.size()) return finishSnapshot();
    const FileMetadata& m = files_[downloading_];
    qint64 total = 0;
    for (const FileMetadata& f : files_) total = (total < 0 || f.size < 0) ? -1 : total + f.size;
    auto* blob = new BlobDownload(network_, cache_, m, id_.display(), this);
    blob_ = blob;
    connect(blob, &BlobDownload::progress, this, [this, file = m.file, total](qint64 received, qint64 size) {
        emit progress({file, received, size, done_bytes_ + received, total});
    });
    connect(blob, &BlobDownload::finished, this, [this, blob] {
        blob->deleteLater();
        if (running_) downloadNext();
    });
    connect(blob, &BlobDownload::failed, this, [this, blob](const QString& message) {
        blob->deleteLater();
        if (running_) fail(message);
    });
    emit progress({m.file, 0, m.size, done_bytes_, total});
    blob->start();
}

void ModelDownload::finishSnapshot() {
    try {
        for (const FileMetadata& f : files_) cache_.linkSnapshotFile(commit_, f.file, f.etag);
        for (const QString& file : missing_) cache_.markMissing(commit_, file);
        if (id_.revision != commit_) cache_.writeRef(id_.revision, commit_);
    } catch (const HubError& e) {
        return fail(QString::fromStdString(e.what()));
    }
    running_ = false;
    emit finished(cache_.snapshotDir(commit_), false);
}

void ModelDownload::fail(const QString& message) {
    running_ = false;
    emit failed(message);
}

}  // namespace levit::hub
