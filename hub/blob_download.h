#pragma once
// Downloads one file's bytes into blobs/<etag>: written to blobs/<etag>.incomplete, resumed with a Range
// request after a cut connection (here, or left over by an earlier run), checked against the sha256 the
// Hub reports for LFS files, then renamed into place in one step.
#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>

#include "file_metadata.h"
#include "repo_cache.h"

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
    void request();
    void onReadyRead();
    void onFinished();
    void retryOrFail(const QString& problem);
    void complete();
    void fail(const QString& message);
    bool restartFromZero();

    QNetworkAccessManager* network_;
    RepoCache cache_;
    FileMetadata metadata_;
    QString model_name_;
    QFile part_;
    QCryptographicHash sha256_{QCryptographicHash::Sha256};
    QPointer<QNetworkReply> reply_;
    qint64 received_ = 0;       // bytes in the .incomplete file
    qint64 request_start_ = 0;  // the offset this request asked for
    bool answer_checked_ = false;
    bool wrong_range_ = false;
    bool write_error_ = false;
    int attempts_ = 0;
};

}  // namespace levit::hub
