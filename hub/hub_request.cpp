#include "hub_request.h"

namespace levit::hub {

QNetworkRequest hubRequest(const QUrl& url) {
    QNetworkRequest request(url);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("levit-lens/" LEVIT_HUB_VERSION " (Qt)"));
    return request;
}

QString redirectProblem(const QUrl& from, const QUrl& to) {
    const QString scheme = to.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("the server redirects to %1; only http and https redirects are followed").arg(to.toString());
    if (from.scheme().toLower() == QLatin1String("https") && scheme == QLatin1String("http"))
        return QStringLiteral("the server redirects from https down to plain http (%1); refused").arg(to.toString());
    return {};
}

}  // namespace levit::hub
