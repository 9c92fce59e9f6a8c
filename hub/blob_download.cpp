#include "blob_download.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <filesystem>
#include <system_error>

#include "hub_error.h"
#include "hub_request.h"
#include "network_text.h"

namespace levit::hub {

namespace {

constexpr int kMaxAttempts = 5;
constexpr int kRetryDelayMs = 250;

// "bytes 100-999/1000" -> 100, or -1.
qint64 rangeStart(const QByteArray& content_range) {
    const QByteArray spec = content_range.trimmed();
    if (!spec.startsWith("bytes ")) return -1;
    bool ok = false;
    const qint64 start = spec.mid(6).split('-').value(0).toLongLong(&ok);
    return ok ? start : -1;
}

}  // namespace

BlobDownload::BlobDownload(QNetworkAccessManager* network, const RepoCache& cache, const FileMetadata& metadata,
                           const QString& model_name, QObject* parent)
    : QObject(parent), network_(network), cache_(cache), metadata_(metadata), model_name_(model_name) {}

BlobDownload::~BlobDownload() { cancel(); }

void BlobDownload::start() {
    const QString blob = cache_.blobPath(metadata_.etag);
    const QFileInfo existing(blob);
    if (existing.isFile() && (metadata_.size < 0 || existing.size() == metadata_.size)) {
        // Already downloaded (by us or by Python for another snapshot): content-addressed, reuse it.
        QTimer::singleShot(0, this, [this] {
            emit progress(metadata_.size, metadata_.size);
            emit finished();
        });
        return;
    }
    try {
        cache_.ensureBlobDir();
    } catch (const HubError& e) {
        return QTimer::singleShot(0, this, [this, m = QString::fromStdString(e.what())] { fail(m); });
    }
    part_.setFileName(cache_.incompletePath(metadata_.etag));
    if (!part_.open(QIODevice::ReadWrite)) {
        const QString message = QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString());
        return QTimer::singleShot(0, this, [this, message] { fail(message); });
    }
    received_ = part_.size();
    if (metadata_.size >= 0 && received_ > metadata_.size) restartFromZero();
    // A part left by an earlier run: hash what is there so the check at the end covers the whole file.
    if (received_ > 0) {
        part_.seek(0);
        sha256_.addData(&part_);
    }
    part_.seek(received_);
    if (metadata_.size >= 0 && received_ == metadata_.size) {
        QTimer::singleShot(0, this, &BlobDownload::complete);
        return;
    }
    request();
}

void BlobDownload::cancel() {
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
        reply_ = nullptr;
    }
    if (part_.isOpen()) part_.close();
}

bool BlobDownload::restartFromZero() {
    sha256_.reset();
    received_ = 0;
    return part_.resize(0) && part_.seek(0);
}

void BlobDownload::request() {
    ++attempts_;
    answer_checked_ = false;
    wrong_range_ = false;
    request_start_ = received_;
    QNetworkRequest request = hubRequest(metadata_.download_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    if (received_ > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(received_) + "-");
    reply_ = network_->get(request);
    reply_->setReadBufferSize(1 << 20);
    connect(reply_, &QNetworkReply::readyRead, this, &BlobDownload::onReadyRead);
    // After a cut connection Qt may quietly send the same request again (without our Range header) and
    // then discard the answer. Stop that as soon as it shows: onFinished resumes from the bytes we have.
    connect(reply_, &QNetworkReply::socketStartedConnecting, this, [this] {
        if (reply_ && answer_checked_) reply_->abort();
    });
    connect(reply_, &QNetworkReply::finished, this, &BlobDownload::onFinished);
}

void BlobDownload::onReadyRead() {
    QNetworkReply* reply = reply_;
    if (!reply) return;
    const int status = httpStatus(reply);
    if (!answer_checked_) {
        answer_checked_ = true;
        if (status == 200 && request_start_ > 0) {
            // The server ignored the Range header and sends the whole file: start the part over.
            if (!restartFromZero()) write_error_ = true;
        } else if (status == 206 && rangeStart(reply->rawHeader("Content-Range")) != request_start_) {
            wrong_range_ = true;  // bytes of another offset: unusable; onFinished retries
        }
    }
    if (wrong_range_) {
        reply->readAll();
        return;
    }
    if (status != 200 && status != 206) {
        reply->readAll();  // an error page, not the file
        return;
    }
    const QByteArray data = reply->readAll();
    if (data.isEmpty()) return;
    if (write_error_ || part_.write(data) != data.size()) {
        write_error_ = true;
        return;
    }
    sha256_.addData(data);
    received_ += data.size();
    emit progress(received_, metadata_.size);
}

void BlobDownload::onFinished() {
    QNetworkReply* reply = reply_;
    if (!reply) return;
    onReadyRead();
    reply_ = nullptr;
    reply->deleteLater();
    if (write_error_)
        return fail(QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString()));
    const int status = httpStatus(reply);
    const bool cut = reply->error() != QNetworkReply::NoError || (metadata_.size >= 0 && received_ < metadata_.size);
    if (status != 0 && status != 200 && status != 206) {
        if (isTransient(reply)) return retryOrFail(replyProblem(reply));
        return fail(QStringLiteral("%1: cannot download %2 from %3: %4")
                        .arg(model_name_, metadata_.file, metadata_.download_url.toString(), replyProblem(reply)));
    }
    if (wrong_range_) return retryOrFail(QStringLiteral("the server answered a different byte range than asked for"));
    if (cut) {
        const QString problem = reply->error() != QNetworkReply::NoError
                                    ? reply->errorString()
                                    : QStringLiteral("the connection ended at byte %1 of %2").arg(received_).arg(metadata_.size);
        return retryOrFail(problem);
    }
    complete();
}

void BlobDownload::retryOrFail(const QString& problem) {
    if (attempts_ >= kMaxAttempts)
        return fail(QStringLiteral("%1: cannot download %2 from %3 (%4 attempts, %5 of %6 bytes kept in %7 for the next try): %8")
                        .arg(model_name_, metadata_.file, metadata_.download_url.toString())
                        .arg(attempts_)
                        .arg(received_)
                        .arg(metadata_.size)
                        .arg(part_.fileName(), problem));
    QTimer::singleShot(kRetryDelayMs * attempts_, this, &BlobDownload::request);
}

void BlobDownload::complete() {
    part_.flush();
    if (metadata_.size >= 0 && received_ != metadata_.size) {
        const QString path = part_.fileName();
        part_.remove();
        return fail(QStringLiteral("%1: %2 from %3 has %4 bytes, the Hub said %5; deleted %6")
                        .arg(model_name_, metadata_.file, metadata_.download_url.toString())
                        .arg(received_)
                        .arg(metadata_.size)
                        .arg(path));
    }
    if (metadata_.etagIsSha256()) {
        const QString actual = QString::fromLatin1(sha256_.result().toHex());
        if (actual != metadata_.etag) {
            const QString path = part_.fileName();
            part_.remove();
            return fail(QStringLiteral("%1: %2 downloaded from %3 is corrupt: its sha256 is %4, the Hub says %5; "
                                       "deleted it, try again")
                            .arg(model_name_, metadata_.file, metadata_.download_url.toString(), actual, metadata_.etag));
        }
    }
    part_.close();
    const QString blob = cache_.blobPath(metadata_.etag);
    std::error_code ec;
    std::filesystem::rename(part_.fileName().toStdString(), blob.toStdString(), ec);  // atomic, replaces
    if (ec)
        return fail(QStringLiteral("%1: cannot rename %2 to %3: %4")
                        .arg(model_name_, part_.fileName(), blob, QString::fromStdString(ec.message())));
    emit finished();
}

void BlobDownload::fail(const QString& message) {
    if (part_.isOpen()) part_.close();
    emit failed(message);
}

}  // namespace levit::hub
