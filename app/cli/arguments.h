#pragma once
// A small, strict argument parser: --name VALUE options, --flag switches and positional values.
// Unknown options are an error (a typo should not be silently ignored).
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace levit::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Arguments {
public:
    // `options` take a value, `flags` do not. Throws UsageError.
    Arguments(const std::vector<std::string>& args, const std::set<std::string>& options,
              const std::set<std::string>& flags);

    bool has(const std::string& name) const { return values_.count(name) || flags_.count(name); }
    std::string value(const std::string& name, const std::string& fallback = "") const;
    int intValue(const std::string& name, int fallback, int min, int max) const;
    double doubleValue(const std::string& name, double fallback, double min, double max) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

}  // namespace levit::cli
