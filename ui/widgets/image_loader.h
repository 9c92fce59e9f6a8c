#pragma once
// Opening image files and folders off the GUI thread: folders are listed recursively, every image is
// decoded and reported as it is ready, with progress, and the whole job stops when it is cancelled.
// Each file is decoded once at full resolution, here, to make what the window keeps (the model's input for
// the current model, a thumbnail, the size); the full pixels are dropped before the next file, so memory
// does not grow with the photos' resolution. Bounded: what one open may add is limited by the images the
// window can still take (kMaxWindowImages), and a huge folder is listed keeping only the names that can be
// opened, never the whole listing.
#include <QImage>
#include <QPromise>
#include <QString>
#include <QStringList>

#include <memory>

#include "levit/model.h"
#include "loaded_image.h"

namespace levit::ui {

constexpr int kMaxWindowImages = 1000;
// Full-resolution pixels the window keeps, of images without a file (pasted, dropped, snapshots).
constexpr qint64 kMaxWindowPixels = 500'000'000;  // 1.5 GB of RGB

// What an open may still add to the window.
struct ImageBudget {
    int images = kMaxWindowImages;
};

// One outcome of an open: a decoded image, or (error non-empty) a message about a file or a folder.
struct ImageLoadItem {
    QString source;     // the file (or the folder a message is about)
    int origin = -1;    // which of the requested paths it came from
    // Shared: the future's result store and the window hold the same pixels, not two copies. Empty without
    // a model, or when the model's preprocessing cannot make its input from this image.
    ModelInput model_input;
    QSize size;         // full resolution
    QImage thumbnail;   // for the strip: at most kThumbnailSide on its longer side
    QString error;
};

constexpr int kThumbnailSide = 96;

// The strip's thumbnail of a decoded image (area-averaged, at most kThumbnailSide on its longer side).
QImage makeThumbnail(const levit::ImageRGB8& image);

// The job: reports every ImageLoadItem of `paths` through `promise`, in order (each requested path in turn;
// the files of a folder by path name, with `patterns` such as "*.png" matched case-insensitively). Files
// are taken as given. Progress: a busy range with "listing" text while folders are read, then
// 0..number of files while they are decoded. Stops soon after the promise is cancelled. With `model`, each
// item carries that model's input.
void loadImages(QPromise<ImageLoadItem>& promise, const QStringList& paths, const QStringList& patterns,
                ImageBudget budget, std::shared_ptr<const levit::Model> model = nullptr);

}  // namespace levit::ui
