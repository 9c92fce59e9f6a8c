#pragma once
// The download progress of a model on stderr: on a terminal one line that updates in place
// ("downloading facebook/levit-128S: model.safetensors 12.3/31.3 MB") and disappears when done; into a
// file or pipe, one line per downloaded file, written once the whole model is in (a download that fails
// prints nothing but its error, so the error stays one line).
#include <QString>
#include <QStringList>

#include "hub/download_progress.h"

namespace levit::cli {

class DownloadProgressLine {
public:
    explicit DownloadProgressLine(const QString& model);
    ~DownloadProgressLine();  // clears the line and drops the pending ones (the download failed)

    void update(const hub::DownloadProgress& p);
    // The model is in: clears the line, writes the per-file lines of a file or pipe.
    void finish();

private:
    void clear();  // erases the terminal line

    QString model_;
    QString last_done_file_;
    QStringList done_lines_;  // not a terminal: one per finished file, written by finish()
    QString last_text_;
    bool terminal_;
    bool shown_ = false;
    qint64 last_ms_ = -1;
    int last_width_ = 0;
};

}  // namespace levit::cli
