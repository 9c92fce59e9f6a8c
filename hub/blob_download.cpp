#include "blob_download.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <filesystem>
#include <system_error>

#include "content_check.h"
#include "hub_error.h"
#include "hub_limits.h"
#include "hub_request.h"
#include "network_text.h"

namespace levit::hub {

namespace {

constexpr int kMaxAttempts = 5;
constexpr int kRetryDelayMs = 250;
constexpr int kLockPollMs = 100;

// "bytes 100-999/1000" -> {100, 1000}; -1 where a part is missing or malformed.
std::pair<qint64, qint64> contentRange(const QByteArray& header) {
    const QByteArray spec = header.trimmed();
    if (!spec.startsWith("bytes ")) return {-1, -1};
    bool ok = false;
    const QList<QByteArray> range_total = spec.mid(6).split('/');
    const qint64 start = range_total.value(0).split('-').value(0).toLongLong(&ok);
    const qint64 first = ok ? start : -1;
    const qint64 total = range_total.value(1).toLongLong(&ok);
    return {first, ok && total >= 0 ? total : -1};
}

}  // namespace

BlobDownload::BlobDownload(QNetworkAccessManager* network, const RepoCache& cache, const FileMetadata& metadata,
                           const QString& model_name, QObject* parent)
    : QObject(parent), network_(network), cache_(cache), metadata_(metadata), model_name_(model_name),
      lock_(cache.lockPath(metadata.etag)), lock_watch_(this), watchdog_(this), expected_(metadata.size) {
    lock_poll_.setInterval(kLockPollMs);
    connect(&lock_poll_, &QTimer::timeout, this, &BlobDownload::waitForLock);
    connect(&lock_watch_, &TransferWatchdog::tooSlow, this, [this](const QString& problem) {
        fail(QStringLiteral("%1: %2: another download of it (holding %3) made no progress: %4")
                 .arg(model_name_, metadata_.file, lock_.path(), problem));
    });
    connect(&watchdog_, &TransferWatchdog::tooSlow, this, &BlobDownload::onTooSlow);
}

BlobDownload::~BlobDownload() { cancel(); }

qint64 BlobDownload::limit() const {
    const qint64 most = maxFileBytes(metadata_.file);
    return expected_ >= 0 ? qMin(expected_, most) : most;
}

QString BlobDownload::source() const {
    return QStringLiteral("%1: %2 from %3").arg(model_name_, metadata_.file, metadata_.download_url.toString());
}

void BlobDownload::start() {
    if (etagKind(metadata_.etag) == EtagKind::Unverifiable)
        return failLater(QStringLiteral("%1: the ETag '%2' can be checked neither as a sha256 nor as a git blob sha1; refused")
                             .arg(source(), metadata_.etag));
    try {
        cache_.ensureBlobDir();
    } catch (const HubError& e) {
        return failLater(QString::fromStdString(e.what()));
    }
    QTimer::singleShot(0, this, &BlobDownload::waitForLock);
}

void BlobDownload::waitForLock() {
    QString error;
    if (lock_.tryLock(&error)) {
        lock_poll_.stop();
        lock_watch_.stop();
        return begin();
    }
    if (!error.isEmpty()) return fail(QStringLiteral("%1: %2").arg(model_name_, error));
    // Another process downloads this blob: follow its .incomplete file, then reuse its result.
    const qint64 size = QFileInfo(cache_.incompletePath(metadata_.etag)).size();
    if (!lock_poll_.isActive()) {
        lock_poll_.start();
        lock_watch_.start();
    } else if (size > other_part_size_) {
        lock_watch_.add(size - other_part_size_);
    }
    other_part_size_ = size;
    emit progress(size, expected_);
}

void BlobDownload::begin() {
    const QString blob = cache_.blobPath(metadata_.etag);
    if (QFileInfo(blob).isFile()) {
        // Content-addressed: what another process (or Python, or an earlier run) stored is reused, after
        // the same check a download gets; a blob that fails it (a poisoned cache) is replaced.
        const bool size_ok = expected_ < 0 || QFileInfo(blob).size() == expected_;
        if (size_ok && contentProblem(blob, metadata_.etag).isEmpty()) {
            lock_.unlock();
            const qint64 size = QFileInfo(blob).size();
            emit progress(size, size);
            emit finished();
            return;
        }
        QFile::remove(blob);
    }
    part_.setFileName(cache_.incompletePath(metadata_.etag));
    if (!part_.open(QIODevice::ReadWrite))
        return fail(QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString()));
    received_ = part_.size();
    if (received_ > limit() && !restartFromZero())
        return fail(QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString()));
    // A part left by an earlier run: hash what is there so the check at the end covers the whole file.
    if (received_ > 0) {
        resumed_ = true;
        part_.seek(0);
        sha256_.addData(&part_);
    }
    part_.seek(received_);
    if (expected_ >= 0 && received_ == expected_) return complete();
    request();
}

void BlobDownload::cancel() {
    lock_poll_.stop();
    lock_watch_.stop();
    watchdog_.stop();
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
        reply_ = nullptr;
    }
    if (part_.isOpen()) part_.close();
    lock_.unlock();
}

bool BlobDownload::restartFromZero() {
    sha256_.reset();
    received_ = 0;
    return part_.resize(0) && part_.seek(0);
}

void BlobDownload::request() {
    ++attempts_;
    redirects_ = 0;
    if (received_ > 0) resumed_ = true;
    get(metadata_.download_url);
}

void BlobDownload::get(const QUrl& url) {
    answer_checked_ = false;
    wrong_range_ = false;
    abort_reason_.clear();
    request_start_ = received_;
    current_url_ = url;
    QNetworkRequest request = hubRequest(url);
    // Redirects are followed here, not by Qt, so each is checked (onFinished): http(s) only, no
    // downgrade, at most kMaxRedirects.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (received_ > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(received_) + "-");
    reply_ = network_->get(request);
    reply_->setReadBufferSize(1 << 20);
    connect(reply_, &QNetworkReply::readyRead, this, &BlobDownload::onReadyRead);
    // After a cut connection Qt may quietly send the same request again (without our Range header) and
    // then discard the answer. Stop that as soon as it shows: onFinished resumes from the bytes we have.
    connect(reply_, &QNetworkReply::socketStartedConnecting, this, [this] {
        if (reply_ && answer_checked_) abortReply(QStringLiteral("the connection was cut"));
    });
    connect(reply_, &QNetworkReply::finished, this, &BlobDownload::onFinished);
    watchdog_.start();
}

void BlobDownload::abortReply(const QString& reason) {
    if (!reply_) return;
    abort_reason_ = reason;
    reply_->abort();  // finished() follows, synchronously
}

void BlobDownload::onTooSlow(const QString& problem) { abortReply(problem); }

void BlobDownload::onReadyRead() {
    QNetworkReply* reply = reply_;
    // An aborted reply is closed: reading it would only make Qt print warnings.
    if (!reply || !fatal_.isEmpty() || !reply->isOpen()) return;
    const int status = httpStatus(reply);
    if (!answer_checked_) {
        answer_checked_ = true;
        if (status == 200 && request_start_ > 0) {
            // The server ignored the Range header and sends the whole file: start the part over.
            if (!restartFromZero()) write_error_ = true;
        } else if (status == 206 && contentRange(reply->rawHeader("Content-Range")).first != request_start_) {
            wrong_range_ = true;  // bytes of another offset: unusable; onFinished retries
        }
        if (expected_ < 0 && (status == 200 || status == 206)) {
            // The Hub did not say how big the file is: the answer does, and binds the server to it.
            bool ok = false;
            const qint64 length = reply->rawHeader("Content-Length").toLongLong(&ok);
            if (status == 200 && ok && length >= 0) expected_ = length;
            if (status == 206) expected_ = contentRange(reply->rawHeader("Content-Range")).second;
            if (expected_ > maxFileBytes(metadata_.file)) {
                fatal_ = QStringLiteral("%1: the server announces %2 bytes, more than the %3 bytes LeViT Lens accepts for %4; refused")
                             .arg(source())
                             .arg(expected_)
                             .arg(maxFileBytes(metadata_.file))
                             .arg(metadata_.file);
                return abortReply(fatal_);
            }
        }
    }
    if (wrong_range_ || (status != 200 && status != 206)) {
        reply->skip(reply->bytesAvailable());  // an error page or unusable bytes, not the file
        return;
    }
    const QByteArray data = reply->readAll();
    if (data.isEmpty()) return;
    watchdog_.add(data.size());
    if (received_ + data.size() > limit()) {
        // An endless or lying body: never a byte past what the file may have.
        fatal_ = QStringLiteral("%1: the server sent more than the %2 bytes %3; stopped")
                     .arg(source())
                     .arg(limit())
                     .arg(expected_ >= 0 && expected_ <= maxFileBytes(metadata_.file)
                              ? QStringLiteral("announced for it")
                              : QStringLiteral("LeViT Lens accepts for %1").arg(metadata_.file));
        return abortReply(fatal_);
    }
    if (write_error_ || part_.write(data) != data.size()) {
        write_error_ = true;
        return;
    }
    sha256_.addData(data);
    received_ += data.size();
    emit progress(received_, expected_);
}

void BlobDownload::onFinished() {
    QNetworkReply* reply = reply_;
    if (!reply) return;
    onReadyRead();
    watchdog_.stop();
    reply_ = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    if (!fatal_.isEmpty()) {
        // What arrived came from a server that broke a rule: keep nothing of it.
        discardPart();
        return fail(fatal_);
    }
    if (write_error_)
        return fail(QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString()));
    const int status = httpStatus(reply);
    const bool network_error = reply->error() != QNetworkReply::NoError;
    if (status >= 300 && status < 400) {
        const QByteArray location = reply->rawHeader("Location");
        const QUrl target = current_url_.resolved(QUrl(QString::fromUtf8(location)));
        QString problem = location.isEmpty() ? QStringLiteral("HTTP %1 without a Location header").arg(status)
                                             : redirectProblem(current_url_, target);
        if (problem.isEmpty() && ++redirects_ > kMaxRedirects)
            problem = QStringLiteral("more than %1 redirects, the last to %2").arg(kMaxRedirects).arg(target.toString());
        if (!problem.isEmpty()) return fail(QStringLiteral("%1: %2").arg(source(), problem));
        return get(target);
    }
    if (status != 0 && status != 200 && status != 206) {
        if (isTransient(reply)) return retryOrFail(replyProblem(reply));
        const QString advice = status == 401 || status == 403
                                   ? QStringLiteral("; this model is gated or private: ") + accessAdvice(current_url_)
                                   : QString();
        return fail(QStringLiteral("%1: cannot download %2 from %3: %4%5")
                        .arg(model_name_, metadata_.file, metadata_.download_url.toString(), replyProblem(reply), advice));
    }
    if (wrong_range_) return retryOrFail(QStringLiteral("the server answered a different byte range than asked for"));
    // No answer at all, for a reason a retry cannot change (unknown host, a refused redirect...).
    if (network_error && status == 0 && !isTransient(reply) && abort_reason_.isEmpty())
        return fail(QStringLiteral("%1: cannot download %2 from %3: %4")
                        .arg(model_name_, metadata_.file, metadata_.download_url.toString(), reply->errorString()));
    if (network_error || (expected_ >= 0 && received_ < expected_)) {
        const QString problem = !abort_reason_.isEmpty() ? abort_reason_
                                : network_error          ? reply->errorString()
                                                         : QStringLiteral("the connection ended at byte %1 of %2").arg(received_).arg(expected_);
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
                        .arg(expected_)
                        .arg(part_.fileName(), problem));
    QTimer::singleShot(kRetryDelayMs * attempts_, this, &BlobDownload::request);
}

void BlobDownload::complete() {
    part_.flush();
    if (expected_ >= 0 && received_ != expected_) {
        const QString path = part_.fileName();
        discardPart();
        return fail(QStringLiteral("%1 has %2 bytes, the Hub said %3; deleted %4").arg(source()).arg(received_).arg(expected_).arg(path));
    }
    const EtagKind kind = etagKind(metadata_.etag);
    const QString actual = kind == EtagKind::Sha256 ? QString::fromLatin1(sha256_.result().toHex())
                                                     : fileDigest(part_.fileName(), kind);
    if (actual != metadata_.etag) {
        if (resumed_ && !restarted_whole_) {
            // The bytes kept from before may be the bad ones (a server that changed the file, or lied
            // about a range): one more try from byte 0 before calling the file corrupt.
            restarted_whole_ = true;
            resumed_ = false;
            if (!restartFromZero())
                return fail(QStringLiteral("%1: cannot write %2: %3").arg(model_name_, part_.fileName(), part_.errorString()));
            expected_ = metadata_.size;
            return request();
        }
        discardPart();
        return fail(QStringLiteral("%1 is corrupt: its %2 is %3, the Hub says %4; deleted it, try again")
                        .arg(source(), kind == EtagKind::Sha256 ? QStringLiteral("sha256") : QStringLiteral("git blob sha1"),
                             actual.isEmpty() ? QStringLiteral("unreadable") : actual, metadata_.etag));
    }
    part_.close();
    const QString blob = cache_.blobPath(metadata_.etag);
    std::error_code ec;
    std::filesystem::rename(part_.fileName().toStdString(), blob.toStdString(), ec);  // atomic, replaces
    if (ec)
        return fail(QStringLiteral("%1: cannot rename %2 to %3: %4")
                        .arg(model_name_, part_.fileName(), blob, QString::fromStdString(ec.message())));
    lock_.unlock();
    emit finished();
}

void BlobDownload::discardPart() {
    if (part_.isOpen()) part_.close();
    if (!part_.fileName().isEmpty()) QFile::remove(part_.fileName());
}

void BlobDownload::failLater(const QString& message) {
    QTimer::singleShot(0, this, [this, message] { fail(message); });
}

void BlobDownload::fail(const QString& message) {
    lock_poll_.stop();
    lock_watch_.stop();
    watchdog_.stop();
    if (part_.isOpen()) part_.close();
    lock_.unlock();
    emit failed(message);
}

}  // namespace levit::hub
