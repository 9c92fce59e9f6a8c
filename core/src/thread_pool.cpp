#include "thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace levit::detail {

namespace {
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

constexpr uint64_t tag(uint32_t generation, uint32_t index) { return (uint64_t(generation) << 32) | index; }
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

void ThreadPool::runChunks(uint32_t generation, int index) {
    uint64_t state = claim_.load(std::memory_order_acquire);
    for (;;) {
        if (uint32_t(state >> 32) != generation) return;  // a later job: this one is all claimed and done
        const int begin = int(uint32_t(state));
        // job_n_ and job_ belong to `generation` here: a new job is published only once every chunk of
        // this one is finished, and the claim below fails if that has happened in between.
        const int n = job_n_.load(std::memory_order_relaxed);
        if (begin >= n) return;
        const int end = std::min(n, begin + chunk_.load(std::memory_order_relaxed));
        if (!claim_.compare_exchange_weak(state, tag(generation, uint32_t(end)), std::memory_order_acq_rel,
                                          std::memory_order_acquire))
            continue;  // `state` now holds the current value: retry
        (*job_.load(std::memory_order_relaxed))(begin, end, index);
        if (finished_.fetch_add(end - begin, std::memory_order_acq_rel) + (end - begin) == n) {
            std::lock_guard<std::mutex> lock(mutex_);  // pairs with the caller's predicate check
            done_.notify_one();
        }
        state = claim_.load(std::memory_order_acquire);
    }
}

void ThreadPool::workerLoop(int index) {
    uint32_t seen = 0;
    for (;;) {
        auto ready = [&] {
            return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen;
        };
        if (!spinUntil(ready)) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, ready);
        }
        if (stopping_) return;
        seen = generation_.load(std::memory_order_acquire);
        runChunks(seen, index);
    }
}

void ThreadPool::parallelFor(int n, FunctionRef<void(int, int, int)> body) {
    if (n <= 0) return;
    if (workers_.empty() || n == 1) {
        body(0, n, 0);
        return;
    }
    const uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_.store(&body, std::memory_order_relaxed);
        job_n_.store(n, std::memory_order_relaxed);
        chunk_.store(std::max(1, n / (4 * size())), std::memory_order_relaxed);  // a few chunks per thread
        finished_.store(0, std::memory_order_relaxed);
        claim_.store(tag(generation, 0), std::memory_order_release);
        generation_.store(generation, std::memory_order_release);
    }
    wake_.notify_all();
    runChunks(generation, 0);
    auto finished = [&] { return finished_.load(std::memory_order_acquire) == n; };
    if (!spinUntil(finished)) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, finished);
    }
}

}  // namespace levit::detail
