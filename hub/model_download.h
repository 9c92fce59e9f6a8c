#pragma once
// Gets one model into the Hugging Face cache, asynchronously, and says where its snapshot folder is.
// Offline first: a complete snapshot of the revision in the cache is used without any request. Else the
// files it needs (config.json, preprocessor_config.json when the repository has one, the weights: the
// first of model_files.h kWeightFiles the repository has; for a shard index, the index is downloaded at
// once and then every shard it names is looked up too) are looked up (HEAD), downloaded, checked, and only then linked into
// snapshots/<commit>/ and refs/<revision> written: a failed or cancelled download leaves no snapshot.
// Refused before any byte is fetched: a file announced larger than hub_limits.h allows, a commit other
// than a pinned one, files of different commits. A cached snapshot whose small files fail their git blob
// sha1 is downloaded again (offline: an error naming the file).
#include <QList>
#include <QObject>
#include <QPointer>

#include "download_progress.h"
#include "file_metadata.h"
#include "model_id.h"
#include "repo_cache.h"

class QNetworkAccessManager;

namespace levit::hub {

class BlobDownload;
class MetadataRequest;

class ModelDownload : public QObject {
    Q_OBJECT
public:
    // The cache folder, endpoint and offline switch are read from the environment (hub_environment.h).
    explicit ModelDownload(const ModelId& id, QObject* parent = nullptr);
    ~ModelDownload() override;

    // Exactly one of finished, failed or cancelled follows, always after start() has returned.
    void start();
    void cancel();

    const ModelId& id() const { return id_; }
    bool running() const { return running_; }

signals:
    void progress(const levit::hub::DownloadProgress& progress);
    // `from_cache`: nothing was downloaded, the snapshot was complete already.
    void finished(const QString& snapshot_dir, bool from_cache);
    void failed(const QString& message);
    void cancelled();

private:
    void lookUp(const QString& file);
    void onMetadata(MetadataRequest* request);
    void onMetadataFailed(MetadataRequest* request, MetadataFailure kind, const QString& message);
    void nextFile();
    void fetchIndex(const FileMetadata& index);
    void downloadNext();
    void finishSnapshot();
    void fail(const QString& message);

    ModelId id_;
    QString endpoint_;
    RepoCache cache_;
    QNetworkAccessManager* network_;
    QPointer<MetadataRequest> lookup_;
    QPointer<BlobDownload> blob_;
    QStringList to_look_up_;     // files still to ask about, in order
    QString commit_;             // learnt from the first answer; later files are asked for at this commit
    QList<FileMetadata> files_;  // found, to download
    QStringList missing_;        // optional files the repository does not have
    qint64 weights_bytes_ = 0;   // announced sizes of the weights files so far, shards together
    int downloading_ = -1;
    qint64 done_bytes_ = 0;
    bool running_ = false;
};

}  // namespace levit::hub
