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
                                            QCoreApplication::translate("levit::ui::ImageLoader", "Listing %1: %2 images").arg(folder).arg(found));
    }
    QStringList files;
    files.reserve(int(smallest.size()));
    while (!smallest.empty()) {
        files.prepend(smallest.top());
        smallest.pop();
    }
    return {files, found};
}

// The mean of each factor x factor block (area averaging, the remainder rows and columns dropped): a
// 12 MP photo to about twice the thumbnail's size in one pass, which Qt's smooth scaling takes several
// times longer to do.
QImage boxReduced(const levit::ImageRGB8& image, int factor) {
    const int width = std::max(1, image.width / factor), height = std::max(1, image.height / factor);
    // Blocks are whole, except when a side is shorter than `factor` (a long thin image): then they are cut.
    const int block_w = std::min(factor, image.width), block_h = std::min(factor, image.height);
    const uint32_t count = uint32_t(block_w) * uint32_t(block_h);
    QImage out(width, height, QImage::Format_RGB888);
    std::vector<uint32_t> sums(size_t(width) * 3);
    for (int y = 0; y < height; ++y) {
        std::fill(sums.begin(), sums.end(), 0u);
        for (int dy = 0; dy < block_h; ++dy) {
            const uint8_t* row = image.row(y * factor + dy);
            for (int x = 0; x < width; ++x) {
                const uint8_t* block = row + size_t(x) * factor * 3;
                uint32_t r = 0, g = 0, b = 0;
                for (int dx = 0; dx < block_w; ++dx) {
                    r += block[3 * dx];
                    g += block[3 * dx + 1];
                    b += block[3 * dx + 2];
                }
                sums[size_t(x) * 3] += r;
                sums[size_t(x) * 3 + 1] += g;
                sums[size_t(x) * 3 + 2] += b;
            }
        }
        uchar* line = out.scanLine(y);
        for (size_t i = 0; i < sums.size(); ++i) line[i] = uchar((sums[i] + count / 2) / count);
    }
    return out;
}

// Decodes one file at full resolution and keeps only what the window needs of it.
ImageLoadItem openImage(const FileToOpen& file, const levit::Model* model) {
    ImageLoadItem item;
    item.source = file.path;
    item.origin = file.origin;
    try {
        const levit::ImageRGB8 full = levit::media::decodeImageFile(file.path.toStdString());
        item.size = QSize(full.width, full.height);
        item.thumbnail = makeThumbnail(full);
        if (model) item.model_input = makeModelInput(full, model->config());
    } catch (const std::exception& e) {
        item.error = QString::fromUtf8(e.what());
    }
    return item;
}

}  // namespace

QImage makeThumbnail(const levit::ImageRGB8& image) {
    const int factor = std::max(1, std::max(image.width, image.height) / (2 * kThumbnailSide));
    const QImage source = factor > 1 ? boxReduced(image, factor)
                                     // A view of the pixels, no copy.
                                     : QImage(image.pixels.data(), image.width, image.height, qsizetype(image.width) * 3, QImage::Format_RGB888);
    return source.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

void loadImages(QPromise<ImageLoadItem>& promise, const QStringList& paths, const QStringList& patterns,
                ImageBudget budget, std::shared_ptr<const levit::Model> model) {
    promise.setProgressRange(0, 0);
    std::vector<FileToOpen> files;
    std::vector<ImageLoadItem> notes;  // reported after the images, so the last message is about limits
    qint64 listed = 0;
    for (int origin = 0; origin < paths.size(); ++origin) {
        const QString& path = paths[origin];
        const int room = budget.images - int(files.size());
        if (!QFileInfo(path).isDir()) {
            if (room > 0) files.push_back({path, origin});
            else notes.push_back({path, origin, {}, {}, {}, QCoreApplication::translate("levit::ui::ImageLoader", "%1: not opened, the window holds at most %2 images").arg(path).arg(kMaxWindowImages)});
            continue;
        }
        auto [found, total] = listFolder(promise, path, patterns, std::max(room, 0), listed);
        if (promise.isCanceled()) return;
        if (total == 0) notes.push_back({path, origin, {}, {}, {}, QCoreApplication::translate("levit::ui::ImageLoader", "%1: no images in this folder").arg(path)});
        else if (total > found.size())
            notes.push_back({path, origin, {}, {}, {}, QCoreApplication::translate("levit::ui::ImageLoader", "%1: opened the first %2 of its %3 images (the window holds at most %4 images)")
                                                       .arg(path).arg(found.size()).arg(total).arg(kMaxWindowImages)});
        for (const QString& f : found) files.push_back({f, origin});
    }

    promise.setProgressRange(0, int(files.size()));
    for (size_t i = 0; i < files.size(); ++i) {
        if (promise.isCanceled()) return;
        ImageLoadItem item = openImage(files[i], model.get());
        promise.addResult(std::move(item));
        promise.setProgressValueAndText(int(i + 1), QCoreApplication::translate("levit::ui::ImageLoader", "Opening images: %1 / %2").arg(i + 1).arg(files.size()));
    }
    for (ImageLoadItem& note : notes) promise.addResult(std::move(note));
}

}  // namespace levit::ui
