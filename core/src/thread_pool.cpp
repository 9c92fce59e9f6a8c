#include "thread_pool.h"

namespace levit::detail {

namespace {
// Slice t of n items over `parts` threads: contiguous and as even as possible.
void sliceBounds(int n, int parts, int t, int& begin, int& end) {
    const int base = n / parts, extra = n % parts;
    begin = t * base + (t < extra ? t : extra);
    end = begin + base + (t < extra ? 1 : 0);
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::workerLoop(int index) {
    unsigned long seen = 0;
    for (;;) {
        FunctionRef<void(int, int, int)>* job;
        int n;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
            job = job_;
            n = job_n_;
        }
        int begin, end;
        sliceBounds(n, size(), index, begin, end);
        if (begin < end) (*job)(begin, end, index);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (--pending_ == 0) done_.notify_one();
        }
    }
}

void ThreadPool::parallelFor(int n, FunctionRef<void(int, int, int)> body) {
    if (n <= 0) return;
    if (workers_.empty() || n == 1) {
        body(0, n, 0);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = &body;
        job_n_ = n;
        pending_ = static_cast<int>(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    int begin, end;
    sliceBounds(n, size(), 0, begin, end);
    if (begin < end) body(begin, end, 0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
}

}  // namespace levit::detail
