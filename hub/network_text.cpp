#include "network_text.h"

#include <QNetworkReply>

namespace levit::hub {

int httpStatus(QNetworkReply* reply) { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }

QString replyProblem(QNetworkReply* reply) {
    const int status = httpStatus(reply);
    // No reason phrase: HTTP/2 (what the Hub speaks) has none, and the same status reads the same way.
    if (status != 0) return QStringLiteral("HTTP %1").arg(status);
    return reply->errorString();
}

bool isTransient(QNetworkReply* reply) {
    const int status = httpStatus(reply);
    if (status != 0) return status >= 500 || status == 429;
    switch (reply->error()) {
        case QNetworkReply::NoError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::TooManyRedirectsError:
        case QNetworkReply::InsecureRedirectError:
            return false;
        default:
            return true;
    }
}

}  // namespace levit::hub
