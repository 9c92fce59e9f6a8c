#include "content_check.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>

namespace levit::hub {

EtagKind etagKind(const QString& etag) {
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    static const QRegularExpression hex40(QStringLiteral("^[0-9a-f]{40}$"));
    if (hex64.match(etag).hasMatch()) return EtagKind::Sha256;
    if (hex40.match(etag).hasMatch()) return EtagKind::GitBlobSha1;
    return EtagKind::Unverifiable;
}

QString fileDigest(const QString& path, EtagKind kind) {
    if (kind == EtagKind::Unverifiable) return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(kind == EtagKind::Sha256 ? QCryptographicHash::Sha256 : QCryptographicHash::Sha1);
    if (kind == EtagKind::GitBlobSha1) {
        QByteArray header = "blob " + QByteArray::number(file.size());
        header.append('\0');
        hash.addData(header);
    }
    if (!hash.addData(&file)) return {};
    return QString::fromLatin1(hash.result().toHex());
}

QString contentProblem(const QString& path, const QString& etag) {
    const EtagKind kind = etagKind(etag);
    if (kind == EtagKind::Unverifiable) return QStringLiteral("its ETag '%1' is neither a sha256 nor a git blob sha1").arg(etag);
    const QString actual = fileDigest(path, kind);
    if (actual.isEmpty()) return QStringLiteral("cannot read it");
    if (actual == etag) return {};
    return QStringLiteral("its %1 is %2, the Hub says %3")
        .arg(kind == EtagKind::Sha256 ? QStringLiteral("sha256") : QStringLiteral("git blob sha1"), actual, etag);
}

}  // namespace levit::hub
