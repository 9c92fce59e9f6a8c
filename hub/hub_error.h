#pragma once
// What the hub code throws from its blocking entry points; the message is complete (model id, file,
// URL, HTTP status or network error) and meant to be shown as is.
#include <stdexcept>
#include <string>

#include <QString>

namespace levit::hub {

class HubError : public std::runtime_error {
public:
    explicit HubError(const QString& message) : std::runtime_error(message.toStdString()) {}
};

}  // namespace levit::hub
