#pragma once
// A request to the Hub with the headers every request carries, and the rule for the redirects it may follow.
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace levit::hub {

// identity encoding (byte ranges must mean bytes of the file) and a user agent. No Qt transfer timeout:
// TransferWatchdog enforces the speed rule, with a message that says what happened. The user's token
// (hubToken()) goes along as "Authorization: Bearer" only when `url` is on the Hub endpoint itself (same
// scheme, host and port as hubEndpoint()): a redirect to another host (the CDN) never gets it.
QNetworkRequest hubRequest(const QUrl& url);

// Whether hubRequest(url) carries the token: there is one and `url` is on the Hub endpoint.
bool sendsToken(const QUrl& url);

// What to do about a 401 or 403 from `url`, for messages: depends on whether a token went with the
// request, never contains it.
QString accessAdvice(const QUrl& url);

// Empty when a redirect from `from` to `to` may be followed, else why not: only http(s) targets, and never
// from https down to plain http.
QString redirectProblem(const QUrl& from, const QUrl& to);

}  // namespace levit::hub
