#include "hub_environment.h"

#include <QDir>

namespace levit::hub {

QString hubCacheDir() {
    for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
        const QString dir = qEnvironmentVariable(name);
        if (!dir.isEmpty()) return QDir::cleanPath(dir);
    }
    QString home = qEnvironmentVariable("HF_HOME");
    if (home.isEmpty()) {
        const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
        home = (xdg.isEmpty() ? QDir::homePath() + "/.cache" : xdg) + "/huggingface";
    }
    return QDir::cleanPath(home + "/hub");
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
