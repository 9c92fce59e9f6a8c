#include "arguments.h"

#include <cstdio>
#include <stdexcept>

namespace levit::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& options,
                     const std::set<std::string>& flags) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2), inline_value;
        const bool has_inline = name.find('=') != std::string::npos;
        if (has_inline) {
            inline_value = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (flags.count(name)) {
            if (has_inline) throw UsageError("option --" + name + " takes no value");
            flags_.insert(name);
        } else if (options.count(name)) {
            if (has_inline) {
                values_[name] = inline_value;
            } else {
                if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
                values_[name] = args[++i];
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

int Arguments::intValue(const std::string& name, int fallback, int min, int max) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    size_t used = 0;
    int v = 0;
    try {
        v = std::stoi(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != it->second.size() || it->second.empty())
        throw UsageError("--" + name + " expects a whole number (got '" + it->second + "')");
    if (v < min || v > max)
        throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                         " (got " + it->second + ")");
    return v;
}

double Arguments::doubleValue(const std::string& name, double fallback, double min, double max) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != it->second.size() || it->second.empty() || !(v >= min && v <= max))
    {
        char range[64];
        std::snprintf(range, sizeof(range), "%g to %g", min, max);
        throw UsageError("--" + name + " expects a number from " + range + " (got '" + it->second + "')");
    }
    return v;
}

}  // namespace levit::cli
