#pragma once
// The one exception type of the engine. Its message names the file, tensor or field and what was expected,
// so that the CLI and the GUI can show it to a user as it is.
#include <stdexcept>
#include <string>

namespace levit {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace levit
