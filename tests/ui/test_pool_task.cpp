// runInPool (ui/widgets/pool_task.h), which runs the window's background jobs: a value comes back through
// the future, a QPromise-taking job reports progress and several results, an exception the job lets out
// is rethrown by result(), a job cancelled before a thread picks it up does not run, the future has
// started when runInPool returns, and the captured data arrives intact on the pool thread. tools/sanitize.sh
// runs it under ThreadSanitizer, where the hand-off annotations must keep it free of reports.
#include <QtTest/QtTest>

#include <QFutureWatcher>
#include <QSemaphore>
#include <QThread>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "widgets/pool_task.h"

using levit::ui::runInPool;

class TestPoolTask : public QObject {
    Q_OBJECT

private slots:
    void aValueComesBackFromThePoolThread() {
        QThreadPool pool;
        const QThread* caller = QThread::currentThread();
        std::vector<QString> names{"cat.jpg", "dog.png", QString(5000, 'x')};  // captured copies, one large
        QFuture<int> f = runInPool(&pool, [names, caller] {
            if (QThread::currentThread() == caller) return -1;
            int length = 0;
            for (const QString& n : names) length += int(n.size());
            return length;
        });
        QVERIFY(f.isStarted());
        QCOMPARE(f.result(), 7 + 7 + 5000);
    }

    void aPromiseJobReportsProgressAndResults() {
        QThreadPool pool;
        QFutureWatcher<int> watcher;
        QSignalSpy progress(&watcher, &QFutureWatcherBase::progressValueChanged);
        watcher.setFuture(runInPool<int>(&pool, [](QPromise<int>& promise) {
            promise.setProgressRange(0, 3);
            for (int i = 0; i < 3; ++i) {
                promise.addResult(i * 10);
                promise.setProgressValue(i + 1);
            }
        }));
        watcher.waitForFinished();
        QCOMPARE(watcher.future().results(), QList<int>({0, 10, 20}));
        QTRY_VERIFY(!progress.isEmpty());
        QCOMPARE(watcher.progressValue(), 3);
    }

    void anExceptionIsRethrownByResult() {
        QThreadPool pool;
        QFuture<int> f = runInPool(&pool, []() -> int { throw std::runtime_error("bad file"); });
        bool rethrown = false;
        try {
            (void)f.result();  // (waitForFinished() rethrows too, as with QtConcurrent::run)
        } catch (const std::runtime_error& e) {
            rethrown = QString(e.what()) == "bad file";
        }
        QVERIFY(rethrown);
    }

    void aJobCancelledBeforeItStartsDoesNotRun() {
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QSemaphore started, release;
        std::atomic<bool> second_ran{false};
        QFuture<void> blocker = runInPool(&pool, [&] {
            started.release();
            release.acquire();
        });
        started.acquire();  // the only thread is busy: the next job waits in the queue
        QFuture<void> queued = runInPool(&pool, [&] { second_ran = true; });
        queued.cancel();
        release.release();
        blocker.waitForFinished();
        queued.waitForFinished();
        pool.waitForDone();
        QVERIFY(queued.isCanceled());
        QVERIFY(!second_ran);
    }

    void manyJobsFromManyCaptures() {
        QThreadPool pool;
        std::vector<QFuture<qsizetype>> futures;
        for (int i = 0; i < 200; ++i) {
            const QString path = QString("/photos/%1.jpg").arg(i);
            futures.push_back(runInPool(&pool, [path] { return path.size(); }));
        }
        for (int i = 0; i < 200; ++i) QCOMPARE(futures[size_t(i)].result(), QString("/photos/%1.jpg").arg(i).size());
    }
};

QTEST_MAIN(TestPoolTask)
#include "test_pool_task.moc"
