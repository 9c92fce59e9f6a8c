// The steady state allocates nothing: after a first run of a batch size, further runs without probes
// make no heap allocation. The test replaces glibc's allocation entry points (malloc, calloc, realloc and
// the aligned ones; operator new and Eigen's buffers go through them) and counts the calls made during
// the runs. Sanitizers replace the same functions, so under ASan/TSan the test skips.
#include <QtTest/QtTest>

#include <atomic>
#include <cerrno>
#include <cstdlib>

#include "levit/checkpoint.h"
#include "levit/model.h"
#include "test_support.h"

#if defined(LEVIT_SANITIZER_ADDRESS) || defined(LEVIT_SANITIZER_THREAD)
#define LEVIT_COUNTS_ALLOCATIONS 0
#else
#define LEVIT_COUNTS_ALLOCATIONS 1
#endif

static std::atomic<long> g_allocations{0};
static std::atomic<bool> g_counting{false};
void* volatile g_sink = nullptr;

#if LEVIT_COUNTS_ALLOCATIONS
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
}

static void countAllocation() {
    if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
}

extern "C" void* malloc(size_t size) {
    countAllocation();
    return __libc_malloc(size);
}
extern "C" void* calloc(size_t count, size_t size) {
    countAllocation();
    return __libc_calloc(count, size);
}
extern "C" void* realloc(void* pointer, size_t size) {
    countAllocation();
    return __libc_realloc(pointer, size);
}
extern "C" void* aligned_alloc(size_t alignment, size_t size) {
    countAllocation();
    return __libc_memalign(alignment, size);
}
extern "C" void* memalign(size_t alignment, size_t size) {
    countAllocation();
    return __libc_memalign(alignment, size);
}
extern "C" int posix_memalign(void** result, size_t alignment, size_t size) {
    countAllocation();
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void* p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *result = p;
    return 0;
}
#endif

class TestNoAllocation : public QObject {
    Q_OBJECT

    void check(const std::string& model_dir, int batch, int threads, bool bf16 = false) {
        LEVIT_REQUIRE_SHARED_PATH(model_dir);
        auto model = levit::loadModel(model_dir);
        levit::Session session(model, threads);
        if (bf16) session.setPrecision(levit::Precision::BFloat16);
        std::vector<float> pixels(size_t(batch) * session.inputSize(), 0.25f);
        session.run(pixels, batch);  // the first run sizes the buffers
        g_allocations = 0;
        g_counting = true;
        for (int i = 0; i < 5; ++i) session.run(pixels, batch);
        g_counting = false;
        qInfo("%s, batch %d, %d thread(s)%s: %ld allocations in 5 runs", model_dir.c_str(), batch, threads,
              bf16 ? ", bfloat16" : "", g_allocations.load());
        QCOMPARE(g_allocations.load(), 0L);
    }

private slots:
    void initTestCase() {
        if (!LEVIT_COUNTS_ALLOCATIONS)
            QSKIP("built with a sanitizer, which replaces malloc itself: allocations are not counted");
    }
    // The counter itself works: a heap allocation made while counting is seen, for each entry point.
    void counterSeesAllocations() {
        g_allocations = 0;
        g_counting = true;
        auto* v = new std::vector<float>(1000);
        void* c = std::calloc(10, 10);
        void* r = std::realloc(nullptr, 64);
        void* a = std::aligned_alloc(64, 256);
        g_counting = false;
        // Stores the compiler cannot drop, so it cannot elide the allocations either.
        g_sink = v;
        g_sink = c;
        g_sink = r;
        g_sink = a;
        delete v;
        std::free(c);
        std::free(r);
        std::free(a);
        QCOMPARE(g_allocations.load(), 5L);  // operator new twice (the vector and its buffer), then one each
    }
    void tinyModel() { check(levit_test::testDataDir() + "/golden/tiny_seed0", 4, 2); }
    void levit128SBatch1() { check(levit_test::goldenDir("levit-128S_seed0"), 1, 1); }
    void levit128SBatch8TwoThreads() { check(levit_test::goldenDir("levit-128S_seed0"), 8, 2); }
    void levit128SBfloat16() {
        if (!levit::Session::bfloat16Supported()) QSKIP("this CPU lacks AVX-512 BF16");
        check(levit_test::goldenDir("levit-128S_seed0"), 2, 2, true);
    }
};

QTEST_GUILESS_MAIN(TestNoAllocation)
#include "test_no_allocation.moc"
