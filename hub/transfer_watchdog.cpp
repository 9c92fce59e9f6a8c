#include "transfer_watchdog.h"

namespace levit::hub {

TransferWatchdog::TransferWatchdog(QObject* parent, const QString& idle_text)
    : QObject(parent), rule_(speedRule()), idle_text_(idle_text) {
    timer_.setInterval(rule_.window_ms);
    timer_.setTimerType(Qt::CoarseTimer);
    connect(&timer_, &QTimer::timeout, this, &TransferWatchdog::check);
}

void TransferWatchdog::start() {
    window_bytes_ = 0;
    timer_.start();
}

void TransferWatchdog::stop() { timer_.stop(); }

void TransferWatchdog::add(qint64 bytes) { window_bytes_ += bytes; }

void TransferWatchdog::check() {
    const double seconds = rule_.window_ms / 1000.0;
    const qint64 needed = qint64(double(rule_.min_bytes_per_s) * seconds);
    const qint64 got = window_bytes_;
    window_bytes_ = 0;
    if (got >= needed) return;
    timer_.stop();
    emit tooSlow(got == 0 ? idle_text_.arg(seconds) + QStringLiteral(" (timed out)")
                          : QStringLiteral("only %1 bytes arrived in %2 s, too slow (%3)").arg(got).arg(seconds).arg(rule_.text()));
}

}  // namespace levit::hub
