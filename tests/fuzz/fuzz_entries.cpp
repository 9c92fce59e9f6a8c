#include "fuzz_entries.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "levit/checkpoint.h"
#include "levit/config.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "levit/safetensors.h"
#include "media/image_decoder.h"
#include "restricted_unpickler.h"
#include "torch_checkpoint.h"
#include "zip_archive.h"

namespace levit::fuzz {

namespace fs = std::filesystem;

namespace {

// Readers that take a path get the input as a file in a per-process folder, in memory (/dev/shm) when
// the system has it: fuzzing writes it up to thousands of times a second.
const fs::path& scratchFolder() {
    static const fs::path folder = [] {
        std::error_code ec;
        fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
        fs::path dir = base / ("levit-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        return dir;
    }();
    return folder;
}

// A fresh, empty sub-folder of the scratch folder: loadCheckpoint looks at a weights file's neighbours
// (config.json), so what an earlier input left there must not leak into this one.
fs::path freshFolder(const char* name) {
    const fs::path dir = scratchFolder() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void writeFile(const fs::path& path, const uint8_t* data, size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    if (!out) throw std::runtime_error("fuzz harness: cannot write " + path.string());
}

std::string inputFile(const char* name, const uint8_t* data, size_t size) {
    const fs::path path = freshFolder("file") / name;
    writeFile(path, data, size);
    return path.string();
}

void runSafeTensors(const uint8_t* data, size_t size) {
    auto file = SafeTensorsFile::open(inputFile("model.safetensors", data, size));
    for (const TensorInfo& t : file->tensors())
        if (t.isFloating()) file->read(t.name);
}

// The ZIP reader alone: every listed entry is handed out.
void runZip(const uint8_t* data, size_t size) {
    ZipArchive zip(inputFile("archive.zip", data, size));
    for (const std::string& name : zip.names()) {
        const std::string_view bytes = zip.entry(name);
        volatile unsigned char sink = 0;
        for (size_t i = 0; i < bytes.size(); i += 4096) sink = sink + static_cast<unsigned char>(bytes[i]);
    }
}

// The restricted unpickler straight on the bytes (no ZIP around them), the densest way to reach it.
void runPickle(const uint8_t* data, size_t size) {
    readRestrictedPickle(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz data.pkl");
}

// torch.save's whole format: ZIP + data.pkl + storage records.
void runTorchCheckpoint(const uint8_t* data, size_t size) {
    readTorchCheckpoint(inputFile("pytorch_model.bin", data, size));
}

// One JSON text as both a config.json and a preprocessor_config.json.
void runConfigJson(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        Config::fromJson(text, "fuzz config.json");
    } catch (const Error&) {
    }
    Config config = Config::preset("128S");
    config.applyPreprocessorJson(text, "fuzz preprocessor_config.json");
}

void runNpy(const uint8_t* data, size_t size) {
    const NpyArray array = readNpy(inputFile("array.npy", data, size));
    const std::string& d = array.dtype;
    if (d == "f4" || d == "f8" || d == "u1" || d == "i8" || d == "i4") array.toFloat();
    if (d == "i8" || d == "i4" || d == "u1") array.toInt64();
}

// What the application does with a dropped file: decode, then the model's preprocessing. The first four
// bytes choose LevitImageProcessor's options (a preprocessor_config.json, through the same validation):
//   [0] bit 0 do_resize off, bit 1 do_center_crop off, bits 2-4 the PIL filter (mod 6), bit 5 a fixed
//       height x width resize instead of the shortest edge, bits 6-7 both set: the default 224-pixel options;
//   [1] the resize side, [2] the crop height, [3] the crop width, each 1 + byte % 64 (small sides keep the
//       instrumented resampling fast; the code paths are the same at 224).
void runImage(const uint8_t* data, size_t size) {
    if (size < 4) return;
    const uint8_t flags = data[0];
    const int side = 1 + data[1] % 64, crop_height = 1 + data[2] % 64, crop_width = 1 + data[3] % 64;
    data += 4;
    size -= 4;
    Config config = Config::preset("128S", 1);  // one label: building 1,000 default names cost a fifth of the time
    if ((flags & 0xc0) != 0xc0) {
        const std::string resize = (flags & 0x20) ? "{\"height\": " + std::to_string(side) + ", \"width\": " +
                                                        std::to_string(crop_width) + "}"
                                                  : "{\"shortest_edge\": " + std::to_string(side) + "}";
        const std::string json = std::string("{\"do_resize\": ") + ((flags & 1) ? "false" : "true") +
                                 ", \"do_center_crop\": " + ((flags & 2) ? "false" : "true") +
                                 ", \"resample\": " + std::to_string(((flags >> 2) & 7) % 6) + ", \"size\": " + resize +
                                 ", \"crop_size\": {\"height\": " + std::to_string(crop_height) +
                                 ", \"width\": " + std::to_string(crop_width) + "}}";
        config.applyPreprocessorJson(json, "fuzz preprocessor_config.json");
    }
    const ImageRGB8 image = media::decodeImageBytes(std::vector<uint8_t>(data, data + size), "fuzz image");
    const std::vector<float> pixels = preprocess(image, config.preprocess);
    const Size2 expected = preprocessedSize(image.height, image.width, config.preprocess);
    if (pixels.size() != size_t(3) * size_t(expected.height) * size_t(expected.width)) std::abort();
}

// Splits off a length-prefixed (4 bytes, little endian) part; false when the input is too short for it.
bool takePart(const uint8_t*& data, size_t& size, const uint8_t*& part, size_t& part_size) {
    if (size < 4) return false;
    const size_t n = size_t(data[0]) | size_t(data[1]) << 8 | size_t(data[2]) << 16 | size_t(data[3]) << 24;
    if (n > size - 4) return false;
    part = data + 4;
    part_size = n;
    data += 4 + n;
    size -= 4 + n;
    return true;
}

// The whole load, as `levit --model PATH` does it: loadModel on a single weights file (first byte even:
// safetensors, odd: a torch.save checkpoint) or on a folder. Folder inputs (first byte 2 or 3 mod 4):
// config.json and preprocessor_config.json as length-prefixed parts, then the weights (same parity rule).
void runCheckpoint(const uint8_t* data, size_t size) {
    if (size < 1) return;
    const uint8_t mode = data[0];
    ++data;
    --size;
    const char* weights_name = (mode & 1) ? "pytorch_model.bin" : "model.safetensors";
    if ((mode & 2) == 0) {
        loadModel(inputFile(weights_name, data, size));
        return;
    }
    const uint8_t *config = nullptr, *processor = nullptr;
    size_t config_size = 0, processor_size = 0;
    if (!takePart(data, size, config, config_size) || !takePart(data, size, processor, processor_size)) return;
    const fs::path folder = freshFolder("folder");
    writeFile(folder / "config.json", config, config_size);
    if (processor_size > 0) writeFile(folder / "preprocessor_config.json", processor, processor_size);
    writeFile(folder / weights_name, data, size);
    loadModel(folder.string());
}

}  // namespace

const std::vector<Harness>& harnesses() {
    static const std::vector<Harness> all = {
        {"safetensors", runSafeTensors}, {"zip", runZip},   {"pickle", runPickle}, {"torch_checkpoint", runTorchCheckpoint},
        {"config_json", runConfigJson},  {"npy", runNpy},   {"image", runImage},   {"checkpoint", runCheckpoint},
    };
    return all;
}

const Harness* findHarness(std::string_view name) {
    for (const Harness& h : harnesses())
        if (name == h.name) return &h;
    return nullptr;
}

}  // namespace levit::fuzz
