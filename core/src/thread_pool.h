#pragma once
// A small persistent pool. parallelFor(n, body) hands out [0, n) in chunks that the calling thread and
// the workers claim from a shared counter, so a thread the OS does not schedule (on a machine shared
// with other work) holds up at most the chunk it has claimed: the others take the rest. A forward pass
// makes dozens of short parallel calls, so waiting threads spin briefly (then yield, then sleep on a
// condition variable): waking a sleeping thread costs more than many of the calls themselves.
// A call allocates nothing.
#include <atomic>
#include <condition_variable>
#include <cstdint>
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
    // body(begin, end, thread_index) for chunks covering [0, n) exactly once; thread_index (0 = the caller)
    // selects per-thread scratch. Returns when every chunk is done.
    void parallelFor(int n, FunctionRef<void(int, int, int)> body);

private:
    void workerLoop(int index);
    // Claims and runs chunks of the job tagged `generation` until none is left.
    void runChunks(uint32_t generation, int index);
    void runJob(int n, FunctionRef<void(int, int, int)> body);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    // The current job. claim_ packs (generation, item count, next unclaimed item) into one word, so that a
    // worker always claims against the count of the job it claims from (a count read separately could
    // belong to the next job); job_ is read only after a successful claim, when it cannot change.
    std::atomic<FunctionRef<void(int, int, int)>*> job_{nullptr};
    std::atomic<uint32_t> generation_{0};
    std::atomic<uint64_t> claim_{0};
    std::atomic<int> finished_{0};  // items of the current job completed
    std::atomic<bool> stopping_{false};
};

}  // namespace levit::detail
