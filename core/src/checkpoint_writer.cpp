#include "levit/checkpoint_writer.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "levit/error.h"

namespace levit {

namespace fs = std::filesystem;

namespace {

bool isBatchNorm(const std::string& name) { return name.find(".batch_norm.running_mean") != std::string::npos; }

// safetensors with F32 tensors and the I64 scalars num_batches_tracked that torch's BatchNorm keeps.
void writeStateDict(const fs::path& path, const std::map<std::string, Tensor>& tensors, const std::vector<std::string>& counters) {
    nlohmann::json header = nlohmann::json::object();
    header["__metadata__"] = {{"format", "pt"}};
    size_t offset = 0;
    std::map<std::string, const Tensor*> ordered;
    for (const auto& [name, t] : tensors) ordered[name] = &t;
    for (const auto& [name, t] : ordered) {
        const size_t bytes = t->values.size() * sizeof(float);
        header[name] = {{"dtype", "F32"}, {"shape", t->shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    for (const std::string& name : counters) {
        header[name] = {{"dtype", "I64"}, {"shape", nlohmann::json::array()}, {"data_offsets", {offset, offset + 8}}};
        offset += 8;
    }
    std::string text = header.dump();
    while ((text.size() + 8) % 8 != 0) text += ' ';  // the data section starts 8-byte aligned
    std::ofstream out(path, std::ios::binary);
    const uint64_t length = text.size();
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(length >> (8 * i));
    out.write(reinterpret_cast<const char*>(le), 8);
    out.write(text.data(), std::streamsize(text.size()));
    for (const auto& [name, t] : ordered)
        out.write(reinterpret_cast<const char*>(t->values.data()), std::streamsize(t->values.size() * sizeof(float)));
    const char zero[8] = {};
    for (size_t i = 0; i < counters.size(); ++i) out.write(zero, 8);
    out.flush();
    if (!out) throw Error(path.string() + ": cannot write");
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw Error(path.string() + ": cannot write");
}

}  // namespace

std::string preprocessorJson(const PreprocessConfig& p) {
    nlohmann::json size = p.resize_height > 0 ? nlohmann::json{{"height", p.resize_height}, {"width", p.resize_width}}
                                              : nlohmann::json{{"shortest_edge", p.shortest_edge}};
    const nlohmann::json j = {{"image_processor_type", "LevitImageProcessor"},
                              {"do_resize", p.do_resize},
                              {"size", size},
                              {"resample", p.resample},
                              {"do_center_crop", p.do_center_crop},
                              {"crop_size", {{"height", p.crop_height}, {"width", p.crop_width}}},
                              {"do_rescale", p.do_rescale},
                              {"rescale_factor", p.rescale_factor},
                              {"do_normalize", p.do_normalize},
                              {"image_mean", {p.image_mean[0], p.image_mean[1], p.image_mean[2]}},
                              {"image_std", {p.image_std[0], p.image_std[1], p.image_std[2]}}};
    return j.dump(2) + "\n";
}

void writeHuggingFaceModel(const std::string& dir, const Config& config, const std::map<std::string, Tensor>& weights,
                           bool single_head, const std::map<std::string, std::string>& extra_files) {
    const fs::path target = fs::absolute(dir);
    std::error_code ec;
    if (fs::exists(target, ec)) throw Error(dir + ": already exists (choose a new folder; nothing was overwritten)");
    const fs::path parent = target.parent_path();
    if (!fs::is_directory(parent, ec)) throw Error(dir + ": the folder " + parent.string() + " does not exist");
    std::random_device random;
    // Appended piece by piece: GCC 12 reports a false -Wrestrict for "." + std::string temporaries.
    std::string hidden = ".";
    hidden += target.filename().string();
    hidden += ".incomplete-";
    hidden += std::to_string(random());
    const fs::path temporary = parent / hidden;
    if (!fs::create_directory(temporary, ec)) throw Error(dir + ": cannot create a folder in " + parent.string() + " (" + ec.message() + ")");
    try {
        std::map<std::string, Tensor> state;
        std::vector<std::string> counters;
        for (const auto& [name, t] : weights) {
            if (single_head && name.rfind("classifier_distill.", 0) == 0) continue;
            state[name] = t;
            if (isBatchNorm(name))
                counters.push_back(name.substr(0, name.size() - std::strlen("running_mean")) + "num_batches_tracked");
        }
        writeStateDict(temporary / "model.safetensors", state, counters);
        nlohmann::json j = nlohmann::json::parse(config.toJson());
        j["architectures"] = {single_head ? "LevitForImageClassification" : "LevitForImageClassificationWithTeacher"};
        writeText(temporary / "config.json", j.dump(2) + "\n");
        writeText(temporary / "preprocessor_config.json", preprocessorJson(config.preprocess));
        for (const auto& [name, text] : extra_files) writeText(temporary / name, text);
        fs::rename(temporary, target, ec);
        if (ec) throw Error(dir + ": cannot move the finished model into place (" + ec.message() + ")");
    } catch (...) {
        fs::remove_all(temporary, ec);
        throw;
    }
}

}  // namespace levit
