#include "metadata_request.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include "content_check.h"
#include "hub_limits.h"
#include "hub_request.h"
#include "network_text.h"

namespace levit::hub {

namespace {

constexpr int kMaxAttempts = 3;

// An etag names a file in blobs/: accept only what the Hub sends (hex digests), never a path.
bool safeEtag(const QString& etag) {
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$"));
    return allowed.match(etag).hasMatch();
}

}  // namespace

MetadataRequest::MetadataRequest(QNetworkAccessManager* network, const QString& endpoint, const ModelId& model,
                                 const QString& revision, const QString& file, QObject* parent)
    : QObject(parent), network_(network), model_(model), file_(file),
      revision_(revision), first_url_(resolveUrl(endpoint, model.repo, revision, file)),
      watchdog_(this, QStringLiteral("no complete answer within %1 s")) {
    metadata_.file = file;
    connect(&watchdog_, &TransferWatchdog::tooSlow, this, [this](const QString& problem) {
        if (!reply_) return;
        abort_reason_ = problem;
        reply_->abort();  // onFinished follows and retries
    });
}

MetadataRequest::~MetadataRequest() { abort(); }

void MetadataRequest::start() {
    redirects_ = 0;
    ++attempts_;
    send(first_url_);
}

void MetadataRequest::abort() {
    watchdog_.stop();
    if (!reply_) return;
    reply_->disconnect(this);
    reply_->abort();
    reply_->deleteLater();
}

void MetadataRequest::send(const QUrl& url) {
    QNetworkRequest request = hubRequest(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    abort_reason_.clear();
    reply_ = network_->head(request);
    connect(reply_, &QNetworkReply::finished, this, &MetadataRequest::onFinished);
    watchdog_.start();  // a HEAD has no body: the whole answer must come within one window
}

void MetadataRequest::onFinished() {
    QNetworkReply* reply = reply_;
    if (!reply) return;
    watchdog_.stop();
    reply->deleteLater();
    reply_ = nullptr;
    const QUrl url = reply->url();
    const int status = httpStatus(reply);
    const QString where = QStringLiteral("%1 (%2)").arg(file_, url.toString());

    if (status >= 300 && status < 400) {
        const QUrl location(QString::fromUtf8(reply->rawHeader("Location")));
        if (location.isEmpty()) return fail(MetadataFailure::Other, QStringLiteral("%1: %2: HTTP %3 without a Location header").arg(model_.display(), where).arg(status));
        if (location.isRelative() && location.host().isEmpty()) {
            if (++redirects_ > kMaxRedirects)
                return fail(MetadataFailure::Other, QStringLiteral("%1: %2: more than %3 redirects").arg(model_.display(), where).arg(kMaxRedirects));
            return send(url.resolved(location));
        }
        const QUrl target = url.resolved(location);
        const QString problem = redirectProblem(url, target);
        if (!problem.isEmpty()) return fail(MetadataFailure::Other, QStringLiteral("%1: %2: %3").arg(model_.display(), where, problem));
        metadata_.download_url = target;  // the CDN: the bytes are there, the metadata here
    } else if (status >= 200 && status < 300) {
        metadata_.download_url = url;
    } else {
        if (isTransient(reply) && attempts_ < kMaxAttempts) {
            QTimer::singleShot(300 * attempts_, this, &MetadataRequest::start);
            return;
        }
        const QByteArray code = reply->rawHeader("X-Error-Code");
        const QString problem = abort_reason_.isEmpty() ? replyProblem(reply) : abort_reason_;
        if (code == "GatedRepo" || status == 403)
            return fail(MetadataFailure::Other, QStringLiteral("model %1 is gated or private: %2 answered %3; %4")
                                                    .arg(model_.repo, url.toString(), problem, accessAdvice(url)));
        if (code == "RepositoryNotFound" || (status == 401 && code.isEmpty()))
            return fail(MetadataFailure::RepositoryNotFound, QStringLiteral("model %1 not found: %2 answered %3 (check the id; if the model is private or gated, %4)")
                                                                 .arg(model_.repo, url.toString(), problem, accessAdvice(url)));
        if (code == "RevisionNotFound")
            return fail(MetadataFailure::RevisionNotFound, QStringLiteral("%1 has no revision '%2': %3 answered %4")
                                                               .arg(model_.repo, model_.revision, url.toString(), problem));
        if (status == 404)
            return fail(MetadataFailure::FileNotFound, QStringLiteral("%1 has no file %2: %3 answered %4")
                                                           .arg(model_.display(), file_, url.toString(), problem));
        if (status == 0)
            return fail(MetadataFailure::Other, QStringLiteral("%1: cannot reach %2: %3").arg(model_.display(), url.toString(), problem));
        return fail(MetadataFailure::Other, QStringLiteral("%1: %2: %3").arg(model_.display(), where, problem));
    }

    metadata_.commit = QString::fromLatin1(reply->rawHeader("X-Repo-Commit")).trimmed();
    const QByteArray linked_etag = reply->rawHeader("X-Linked-Etag");
    metadata_.etag = normalizeEtag(linked_etag.isEmpty() ? reply->rawHeader("ETag") : linked_etag);
    // The size is X-Linked-Size; Content-Length only when the answer is the file itself: a redirect's own
    // length (its empty body) says nothing about the file behind it.
    const QByteArray linked_size = reply->rawHeader("X-Linked-Size");
    const bool redirected = status >= 300 && status < 400;
    bool ok = false;
    const qint64 size = (linked_size.isEmpty() && !redirected ? reply->rawHeader("Content-Length") : linked_size).toLongLong(&ok);
    metadata_.size = ok && size >= 0 ? size : -1;
    if (!isCommitHash(metadata_.commit))
        return fail(MetadataFailure::Other, QStringLiteral("%1: %2: no commit hash in the answer (X-Repo-Commit); is %3 a Hugging Face Hub?")
                                                .arg(model_.display(), where, first_url_.adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toString()));
    if (status >= 200 && status < 300 && !isCommitHash(revision_)) {
        // The bytes are fetched at the commit the answer named, not at the branch: a branch that moves
        // between this HEAD and the GET would otherwise give content of another commit than the ETag's.
        const QString branch_part = "/resolve/" + QString::fromLatin1(QUrl::toPercentEncoding(revision_)) + "/";
        QString path = url.path(QUrl::FullyEncoded);
        const qsizetype at = path.indexOf(branch_part);
        if (at >= 0) {
            path.replace(at, branch_part.size(), "/resolve/" + metadata_.commit + "/");
            metadata_.download_url.setPath(path, QUrl::StrictMode);
        }
    }
    if (!safeEtag(metadata_.etag) || etagKind(metadata_.etag) == EtagKind::Unverifiable)
        return fail(MetadataFailure::Other,
                    QStringLiteral("%1: %2: no usable ETag in the answer (got '%3'; expected a sha256 or a git blob sha1 to check the file against)")
                        .arg(model_.display(), where, metadata_.etag.left(80)));
    emit finished();
}

void MetadataRequest::fail(MetadataFailure kind, const QString& message) { emit failed(kind, message); }

}  // namespace levit::hub
