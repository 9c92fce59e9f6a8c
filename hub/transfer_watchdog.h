#pragma once
// The minimum-speed rule (hub_limits.h) for one transfer: at the end of every window, if fewer bytes than
// the rule asks for arrived during it, tooSlow() is emitted once with a one-line description. A server
// that trickles a byte a second, or sends nothing at all (not even headers), ends this way instead of
// holding a download forever.
#include <QObject>
#include <QTimer>

#include "hub_limits.h"

namespace levit::hub {

class TransferWatchdog : public QObject {
    Q_OBJECT
public:
    // `idle_text` describes a window in which no byte came, e.g. "nothing arrived in %1 s" (%1: seconds);
    // " (timed out)" is appended.
    explicit TransferWatchdog(QObject* parent = nullptr, const QString& idle_text = QStringLiteral("nothing arrived in %1 s"));

    void start();  // a new transfer: the first window starts now
    void stop();
    void add(qint64 bytes);  // bytes that arrived
    const SpeedRule& rule() const { return rule_; }

signals:
    // "only 12 bytes arrived in 30 s, too slow (less than 1024 bytes/s over 30 s)", or the idle text.
    void tooSlow(const QString& problem);

private:
    void check();

    SpeedRule rule_;
    QString idle_text_;
    QTimer timer_;
    qint64 window_bytes_ = 0;
};

}  // namespace levit::hub
