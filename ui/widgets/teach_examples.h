#pragma once
// The Teach tab's data: named classes, each with its example images (kept at a bounded size: a camera frame is
// scaled so its long side is at most kExampleSide, enough for any LeViT input and its random crops), saved and
// opened as an ImageFolder (one sub-folder of PNGs per class), the layout `levit train --data` reads.
#include <QImage>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

#include "levit/image.h"
#include "levit/trainer.h"

namespace levit::ui {

struct TeachExample {
    std::shared_ptr<const levit::ImageRGB8> image;
    QImage thumbnail;
    QString source;  // file path, "camera", "clipboard"
};

struct TeachClass {
    QString name;
    std::vector<TeachExample> examples;
};

inline constexpr int kExampleSide = 448;
inline constexpr int kExampleThumbnail = 56;
inline constexpr int kMaxExamplesPerClass = 2000;

// An example from any image: scaled down (bicubic, as PIL) when its long side exceeds kExampleSide.
TeachExample makeExample(const levit::ImageRGB8& image, const QString& source);
// The image files of `paths` (files, or folders listed one level deep, in name order), decoded; `errors`
// receives "path: problem" for each that could not be read. At most `limit` examples.
std::vector<TeachExample> examplesFromPaths(const QStringList& paths, QStringList* errors, int limit = kMaxExamplesPerClass);

// Why `name` cannot be a class (empty when it can): empty, a path separator, "." or "..", a duplicate.
QString classNameProblem(const QString& name, const QStringList& others);

// Called after each file with the files done and their total; returning false stops the work there. The
// Teach tab runs both below off the GUI thread (thousands of photos take minutes) with a progress bar.
using FolderProgress = std::function<bool(int done, int total)>;
// Writes DIR/<class>/<nnnn>.png. Refuses (levit::Error naming it) a DIR that exists and is not empty.
void saveImageFolder(const QString& dir, const std::vector<TeachClass>& classes, const FolderProgress& progress = {});
// Reads an ImageFolder into classes (sorted by folder name); `errors` receives unreadable files. Stopped by
// `progress`, it throws levit::Error("… cancelled").
std::vector<TeachClass> openImageFolder(const QString& dir, QStringList* errors, const FolderProgress& progress = {});

// The examples as labelled images for levit::Trainer (label = class index).
std::vector<levit::LabeledImage> labeledImages(const std::vector<TeachClass>& classes);

}  // namespace levit::ui
