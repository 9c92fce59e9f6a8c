#include "model_files.h"

#include <QFileInfo>

namespace levit::hub {

bool isCompleteModelFolder(const QString& dir) {
    if (!QFileInfo(dir + "/" + kConfigFile).isFile()) return false;  // isFile() follows symlinks
    for (const QString& weights : kWeightFiles)
        if (QFileInfo(dir + "/" + weights).isFile()) return true;
    return false;
}

}  // namespace levit::hub
