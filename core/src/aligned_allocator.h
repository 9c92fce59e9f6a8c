#pragma once
// std::vector storage on 64-byte boundaries (a cache line): the GEMM kernels read A and write C in 32- and
// 64-byte vectors at offsets that are multiples of 32 bytes from a buffer's start, so with the allocator's
// usual 16-byte alignment every other vector would straddle two cache lines (measured: 7% slower with
// the AVX2 kernels).
#include <cstddef>
#include <new>
#include <vector>

namespace levit::detail {

template <typename T>
struct CacheLineAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    CacheLineAllocator() = default;
    template <typename U>
    CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlignment); }
    template <typename U>
    bool operator==(const CacheLineAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace levit::detail
