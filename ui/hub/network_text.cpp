#include "network_text.h"

#include <QNetworkReply>

namespace levit::hub {

int httpStatus(QNetworkReply* reply) { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }

QString replyProblem(QNetworkReply* reply) {
    const int status = httpStatus(reply);
    if (status != 0) {
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        return reason.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
    }
    return reply->errorString();
}

bool isTransient(QNetworkReply* reply) {
    const int status = httpStatus(reply);
    if (status != 0) return status >= 500 || status == 429;
    switch (reply->error()) {
        case QNetworkReply::NoError:
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::SslHandshakeFailedError:
            return false;
        default:
            return true;
    }
}

}  // namespace levit::hub
