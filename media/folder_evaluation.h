#pragma once
// A model evaluated on an ImageFolder, a batch at a time: each batch is decoded, classified and counted
// before the next is read, so memory holds one batch of full-resolution images, not the folder. One loop for
// `levit eval --data` and the window's Evaluate dialog.
#include <functional>
#include <string>
#include <vector>

#include "levit/classifier.h"
#include "levit/evaluation.h"
#include "media/image_folder.h"

namespace levit::media {

struct FolderEvaluation {
    EvaluationTally tally;
    std::vector<std::string> unreadable;  // "path: problem"
    double seconds = 0;                   // decoding and classifying
    bool cancelled = false;
};

// `progress(done, total)` after each batch (may be empty); returning false stops (cancelled = true). Throws
// levit::Error naming the folder when a class folder has no class of the model's name.
FolderEvaluation evaluateImageFolder(const ImageFolderListing& listing, const std::string& dataset, Classifier& classifier,
                                     const std::function<bool(int done, int total)>& progress = {});

}  // namespace levit::media
