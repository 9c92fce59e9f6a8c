#include "hub_request.h"

#include "hub_environment.h"

namespace levit::hub {

namespace {

int portOf(const QUrl& url) {
    const QString scheme = url.scheme().toLower();
    return url.port(scheme == QLatin1String("https") ? 443 : scheme == QLatin1String("http") ? 80 : -1);
}

// Same scheme, host and port: the origin a credential is scoped to, as browsers scope cookies.
bool sameOrigin(const QUrl& a, const QUrl& b) {
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           portOf(a) == portOf(b);
}

}  // namespace

bool sendsToken(const QUrl& url) { return sameOrigin(url, QUrl(hubEndpoint())) && !hubToken().isEmpty(); }

QString accessAdvice(const QUrl& url) {
    if (sendsToken(url))
        return QStringLiteral("the token sent (from HF_TOKEN or the huggingface-cli login token file) has no access to it: accept its "
                              "terms on the Hub with the account the token belongs to, or use another token");
    return QStringLiteral("accept its terms on the Hub and set HF_TOKEN or run huggingface-cli login");
}

QNetworkRequest hubRequest(const QUrl& url) {
    QNetworkRequest request(url);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("levit-lens/" LEVIT_HUB_VERSION " (Qt)"));
    if (sameOrigin(url, QUrl(hubEndpoint()))) {
        const QByteArray token = hubToken();
        if (!token.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token);
    }
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
