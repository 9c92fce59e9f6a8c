#pragma once
// A request to the Hub with the headers every request carries.
#include <QNetworkRequest>

namespace levit::hub {

// identity encoding (byte ranges must mean bytes of the file), a user agent, a transfer timeout so a
// stalled connection ends in an error that is retried.
QNetworkRequest hubRequest(const QUrl& url);

}  // namespace levit::hub
