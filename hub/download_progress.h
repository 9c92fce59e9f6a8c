#pragma once
// Where a model download stands, and its one-line description for a progress line or label.
#include <QString>
#include <QtGlobal>

namespace levit::hub {

struct DownloadProgress {
    QString file;               // the file being downloaded now
    qint64 file_received = 0;   // bytes of it on disk (a resumed part counts)
    qint64 file_total = -1;     // its size, -1 when the server did not say
    qint64 received = 0;        // all files of the model
    qint64 total = -1;
};

// "model.safetensors 12.3/31.3 MB" (sizes in MB = 10^6 bytes, as the Hub shows them).
QString progressText(const DownloadProgress& p);

}  // namespace levit::hub
