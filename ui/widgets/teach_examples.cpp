#include "teach_examples.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

#include "image_convert.h"
#include "levit/error.h"
#include "levit/preprocess.h"
#include "media/image_decoder.h"
#include "media/image_folder.h"

namespace levit::ui {

TeachExample makeExample(const levit::ImageRGB8& image, const QString& source) {
    TeachExample e;
    e.source = source;
    const int long_side = std::max(image.width, image.height);
    if (long_side > kExampleSide) {
        const double scale = double(kExampleSide) / long_side;
        const int w = std::max(1, int(image.width * scale + 0.5)), h = std::max(1, int(image.height * scale + 0.5));
        e.image = std::make_shared<const levit::ImageRGB8>(levit::resizeBicubicPIL(image, w, h));
    } else {
        e.image = std::make_shared<const levit::ImageRGB8>(image);
    }
    e.thumbnail = toQImage(*e.image).scaled(kExampleThumbnail, kExampleThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return e;
}

std::vector<TeachExample> examplesFromPaths(const QStringList& paths, QStringList* errors, int limit) {
    QStringList extensions;
    for (const std::string& ext : levit::media::supportedImageExtensions()) extensions << "*." + QString::fromStdString(ext);
    QStringList files;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            const QDir dir(path);
            for (const QString& f : dir.entryList(extensions, QDir::Files, QDir::Name | QDir::IgnoreCase)) files << dir.filePath(f);
        } else {
            files << path;
        }
    }
    std::vector<TeachExample> out;
    for (const QString& file : files) {
        if (int(out.size()) >= limit) {
            if (errors) *errors << QObject::tr("%1 more files not added: a class holds at most %2 examples").arg(files.size() - int(out.size())).arg(limit);
            break;
        }
        try {
            out.push_back(makeExample(levit::media::decodeImageFile(file.toStdString()), file));
        } catch (const std::exception& e) {
            if (errors) *errors << QString::fromUtf8(e.what());
        }
    }
    return out;
}

QString classNameProblem(const QString& name, const QStringList& others) {
    const QString n = name.trimmed();
    if (n.isEmpty()) return QObject::tr("a class needs a name");
    if (n.contains('/') || n.contains('\\') || n == "." || n == "..")
        return QObject::tr("“%1”: a class name cannot contain / or \\ or be . or ..").arg(n);
    if (others.contains(n, Qt::CaseInsensitive)) return QObject::tr("“%1”: there is already a class of that name").arg(n);
    return {};
}

void saveImageFolder(const QString& dir, const std::vector<TeachClass>& classes, const FolderProgress& progress) {
    const QDir root(dir);
    if (root.exists() && !root.isEmpty()) throw levit::Error(QObject::tr("%1: the folder is not empty (choose an empty or new folder)").arg(dir).toStdString());
    QStringList names;
    for (const TeachClass& c : classes) {
        const QString problem = classNameProblem(c.name, names);
        if (!problem.isEmpty()) throw levit::Error(problem.toStdString());
        names << c.name.trimmed();
    }
    int total = 0, done = 0;
    for (const TeachClass& c : classes) total += int(c.examples.size());
    if (!QDir().mkpath(dir)) throw levit::Error(QObject::tr("%1: cannot create the folder").arg(dir).toStdString());
    for (const TeachClass& c : classes) {
        const QString sub = root.filePath(c.name.trimmed());
        if (!QDir().mkpath(sub)) throw levit::Error(QObject::tr("%1: cannot create the folder").arg(sub).toStdString());
        for (size_t i = 0; i < c.examples.size(); ++i) {
            const QString file = QDir(sub).filePath(QString("%1.png").arg(i + 1, 4, 10, QChar('0')));
            if (!toQImage(*c.examples[i].image).save(file, "PNG")) throw levit::Error(QObject::tr("%1: cannot write the image").arg(file).toStdString());
            if (progress && !progress(++done, total))
                throw levit::Error(QObject::tr("%1: saving was cancelled after %2 of %3 images").arg(dir).arg(done).arg(total).toStdString());
        }
    }
}

std::vector<TeachClass> openImageFolder(const QString& dir, QStringList* errors, const FolderProgress& progress) {
    // Listed first, then each image decoded and scaled down before the next: a folder of photos never sits in
    // memory at full resolution.
    const levit::media::ImageFolderListing listing = levit::media::listImageFolder(dir.toStdString());
    std::vector<TeachClass> classes(listing.classes.size());
    for (size_t i = 0; i < classes.size(); ++i) classes[i].name = QString::fromStdString(listing.classes[i]);
    const int total = int(listing.files.size());
    int done = 0;
    for (const levit::media::ImageFolderListing::File& file : listing.files) {
        if (progress && !progress(done++, total))
            throw levit::Error(QObject::tr("%1: opening was cancelled").arg(dir).toStdString());
        std::vector<TeachExample>& examples = classes[size_t(file.label)].examples;
        if (int(examples.size()) >= kMaxExamplesPerClass) continue;
        try {
            examples.push_back(makeExample(levit::media::decodeImageFile(file.path), QString::fromStdString(file.path)));
        } catch (const std::exception& e) {
            if (errors) *errors << QString::fromUtf8(e.what());
        }
    }
    return classes;
}

std::vector<levit::LabeledImage> labeledImages(const std::vector<TeachClass>& classes) {
    std::vector<levit::LabeledImage> out;
    for (size_t c = 0; c < classes.size(); ++c)
        for (const TeachExample& e : classes[c].examples) out.push_back({*e.image, int(c), e.source.toStdString()});
    return out;
}

}  // namespace levit::ui
