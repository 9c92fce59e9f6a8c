#pragma once
// Downloads one file's bytes into blobs/<etag> under huggingface_hub's lock for that blob
// (.locks/models--org--name/<etag>.lock; another process holding it is waited for, and its finished blob
// reused). The bytes go to blobs/<etag>.incomplete, resumed with a Range request after a cut connection
// (here, or left over by an earlier run), never beyond the announced size (or the maximum for the file
// when none was announced), under the minimum-speed rule; the result is checked against the ETag (sha256
// for LFS files, git blob sha1 for the others) and only then renamed into place in one step.
#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include "file_lock.h"
#include "file_metadata.h"
#include "repo_cache.h"
#include "transfer_watchdog.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace levit::hub {

class BlobDownload : public QObject {
    Q_OBJECT
public:
    BlobDownload(QNetworkAccessManager* network, const RepoCache& cache, const FileMetadata& metadata,
                 const QString& model_name, QObject* parent = nullptr);
    ~BlobDownload() override;

    void start();
    // Stops without a signal; the .incomplete file stays for a later resume.
    void cancel();

signals:
    void progress(qint64 received, qint64 total);
    void finished();
    void failed(const QString& message);

private:
    void waitForLock();
    void begin();
    void request();
    void get(const QUrl& url);
    void onReadyRead();
    void onFinished();
    void onTooSlow(const QString& problem);
    void abortReply(const QString& reason);
    void retryOrFail(const QString& problem);
    void complete();
    void failLater(const QString& message);
    void fail(const QString& message);
    void discardPart();
    bool restartFromZero();
    qint64 limit() const;  // the most bytes this file may have
    QString source() const;  // "model: file from URL"

    QNetworkAccessManager* network_;
    RepoCache cache_;
    FileMetadata metadata_;
    QString model_name_;
    FileLock lock_;
    QTimer lock_poll_;
    TransferWatchdog lock_watch_;  // the speed rule applied to another process's .incomplete file
    qint64 other_part_size_ = 0;
    TransferWatchdog watchdog_;
    QFile part_;
    QCryptographicHash sha256_{QCryptographicHash::Sha256};
    QPointer<QNetworkReply> reply_;
    QUrl current_url_;          // where the reply is now, after the redirects followed
    qint64 expected_ = -1;      // the file's size: announced by the Hub, else learnt from the GET answer
    qint64 received_ = 0;       // bytes in the .incomplete file
    qint64 request_start_ = 0;  // the offset this request asked for
    QString abort_reason_;      // why we aborted the reply, for the message
    QString fatal_;             // a problem no retry can fix (set with abort_reason_)
    bool answer_checked_ = false;
    bool wrong_range_ = false;
    bool write_error_ = false;
    bool resumed_ = false;         // some bytes came from an earlier request or run
    bool restarted_whole_ = false;  // after a resumed file failed its check, one download from byte 0
    int attempts_ = 0;
    int redirects_ = 0;  // followed in this attempt
};

}  // namespace levit::hub
