#include "media/folder_evaluation.h"

#include <chrono>

#include "levit/error.h"
#include "media/image_decoder.h"

namespace levit::media {

FolderEvaluation evaluateImageFolder(const ImageFolderListing& listing, const std::string& dataset, Classifier& classifier,
                                     const std::function<bool(int, int)>& progress) {
    const std::vector<std::string>& labels = classifier.model().config().id2label;
    const std::vector<int> to_model = classesInModel(listing.classes, labels, dataset);
    FolderEvaluation out{EvaluationTally(classifier.model().config().numLabels()), {}, 0, false};
    const auto start = std::chrono::steady_clock::now();
    const int total = int(listing.files.size());
    for (size_t first = 0; first < listing.files.size(); first += Classifier::kBatch) {
        const size_t end = std::min(listing.files.size(), first + Classifier::kBatch);
        std::vector<ImageRGB8> batch;
        std::vector<std::string> names;
        std::vector<int> truth;
        for (size_t i = first; i < end; ++i) {
            try {
                batch.push_back(decodeImageFile(listing.files[i].path));
                names.push_back(listing.files[i].path);
                truth.push_back(to_model[size_t(listing.files[i].label)]);
            } catch (const Error& e) {
                out.unreadable.push_back(e.what());
            }
        }
        if (!batch.empty()) {
            const std::vector<Classification> results = classifier.classify(batch, names);
            for (size_t i = 0; i < results.size(); ++i) out.tally.add(results[i], truth[i], names[i]);
        }
        if (progress && !progress(int(end), total)) {
            out.cancelled = true;
            break;
        }
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace levit::media
