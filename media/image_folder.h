#pragma once
// A labelled image collection in ImageFolder layout (torchvision's): DIR/<class name>/<image files>. The
// sub-folders, sorted by name, are the classes; their files are decoded in name order. Files that are not
// images (by extension) and images that cannot be decoded are skipped and counted, never silently dropped.
#include <string>
#include <vector>

#include "levit/trainer.h"

namespace levit::media {

struct ImageFolder {
    std::vector<std::string> classes;    // sub-folder names, sorted
    std::vector<LabeledImage> images;    // label = index into classes
    int skipped_other_files = 0;         // not an image by extension
    std::vector<std::string> unreadable; // "path: problem" for images that failed to decode
};

// The same folder listed, nothing decoded: for callers that decode a batch at a time, so a folder of photos
// never has to fit in memory at full resolution.
struct ImageFolderListing {
    struct File {
        std::string path;
        int label = 0;
    };
    std::vector<std::string> classes;  // sub-folder names, sorted
    std::vector<File> files;           // image files by extension, in class then name order
    int skipped_other_files = 0;
};

// Throws levit::Error (naming DIR or the sub-folder) when DIR is not a folder, has no class sub-folders, or
// a class folder holds no image file. With `classes` given, the folder's classes must be exactly those.
ImageFolderListing listImageFolder(const std::string& dir, const std::vector<std::string>* classes = nullptr);

// Throws levit::Error (naming DIR or the sub-folder) when DIR is not a folder, has no class sub-folders,
// or a class folder holds no image at all. With `classes` given, the folder's classes must be exactly
// those (e.g. evaluating a model on its own classes).
ImageFolder loadImageFolder(const std::string& dir, const std::vector<std::string>* classes = nullptr);

}  // namespace levit::media
