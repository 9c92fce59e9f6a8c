// The engine's thread pool: every index of every call is run exactly once, by a valid thread index,
// whatever the pool size and however small or large the call; calls follow each other without a gap
// in which a late worker could run a finished call's body.
#include <QtTest/QtTest>

#include <atomic>
#include <vector>

#include "thread_pool.h"

using levit::detail::ThreadPool;

class TestThreadPool : public QObject {
    Q_OBJECT

private slots:
    void everyIndexRunsOnceWithAValidThreadIndex() {
        for (int threads : {1, 2, 3, 5}) {
            ThreadPool pool(threads);
            QCOMPARE(pool.size(), threads);
            for (int n : {1, 2, 3, 7, 64, 1000}) {
                for (int repeat = 0; repeat < 50; ++repeat) {
                    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                    std::atomic<bool> bad_thread{false}, bad_range{false};
                    pool.parallelFor(n, [&](int begin, int end, int t) {
                        if (t < 0 || t >= threads) bad_thread = true;
                        if (begin < 0 || end > n || begin >= end) bad_range = true;
                        for (int i = begin; i < end; ++i) hits[size_t(i)].fetch_add(1);
                    });
                    QVERIFY(!bad_thread);
                    QVERIFY(!bad_range);
                    for (int i = 0; i < n; ++i) QCOMPARE(hits[size_t(i)].load(), 1);
                }
            }
        }
    }

    void bodiesOfConsecutiveCallsNeverOverlap() {
        // Sizes change from call to call: a worker late from one call must not claim items of the next
        // against the old size (or the other way round), which would run bodies after their call returned.
        for (int threads : {2, 3}) {
            ThreadPool pool(threads);
            std::atomic<int> call_running{-1};
            std::atomic<bool> overlap{false}, bad_range{false};
            for (int call = 0; call < 3000; ++call) {
                const int n = 2 + call % 37;
                pool.parallelFor(n, [&](int begin, int end, int) {
                    if (begin < 0 || end > n) bad_range = true;
                    const int before = call_running.exchange(call);
                    if (before != -1 && before != call) overlap = true;
                });
                call_running = -1;  // the call has returned: nothing of it may still run
            }
            QVERIFY(!overlap);
            QVERIFY(!bad_range);
        }
    }

    void zeroItemsRunNothing() {
        ThreadPool pool(2);
        bool ran = false;
        pool.parallelFor(0, [&](int, int, int) { ran = true; });
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(TestThreadPool)
#include "test_thread_pool.moc"
