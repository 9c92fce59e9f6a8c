// levit: the engine from the command line. Thin: dispatch to a sub-command, turn errors into one line
// on stderr and an exit code (1 = the work failed, 2 = the command line was wrong).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.h"
#include "commands.h"
#include "levit/error.h"
#include "one_line.h"

namespace {

constexpr const char* kUsage = R"(levit — the LeViT Lens engine on the command line

usage:
  levit classify   [--model PATH] [--top-k K] [--threads T] [--json] IMAGE...
  levit classify   [--model PATH] --pixel-values FILE.npy [--top-k K] [--json]   # [N,3,S,S] float32
  levit preprocess [--model PATH] IMAGE --out FILE.npy                          # writes [1,3,S,S] float32
  levit inspect    [--model PATH] [--json]                                      # config, parameters, FLOPs
  levit bench      [--model PATH | --variant V] [--batch B] [--threads T] [--warmup W] [--runs R] [--bf16] [--train] [--layers] [--json]
                   # --variant 128S|128|192|256|384: that shape, random weights; --bf16: bfloat16 linear layers;
                   # --train: one fine-tuning step (forward, backward, AdamW) instead of inference
  levit eval       [--model PATH] --fashion-mnist [--data-dir DIR] [--limit N] [--json]
  levit train      [--model BASE] --data DIR [--val DIR | --val-split F] --out OUTDIR [--train head|last-stage|all]
                   [--epochs N] [--batch B] [--lr X] [--teacher PATH] [--seed S] [--threads T] [--json]
                   [--optimizer adamw|sgd] [--weight-decay X] [--label-smoothing X] [--warmup-epochs X]
                   [--min-crop F] [--jitter X] [--no-crop] [--flip] [--no-augment]
  levit grad       [--model PATH] --pixel-values X.npy --labels Y.npy [--distillation-labels Z.npy] --out DIR
                   # loss.json, grad_pixel_values.npy, grads/<state-dict name>.npy (BatchNorm in eval mode)
  levit explain    [--model PATH] --method token|gradcam|gradient|gradient-x-input|integrated-gradients|occlusion|rollout
                   [--head cls|distillation|mean] [--class K] [--stage S] [--steps N] [--baseline black|blurred]
                   [--raw] [--threads T] (IMAGE... | --pixel-values X.npy) --out DIR [--json]
                   # DIR/<name>.<method>.npy (float32 [S,S]; --raw with gradient: [3,S,S] d logit/d pixels) and .png;
                   # class: default the head's top-1; stage (gradcam): 1..stages, default the last; --json: one
                   # object per input with deletion/insertion AUC (RISE), the same for a random map, and ms
                   # (token: also tokens, bias, logit)

PATH is a model folder (config.json + model.safetensors or pytorch_model.bin) or a weights file: .safetensors,
or .bin/.pth/.pt from torch.save (read without Python; nothing in it is executed). Hugging Face, timm and
facebookresearch/LeViT parameter names are recognised; without a config.json beside it the config is inferred
from the tensor shapes (1000 classes get the ImageNet-1k names). Without --model the bundled model is used.
--model ORG/NAME[@REVISION] (or --revision REV) takes a Hugging Face model id, e.g. facebook/levit-128S:
it is read from the Hugging Face cache ($HF_HOME/hub), downloaded there first when missing (HF_ENDPOINT,
HF_HUB_OFFLINE=1 and HF_HUB_CACHE are honoured as by huggingface_hub). Private and gated models need a token:
HF_TOKEN, else the file huggingface-cli login writes (HF_TOKEN_PATH, else $HF_HOME/token); it is sent to
HF_ENDPOINT only, never to another host a download is redirected to. A transfer slower than
LEVIT_HUB_MIN_SPEED bytes/s (default 1024) over LEVIT_HUB_SPEED_WINDOW seconds (default 30) is aborted.
)";

// Results that never reached their destination (a full disk, a closed pipe) are a failure, not exit 0.
int checkedExit(int code, const std::string& command) {
    errno = 0;
    std::cout.flush();
    const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
    if (!failed) return code;
    const int error = errno;
    std::cerr << "levit " << command << ": error: cannot write the output to stdout"
              << (error ? std::string(" (") + std::strerror(error) + ")" : std::string()) << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : checkedExit(0, "--help");
    }
    if (args[0] == "--version") {
        std::cout << "levit " << LEVIT_VERSION << "\n";
        return checkedExit(0, "--version");
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (command == "classify") return checkedExit(levit::cli::runClassify(rest), command);
        if (command == "preprocess") return checkedExit(levit::cli::runPreprocess(rest), command);
        if (command == "inspect") return checkedExit(levit::cli::runInspect(rest), command);
        if (command == "bench") return checkedExit(levit::cli::runBench(rest), command);
        if (command == "eval") return checkedExit(levit::cli::runEval(rest), command);
        if (command == "explain") return checkedExit(levit::cli::runExplain(rest), command);
        if (command == "grad") return checkedExit(levit::cli::runGrad(rest), command);
        if (command == "train") return checkedExit(levit::cli::runTrain(rest), command);
        std::cerr << "levit: unknown command '" << levit::cli::oneLine(command) << "' (try levit --help)\n";
        return 2;
    } catch (const levit::cli::UsageError& e) {
        std::cerr << "levit " << levit::cli::oneLine(command) << ": " << levit::cli::oneLine(e.what()) << " (try levit --help)\n";
        return 2;
    } catch (const levit::Error& e) {
        std::cerr << "levit " << command << ": error: " << levit::cli::oneLine(e.what()) << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "levit " << command << ": error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "levit " << command << ": error: " << levit::cli::oneLine(e.what()) << "\n";
        return 1;
    }
}
