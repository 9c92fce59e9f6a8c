#pragma once
// Short, readable descriptions of what a network reply ended with, for error messages.
#include <QString>

class QNetworkReply;

namespace levit::hub {

// "HTTP 503", or the network error ("Connection refused") when there was no answer.
QString replyProblem(QNetworkReply* reply);
int httpStatus(QNetworkReply* reply);  // 0 when no HTTP answer came
// Transient: worth another try (network errors, timeouts, 5xx, 429). A transfer timeout ends as
// OperationCanceledError, so that counts too: our own aborts disconnect from the reply first.
bool isTransient(QNetworkReply* reply);

}  // namespace levit::hub
