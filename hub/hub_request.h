#pragma once
// A request to the Hub with the headers every request carries, and the rule for the redirects it may follow.
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace levit::hub {

// identity encoding (byte ranges must mean bytes of the file) and a user agent. No Qt transfer timeout:
// TransferWatchdog enforces the speed rule, with a message that says what happened.
QNetworkRequest hubRequest(const QUrl& url);

// Empty when a redirect from `from` to `to` may be followed, else why not: only http(s) targets, and never
// from https down to plain http.
QString redirectProblem(const QUrl& from, const QUrl& to);

}  // namespace levit::hub
