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
int runGrad(const std::vector<std::string>& args);
int runExplain(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);

class Arguments;

// The model folder or file the command runs on: `--model` when it is an existing path; a Hugging Face id
// (org/name[@revision], or --revision) from the cache, downloaded first when missing (a progress line on
// stderr); the bundled default model without --model.
std::string resolveModelPath(const Arguments& args);

}  // namespace levit::cli
