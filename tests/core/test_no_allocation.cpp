// The steady state allocates nothing: after a first run of a batch size, further runs without probes
// make no heap allocation (malloc is counted; operator new and Eigen's buffers go through it).
#include <QtTest/QtTest>

#include <atomic>
#include <cstdlib>

#include "levit/checkpoint.h"
#include "test_support.h"

extern "C" void* __libc_malloc(size_t size);
static std::atomic<long> g_mallocs{0};
static std::atomic<bool> g_counting{false};
extern "C" void* malloc(size_t size) {
    if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}

class TestNoAllocation : public QObject {
    Q_OBJECT

    void check(const std::string& model_dir, int batch, int threads, bool bf16 = false) {
        LEVIT_REQUIRE_SHARED_PATH(model_dir);
        auto model = levit::loadModel(model_dir);
        levit::Session session(model, threads);
        if (bf16) session.setPrecision(levit::Precision::BFloat16);
        const int s = model->config().image_size;
        std::vector<float> pixels(size_t(batch) * 3 * s * s, 0.25f);
        session.run(pixels.data(), batch);  // the first run sizes the buffers
        g_mallocs = 0;
        g_counting = true;
        for (int i = 0; i < 5; ++i) session.run(pixels.data(), batch);
        g_counting = false;
        qInfo("%s, batch %d, %d thread(s)%s: %ld allocations in 5 runs", model_dir.c_str(), batch, threads,
              bf16 ? ", bfloat16" : "", g_mallocs.load());
        QCOMPARE(g_mallocs.load(), 0L);
    }

private slots:
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
