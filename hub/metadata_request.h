#pragma once
// One HEAD request on a file's resolve URL, the way huggingface_hub makes it: relative redirects (a
// renamed repository) are followed, an absolute one (the CDN holding LFS files) is not — its headers
// carry the metadata and its Location is where the bytes are (http(s) only). Network errors, 5xx and an
// answer slower than the speed rule (TransferWatchdog) are retried.
#include <QObject>
#include <QPointer>

#include "file_metadata.h"
#include "model_id.h"
#include "transfer_watchdog.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace levit::hub {

class MetadataRequest : public QObject {
    Q_OBJECT
public:
    // `revision` is what to ask for (a branch, or the commit once known); `model` names the model in messages.
    MetadataRequest(QNetworkAccessManager* network, const QString& endpoint, const ModelId& model,
                    const QString& revision, const QString& file, QObject* parent = nullptr);
    ~MetadataRequest() override;

    void start();
    void abort();

    const FileMetadata& metadata() const { return metadata_; }

signals:
    void finished();
    // `message` is complete: model id, file, URL, HTTP status or network error.
    void failed(levit::hub::MetadataFailure kind, const QString& message);

private:
    void send(const QUrl& url);
    void onFinished();
    void fail(MetadataFailure kind, const QString& message);

    QNetworkAccessManager* network_;
    ModelId model_;
    QString file_;
    QString revision_;
    QUrl first_url_;
    QPointer<QNetworkReply> reply_;
    TransferWatchdog watchdog_;
    QString abort_reason_;  // why the watchdog stopped the request
    FileMetadata metadata_;
    int redirects_ = 0;
    int attempts_ = 0;
};

}  // namespace levit::hub
