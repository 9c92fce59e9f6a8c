#include "hub_request.h"

namespace levit::hub {

namespace {
constexpr int kTransferTimeoutMs = 30000;
}

QNetworkRequest hubRequest(const QUrl& url) {
    QNetworkRequest request(url);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("levit-lens/" LEVIT_HUB_VERSION " (Qt)"));
    request.setTransferTimeout(kTransferTimeoutMs);
    return request;
}

}  // namespace levit::hub
