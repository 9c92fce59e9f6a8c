#pragma once
// What the Hub says about one file of one revision, read from the headers of a HEAD request on its
// resolve URL, as huggingface_hub reads them.
#include <QString>
#include <QUrl>
#include <QtGlobal>

namespace levit::hub {

struct FileMetadata {
    QString file;        // "model.safetensors"
    QString commit;      // X-Repo-Commit: the commit the revision resolved to
    QString etag;        // X-Linked-Etag, else ETag, without quotes or W/: sha256 for LFS files, git sha1 else
                         // (content_check.h checks the bytes against it)
    qint64 size = -1;    // X-Linked-Size, else Content-Length of a non-redirect answer; -1 when absent
    QUrl download_url;   // where the bytes are: the CDN redirect's target, else the resolve URL at `commit`
};

// Why a HEAD request found no metadata.
enum class MetadataFailure {
    FileNotFound,        // the repository and revision exist, this file does not (404, EntryNotFound)
    RepositoryNotFound,  // 401/404 with X-Error-Code RepositoryNotFound (the Hub hides private repos)
    RevisionNotFound,
    Other,               // any other HTTP status, a network error, or headers missing
};

// `{endpoint}/{repo}/resolve/{revision}/{file}` with the revision percent-encoded ("refs/pr/1").
QUrl resolveUrl(const QString& endpoint, const QString& repo, const QString& revision, const QString& file);

// Strips W/ and quotes from an ETag header value.
QString normalizeEtag(const QByteArray& header);

}  // namespace levit::hub
