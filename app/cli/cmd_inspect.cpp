// levit inspect: what a checkpoint is — its config, parameter count and FLOPs per stage.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "levit/checkpoint.h"

namespace levit::cli {

int runInspect(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision"}, {"json"});
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    const std::string path = resolveModelPath(a);
    const LoadedCheckpoint ck = loadCheckpoint(path);
    const Model model(ck.config, ck.weights, ck.weights_path);
    const Config& c = model.config();
    const ModelSummary s = model.summary();
    const auto resolutions = c.stageResolutions();

    std::vector<std::string> stage_names{"patch_embedding"};
    for (int i = 0; i < c.numStages(); ++i) stage_names.push_back("stage" + std::to_string(i));
    stage_names.push_back("heads");

    if (a.has("json")) {
        nlohmann::json stages = nlohmann::json::array();
        for (size_t i = 0; i < stage_names.size(); ++i)
            stages.push_back({{"name", stage_names[i]}, {"gflops", s.stage_gflops[i]}});
        nlohmann::json blocks = nlohmann::json::array();
        for (const AttentionBlockInfo& b : model.attentionBlocks())
            blocks.push_back({{"name", b.name}, {"heads", b.heads}, {"key_dim", b.key_dim}, {"value_dim", b.value_dim},
                              {"resolution_in", b.resolution_in}, {"resolution_out", b.resolution_out}});
        const nlohmann::json out = {{"model", path},
                                    {"weights", ck.weights_path},
                                    {"format", ck.description},
                                    {"name", c.name},
                                    {"image_size", c.image_size},
                                    {"hidden_sizes", c.hidden_sizes},
                                    {"depths", c.depths},
                                    {"num_attention_heads", c.num_attention_heads},
                                    {"key_dim", c.key_dim},
                                    {"token_grids", resolutions},
                                    {"num_labels", c.numLabels()},
                                    {"parameters", s.parameters},
                                    {"gflops", s.total_gflops},
                                    {"stages", stages},
                                    {"attention_blocks", blocks}};
        std::cout << out.dump() << "\n";
        return 0;
    }
    auto list = [](const std::vector<int>& v) {
        std::string out;
        for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
        return "[" + out + "]";
    };
    std::printf("model        %s\n", path.c_str());
    std::printf("weights      %s (%s)\n", ck.weights_path.c_str(), ck.description.c_str());
    std::printf("variant      %s\n", c.name.empty() ? "custom" : c.name.c_str());
    std::printf("input        3 x %d x %d\n", c.image_size, c.image_size);
    std::printf("hidden sizes %s\n", list(c.hidden_sizes).c_str());
    std::printf("depths       %s\n", list(c.depths).c_str());
    std::printf("heads        %s\n", list(c.num_attention_heads).c_str());
    std::printf("key dims     %s\n", list(c.key_dim).c_str());
    std::printf("token grids  %s\n", list(resolutions).c_str());
    std::printf("labels       %d (%s%s)\n", c.numLabels(), c.id2label.empty() ? "" : c.id2label[0].c_str(),
                c.numLabels() > 1 ? ", ..." : "");
    std::printf("parameters   %lld (%.2f M)\n", static_cast<long long>(s.parameters), s.parameters / 1e6);
    std::printf("GFLOPs/image %.4f\n", s.total_gflops);
    for (size_t i = 0; i < stage_names.size(); ++i)
        std::printf("  %-16s %.4f GFLOPs\n", stage_names[i].c_str(), s.stage_gflops[i]);
    std::printf("attention blocks\n");
    for (const AttentionBlockInfo& b : model.attentionBlocks())
        std::printf("  %-38s %2d heads, key dim %d, %dx%d -> %dx%d\n", b.name.c_str(), b.heads, b.key_dim,
                    b.resolution_in, b.resolution_in, b.resolution_out, b.resolution_out);
    return 0;
}

}  // namespace levit::cli
