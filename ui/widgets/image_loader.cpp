#include "image_loader.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <climits>
#include <queue>
#include <utility>
#include <vector>

#include "media/image_decoder.h"

namespace levit::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("levit::ui::ImageLoader", text); }

struct FileToOpen {
    QString path;
    int origin;
};

// The first `keep` image files under `folder` in path order, and how many there are in all. Keeps a
// max-heap of the `keep` smallest names, so memory does not grow with the folder. `listed` counts the
// files of every folder of the job, for progress (which only moves forward).
std::pair<QStringList, qint64> listFolder(QPromise<ImageLoadItem>& promise, const QString& folder,
                                          const QStringList& patterns, int keep, qint64& listed) {
    std::priority_queue<QString> smallest;
    qint64 found = 0;
    QDirIterator it(folder, patterns, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (promise.isCanceled()) return {};
        QString path = it.next();
        ++found;
        ++listed;
        if (int(smallest.size()) < keep) {
            smallest.push(std::move(path));
        } else if (keep > 0 && path < smallest.top()) {
            smallest.pop();
            smallest.push(std::move(path));
        }
        if (listed % 256 == 0)
            promise.setProgressValueAndText(int(std::min<qint64>(listed, INT_MAX)),
                                            tr("Listing %1: %2 images").arg(folder).arg(found));
    }
    QStringList files;
    files.reserve(int(smallest.size()));
    while (!smallest.empty()) {
        files.prepend(smallest.top());
        smallest.pop();
    }
    return {files, found};
}

}  // namespace

void loadImages(QPromise<ImageLoadItem>& promise, const QStringList& paths, const QStringList& patterns,
                ImageBudget budget) {
    promise.setProgressRange(0, 0);
    std::vector<FileToOpen> files;
    std::vector<ImageLoadItem> notes;  // reported after the images, so the last message is about limits
    qint64 listed = 0;
    for (int origin = 0; origin < paths.size(); ++origin) {
        const QString& path = paths[origin];
        const int room = budget.images - int(files.size());
        if (!QFileInfo(path).isDir()) {
            if (room > 0) files.push_back({path, origin});
            else notes.push_back({path, origin, {}, {}, tr("%1: not opened, the window holds at most %2 images").arg(path).arg(kMaxWindowImages)});
            continue;
        }
        auto [found, total] = listFolder(promise, path, patterns, std::max(room, 0), listed);
        if (promise.isCanceled()) return;
        if (total == 0) notes.push_back({path, origin, {}, {}, tr("%1: no images in this folder").arg(path)});
        else if (total > found.size())
            notes.push_back({path, origin, {}, {}, tr("%1: opened the first %2 of its %3 images (the window holds at most %4 images)")
                                                       .arg(path).arg(found.size()).arg(total).arg(kMaxWindowImages)});
        for (const QString& f : found) files.push_back({f, origin});
    }

    promise.setProgressRange(0, int(files.size()));
    qint64 pixels = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        if (promise.isCanceled()) return;
        const FileToOpen& file = files[i];
        ImageLoadItem item{file.path, file.origin, {}, {}, {}};
        try {
            auto rgb = std::make_shared<levit::ImageRGB8>(levit::media::decodeImageFile(file.path.toStdString()));
            const qint64 size = qint64(rgb->width) * rgb->height;
            if (pixels + size > budget.pixels) {
                notes.push_back({file.path, file.origin, {}, {},
                                 tr("%1 and %2 more images not opened: the window holds at most %3 megapixels of images")
                                     .arg(file.path).arg(files.size() - i - 1).arg(kMaxWindowPixels / 1'000'000)});
                break;
            }
            pixels += size;
            // Scaled straight from the decoded pixels (a view, no copy of a possibly huge image).
            const QImage view(rgb->pixels.data(), rgb->width, rgb->height, qsizetype(rgb->width) * 3, QImage::Format_RGB888);
            item.thumbnail = view.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            item.rgb = std::move(rgb);
        } catch (const std::exception& e) {
            item.error = QString::fromUtf8(e.what());
        }
        promise.addResult(std::move(item));
        promise.setProgressValueAndText(int(i + 1), tr("Opening images: %1 of %2").arg(i + 1).arg(files.size()));
    }
    for (ImageLoadItem& note : notes) promise.addResult(std::move(note));
}

}  // namespace levit::ui
