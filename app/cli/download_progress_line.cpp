#include "download_progress_line.h"

#include <unistd.h>

#include <QDateTime>

#include <cstdio>
#include <string>

namespace levit::cli {

namespace {
constexpr qint64 kRedrawIntervalMs = 100;
}

DownloadProgressLine::DownloadProgressLine(const QString& model) : model_(model), terminal_(isatty(STDERR_FILENO)) {}

DownloadProgressLine::~DownloadProgressLine() { clear(); }  // done_lines_ die unprinted

void DownloadProgressLine::update(const hub::DownloadProgress& p) {
    const QString text = QStringLiteral("downloading %1: %2").arg(model_, hub::progressText(p));
    const bool file_done = p.file_total >= 0 && p.file_received == p.file_total;
    if (!terminal_) {
        if (file_done && p.file != last_done_file_) done_lines_ << text;
        if (file_done) last_done_file_ = p.file;
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (text == last_text_ || (!file_done && last_ms_ >= 0 && now - last_ms_ < kRedrawIntervalMs)) return;
    last_text_ = text;
    last_ms_ = now;
    const std::string line = text.toStdString();
    const int pad = last_width_ > int(line.size()) ? last_width_ - int(line.size()) : 0;
    std::fprintf(stderr, "\r%s%*s", line.c_str(), pad, "");
    std::fflush(stderr);
    last_width_ = int(line.size());
    shown_ = true;
}

void DownloadProgressLine::finish() {
    clear();
    for (const QString& line : done_lines_) std::fprintf(stderr, "%s\n", line.toUtf8().constData());
    done_lines_.clear();
}

void DownloadProgressLine::clear() {
    if (!shown_) return;
    std::fprintf(stderr, "\r%*s\r", last_width_, "");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace levit::cli
