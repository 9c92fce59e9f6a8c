#pragma once
// The download progress of a model on stderr: on a terminal one line that updates in place
// ("downloading facebook/levit-128S: model.safetensors 12.3/31.3 MB") and disappears when done; into a
// file or pipe, one line per finished file.
#include <QString>

#include "hub/download_progress.h"

namespace levit::cli {

class DownloadProgressLine {
public:
    explicit DownloadProgressLine(const QString& model);
    ~DownloadProgressLine();  // clears the line (also when the download failed)

    void update(const hub::DownloadProgress& p);
    void finish();

private:
    QString model_;
    QString last_done_file_;
    QString last_text_;
    bool terminal_;
    bool shown_ = false;
    qint64 last_ms_ = -1;
    int last_width_ = 0;
};

}  // namespace levit::cli
