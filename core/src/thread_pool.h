#pragma once
// A small persistent pool: parallelFor splits [0, n) into one contiguous range per thread and runs them
// with the calling thread taking part. A forward pass makes dozens of short parallel calls (a few
// microseconds to a millisecond each), so waiting threads first spin briefly on an atomic before they
// sleep on a condition variable: waking a sleeping thread costs more than many of the calls themselves.
// A call allocates nothing.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "function_ref.h"

namespace levit::detail {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }
    // body(begin, end, thread_index) for each non-empty slice; returns when all slices are done.
    void parallelFor(int n, FunctionRef<void(int, int, int)> body);

private:
    void workerLoop(int index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    FunctionRef<void(int, int, int)>* job_ = nullptr;
    int job_n_ = 0;
    std::atomic<unsigned long> generation_{0};
    std::atomic<int> pending_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace levit::detail
