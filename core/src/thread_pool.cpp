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

// claim_ layout: generation (28 bits) | item count (18 bits) | next unclaimed item (18 bits).
constexpr int kCountBits = 18;
constexpr uint64_t kCountMask = (uint64_t(1) << kCountBits) - 1;
constexpr int kMaxItems = int(kCountMask);
constexpr uint32_t kGenerationMask = (uint32_t(1) << (64 - 2 * kCountBits)) - 1;

constexpr uint64_t pack(uint32_t generation, int n, int next) {
    return (uint64_t(generation & kGenerationMask) << (2 * kCountBits)) | (uint64_t(n) << kCountBits) | uint64_t(next);
}
constexpr uint32_t generationOf(uint64_t c) { return uint32_t(c >> (2 * kCountBits)); }
constexpr int countOf(uint64_t c) { return int((c >> kCountBits) & kCountMask); }
constexpr int nextOf(uint64_t c) { return int(c & kCountMask); }
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
    generation &= kGenerationMask;
    uint64_t state = claim_.load(std::memory_order_acquire);
    for (;;) {
        if (generationOf(state) != generation) return;  // a later job: this one is all claimed and done
        const int n = countOf(state), begin = nextOf(state);
        if (begin >= n) return;
        const int end = std::min(n, begin + std::max(1, n / (4 * size())));  // a few chunks per thread
        if (!claim_.compare_exchange_weak(state, pack(generation, n, end), std::memory_order_acq_rel,
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
    for (int base = 0; base < n; base += kMaxItems) {  // more items than a claim word counts: in pieces
        const int count = std::min(kMaxItems, n - base);
        if (base == 0 && count == n) {
            runJob(n, body);
        } else {
            auto shifted = [&](int begin, int end, int t) { body(base + begin, base + end, t); };
            runJob(count, shifted);
        }
    }
}

void ThreadPool::runJob(int n, FunctionRef<void(int, int, int)> body) {
    const uint32_t generation = (generation_.load(std::memory_order_relaxed) + 1) & kGenerationMask;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_.store(&body, std::memory_order_relaxed);
        finished_.store(0, std::memory_order_relaxed);
        claim_.store(pack(generation, n, 0), std::memory_order_release);
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
