#include "media/image_folder.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "levit/error.h"
#include "media/image_decoder.h"

namespace levit::media {

namespace fs = std::filesystem;

namespace {

// Folder scans are bounded: a data set for fine-tuning in the window or the CLI, not a crawl.
constexpr size_t kMaxClasses = 100000;
constexpr size_t kMaxImages = 1000000;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

}  // namespace

ImageFolderListing listImageFolder(const std::string& dir, const std::vector<std::string>* expected) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a folder (expected one sub-folder of images per class)");
    ImageFolderListing listing;
    std::vector<fs::path> class_dirs;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_directory(ec) && entry.path().filename().string().front() != '.') class_dirs.push_back(entry.path());
        if (class_dirs.size() > kMaxClasses) throw Error(dir + ": more than " + std::to_string(kMaxClasses) + " class folders");
    }
    if (ec) throw Error(dir + ": cannot list the folder (" + ec.message() + ")");
    std::sort(class_dirs.begin(), class_dirs.end());
    if (class_dirs.empty()) throw Error(dir + ": no class sub-folders (expected DIR/<class>/<images>)");
    for (const fs::path& c : class_dirs) listing.classes.push_back(c.filename().string());
    if (expected && *expected != listing.classes)
        throw Error(dir + ": its classes (" + std::to_string(listing.classes.size()) + " folders) are not the model's " +
                    std::to_string(expected->size()) + " classes in the same order");
    std::set<std::string> extensions;
    for (const std::string& e : supportedImageExtensions()) extensions.insert("." + e);
    for (size_t label = 0; label < class_dirs.size(); ++label) {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(class_dirs[label], ec)) {
            if (!entry.is_regular_file(ec)) continue;
            if (!extensions.count(lower(entry.path().extension().string()))) {
                ++listing.skipped_other_files;
                continue;
            }
            files.push_back(entry.path());
        }
        if (files.empty()) throw Error(class_dirs[label].string() + ": the class folder holds no readable image");
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            if (listing.files.size() >= kMaxImages) throw Error(dir + ": more than " + std::to_string(kMaxImages) + " images");
            listing.files.push_back({file.string(), int(label)});
        }
    }
    return listing;
}

ImageFolder loadImageFolder(const std::string& dir, const std::vector<std::string>* expected) {
    const ImageFolderListing listing = listImageFolder(dir, expected);
    ImageFolder folder;
    folder.classes = listing.classes;
    folder.skipped_other_files = listing.skipped_other_files;
    std::vector<size_t> decoded(listing.classes.size(), 0);
    for (const ImageFolderListing::File& file : listing.files) {
        try {
            folder.images.push_back({decodeImageFile(file.path), file.label, file.path});
            ++decoded[size_t(file.label)];
        } catch (const Error& e) {
            folder.unreadable.push_back(e.what());
        }
    }
    for (size_t label = 0; label < decoded.size(); ++label)
        if (decoded[label] == 0)
            throw Error((fs::path(dir) / listing.classes[label]).string() + ": the class folder holds no readable image");
    return folder;
}

}  // namespace levit::media
