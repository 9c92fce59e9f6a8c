#pragma once
// How responsive the GUI thread stayed: a 5 ms timer measures the longest pause of the event loop from
// construction until stop(), and may sample something on each tick (e.g. how many images have arrived).
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace levit_test {

class EventLoopWatch {
public:
    explicit EventLoopWatch(std::function<void()> on_tick = {}) {
        clock_.start();
        QObject::connect(&tick_, &QTimer::timeout, [this, on_tick = std::move(on_tick)] {
            const qint64 now = clock_.elapsed();
            longest_pause_ = std::max(longest_pause_, now - last_);
            last_ = now;
            if (on_tick) on_tick();
        });
        tick_.start(5);
    }
    void stop() { tick_.stop(); }
    qint64 elapsedMs() const { return clock_.elapsed(); }
    qint64 longestPauseMs() const { return longest_pause_; }

private:
    QElapsedTimer clock_;
    QTimer tick_;
    qint64 longest_pause_ = 0, last_ = 0;
};

}  // namespace levit_test
