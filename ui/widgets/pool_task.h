#pragma once
// runInPool: QtConcurrent::run for the window's background jobs, with the hand-off of the job to its pool
// thread visible to ThreadSanitizer. QThreadPool passes a task to a thread under a QMutex that Qt 6 builds
// from atomics and futexes inside libQt6Core, which is not compiled with ThreadSanitizer; everything the
// task carries (its captured copies of images, paths, models) was then written by the submitting thread
// and read by the pool thread with no order TSan can see, and the reports came and went with thread reuse.
// Here the task is our own QRunnable: the submitting thread releases it after the last write, the pool
// thread acquires it before the first read (annotations that exist only in the TSan build), so a report is
// a real race again. Otherwise it behaves like QtConcurrent::run: the future has started when runInPool
// returns; a job cancelled before a thread picks it up does not run; an exception the function lets out
// is kept in the future (result() rethrows it).
#include <QFuture>
#include <QPromise>
#include <QRunnable>
#include <QThreadPool>

#include <exception>
#include <type_traits>
#include <utility>

#if defined(LEVIT_SANITIZER_THREAD)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace levit::ui {

namespace pool_task_detail {

inline void handOff(void* task) {
#if defined(LEVIT_SANITIZER_THREAD)
    __tsan_release(task);
#else
    (void)task;
#endif
}

inline void takeOver(void* task) {
#if defined(LEVIT_SANITIZER_THREAD)
    __tsan_acquire(task);
#else
    (void)task;
#endif
}

// F is called as f(promise) when it takes the QPromise (progress, several results, cancellation), else as
// f(), whose return value (if any) becomes the result.
template <class T, class F>
class PoolTask final : public QRunnable {
public:
    explicit PoolTask(F f) : f_(std::move(f)) { setAutoDelete(true); }

    QFuture<T> start(QThreadPool* pool) {
        promise_.start();
        QFuture<T> future = promise_.future();
        handOff(this);  // after the last write of the submitting thread to this task
        pool->start(this);
        return future;
    }

    void run() override {
        takeOver(this);
        if (!promise_.isCanceled()) {
            try {
                if constexpr (std::is_invocable_v<F&, QPromise<T>&>) f_(promise_);
                else if constexpr (std::is_void_v<T>) f_();
                else promise_.addResult(f_());
            } catch (...) {
                promise_.setException(std::current_exception());
            }
        }
        promise_.finish();
    }

private:
    F f_;
    QPromise<T> promise_;
};

}  // namespace pool_task_detail

// Runs f on `pool`. runInPool(pool, [..] { return value; }) gives a QFuture of the value's type;
// runInPool<T>(pool, [..](QPromise<T>& promise) { ... }) one of T.
template <class T = void, class F>
auto runInPool(QThreadPool* pool, F&& f) {
    using Fn = std::decay_t<F>;
    if constexpr (std::is_invocable_v<Fn&>) {
        using R = std::invoke_result_t<Fn&>;
        return (new pool_task_detail::PoolTask<R, Fn>(std::forward<F>(f)))->start(pool);
    } else {
        static_assert(std::is_invocable_v<Fn&, QPromise<T>&>, "runInPool<T>: the function takes a QPromise<T>&");
        return (new pool_task_detail::PoolTask<T, Fn>(std::forward<F>(f)))->start(pool);
    }
}

}  // namespace levit::ui
