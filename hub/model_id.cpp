#include "model_id.h"

#include <QRegularExpression>

#include "hub_error.h"

namespace levit::hub {

namespace {

// The Hub's repo names: letters, digits, '-', '_', '.'; no "--" or ".." (they would be ambiguous in the
// cache folder name models--org--name), not starting or ending with '-' or '.'.
bool validRepoPart(const QString& part) {
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$"));
    return allowed.match(part).hasMatch() && !part.contains("--") && !part.contains("..");
}

bool validRevision(const QString& revision) {
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._/-]{1,255}$"));
    return allowed.match(revision).hasMatch() && !revision.contains("..") && !revision.startsWith('/') &&
           !revision.endsWith('/');
}

}  // namespace

bool isCommitHash(const QString& revision) {
    static const QRegularExpression hex40(QStringLiteral("^[0-9a-f]{40}$"));
    return hex40.match(revision).hasMatch();
}

bool looksLikeModelId(const QString& text) {
    const QString repo = text.section('@', 0, 0);
    const QString revision = text.contains('@') ? text.section('@', 1) : QStringLiteral("main");
    const QStringList parts = repo.split('/');
    return parts.size() == 2 && validRepoPart(parts[0]) && validRepoPart(parts[1]) && validRevision(revision);
}

ModelId parseModelId(const QString& text, const QString& revision) {
    const QString trimmed = text.trimmed();
    if (!looksLikeModelId(trimmed))
        throw HubError(QStringLiteral("'%1' is not a Hugging Face model id (expected org/name or org/name@revision)")
                           .arg(text));
    ModelId id;
    id.repo = trimmed.section('@', 0, 0);
    if (trimmed.contains('@')) id.revision = trimmed.section('@', 1);
    if (!revision.trimmed().isEmpty()) {
        if (!validRevision(revision.trimmed()))
            throw HubError(QStringLiteral("'%1' is not a valid revision (a branch, tag or commit hash)").arg(revision));
        id.revision = revision.trimmed();
    }
    return id;
}

}  // namespace levit::hub
