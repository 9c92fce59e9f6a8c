#include "download_progress.h"

namespace levit::hub {

QString progressText(const DownloadProgress& p) {
    const auto mb = [](qint64 bytes) { return QString::number(double(bytes) / 1e6, 'f', 1); };
    if (p.file_total < 0) return QStringLiteral("%1 %2 MB").arg(p.file, mb(p.file_received));
    return QStringLiteral("%1 %2/%3 MB").arg(p.file, mb(p.file_received), mb(p.file_total));
}

}  // namespace levit::hub
