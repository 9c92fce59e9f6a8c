#pragma once
// The `levit` command-line tool: one function per sub-command. Each takes the arguments after the
// sub-command name, prints results on stdout and one clear error line on stderr, and returns the exit code.
#include <string>
#include <vector>

namespace levit::cli {

int runClassify(const std::vector<std::string>& args);
int runPreprocess(const std::vector<std::string>& args);
int runInspect(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);

// `--model` value, or the bundled default model when it is empty.
std::string resolveModelPath(const std::string& model_arg);

}  // namespace levit::cli
