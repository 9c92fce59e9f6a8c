#include "file_metadata.h"

namespace levit::hub {

QUrl resolveUrl(const QString& endpoint, const QString& repo, const QString& revision, const QString& file) {
    const QString encoded_revision = QString::fromLatin1(QUrl::toPercentEncoding(revision));
    QStringList file_parts;
    for (const QString& part : file.split('/')) file_parts << QString::fromLatin1(QUrl::toPercentEncoding(part));
    return QUrl(endpoint + "/" + repo + "/resolve/" + encoded_revision + "/" + file_parts.join('/'),
                QUrl::StrictMode);
}

QString normalizeEtag(const QByteArray& header) {
    QString etag = QString::fromLatin1(header).trimmed();
    if (etag.startsWith(QLatin1String("W/"))) etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"')) etag = etag.mid(1, etag.size() - 2);
    return etag;
}

}  // namespace levit::hub
