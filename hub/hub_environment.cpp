#include "hub_environment.h"

#include <QDir>
#include <QFile>

namespace levit::hub {

namespace {

// A token file is a few dozen bytes; anything far larger is not one.
constexpr qint64 kMaxTokenFileBytes = 4096;

bool isPrintableAscii(const QByteArray& text) {
    for (const char c : text)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

QByteArray readTokenFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.read(kMaxTokenFileBytes).trimmed();
}

}  // namespace

QString hubHomeDir() {
    const QString home = qEnvironmentVariable("HF_HOME");
    if (!home.isEmpty()) return QDir::cleanPath(home);
    const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
    return QDir::cleanPath((xdg.isEmpty() ? QDir::homePath() + "/.cache" : xdg) + "/huggingface");
}

QString hubCacheDir() {
    for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
        const QString dir = qEnvironmentVariable(name);
        if (!dir.isEmpty()) return QDir::cleanPath(dir);
    }
    return hubHomeDir() + "/hub";
}

QByteArray hubToken() {
    QByteArray token = qgetenv("HF_TOKEN").trimmed();
    if (token.isEmpty()) {
        const QString path = qEnvironmentVariable("HF_TOKEN_PATH");
        token = readTokenFile(path.isEmpty() ? hubHomeDir() + "/token" : path);
    }
    return isPrintableAscii(token) ? token : QByteArray();
}

QString hubEndpoint() {
    QString endpoint = qEnvironmentVariable("HF_ENDPOINT").trimmed();
    while (endpoint.endsWith('/')) endpoint.chop(1);
    return endpoint.isEmpty() ? QStringLiteral("https://huggingface.co") : endpoint;
}

bool hubOffline() {
    const QString value = qEnvironmentVariable("HF_HUB_OFFLINE").trimmed().toLower();
    return value == "1" || value == "true" || value == "yes" || value == "on";
}

}  // namespace levit::hub
