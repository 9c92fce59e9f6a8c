#include "thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace levit::detail {

namespace {
// Slice t of n items over `parts` threads: contiguous and as even as possible.
void sliceBounds(int n, int parts, int t, int& begin, int& end) {
    const int base = n / parts, extra = n % parts;
    begin = t * base + (t < extra ? t : extra);
    end = begin + base + (t < extra ? 1 : 0);
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

// Waits for done() without sleeping for up to a budget long enough to bridge the gap between two calls
// of one forward pass: a few microseconds of pure spinning, then yielding the core between checks, so
// that on a busy machine the thread we are waiting for (or anyone else) gets to run. Returns done().
template <typename Done>
bool spinUntil(Done done) {
    using Clock = std::chrono::steady_clock;
    constexpr auto kBudget = std::chrono::microseconds(100);
    for (int i = 0; i < 256; ++i) {
        if (done()) return true;
        cpuRelax();
    }
    const auto start = Clock::now();
    while (!done()) {
        if (Clock::now() - start > kBudget) return false;
        std::this_thread::yield();
    }
    return true;
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
        auto ready = [&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; };
        if (!spinUntil(ready)) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, ready);
        }
        if (stopping_) return;
        seen = generation_.load(std::memory_order_acquire);
        FunctionRef<void(int, int, int)>* job = job_;
        const int n = job_n_;
        int begin, end;
        sliceBounds(n, size(), index, begin, end);
        if (begin < end) (*job)(begin, end, index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard<std::mutex> lock(mutex_);  // pairs with the caller's predicate check
            done_.notify_one();
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
        pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    int begin, end;
    sliceBounds(n, size(), 0, begin, end);
    if (begin < end) body(begin, end, 0);
    auto finished = [&] { return pending_.load(std::memory_order_acquire) == 0; };
    if (!spinUntil(finished)) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, finished);
    }
}

}  // namespace levit::detail
