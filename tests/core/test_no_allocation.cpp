// The steady state allocates nothing: after a first run of a batch size, further runs without probes
// make no heap allocation; the same holds for training steps and for gradient computations. The test replaces glibc's allocation entry points (malloc, calloc, realloc and
// the aligned ones; operator new and Eigen's buffers go through them) and counts the calls made during
// the runs. Sanitizers replace the same functions, so under ASan/TSan the test skips.
#include <QtTest/QtTest>

#include <atomic>
#include <cerrno>
#include <cstdlib>

#include "levit/checkpoint.h"
#include "levit/gradients.h"
#include "levit/model.h"
#include "levit/training_step.h"
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

    // Training steps (forward, backward, optimiser update) after two warm-up steps of the same batch size.
    void checkTraining(const std::string& model_dir, int batch, int threads, const std::string& scope, const std::string& optimizer) {
        LEVIT_REQUIRE_SHARED_PATH(model_dir);
        levit::LoadedCheckpoint ck = levit::loadCheckpoint(model_dir);
        levit::OptimizerSettings settings;
        settings.kind = optimizer;
        settings.total_steps = 20;
        settings.warmup_steps = 2;
        settings.clip_norm = 1.0;
        settings.weight_decay = 0.05;
        levit::TrainingStep step(ck.config, ck.weights, levit::parameterNamesOf(ck.config, scope), settings, threads);
        const size_t per_image = size_t(ck.config.num_channels) * ck.config.image_size * ck.config.image_size;
        std::vector<float> pixels(size_t(batch) * per_image);
        for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = float(i % 97) / 48.0f - 1.0f;
        std::vector<int> labels(static_cast<size_t>(batch)), teacher(static_cast<size_t>(batch));
        for (int b = 0; b < batch; ++b) {
            labels[size_t(b)] = b % ck.config.numLabels();
            teacher[size_t(b)] = (b + 1) % ck.config.numLabels();
        }
        for (int i = 0; i < 2; ++i) step.run(pixels, batch, labels, teacher, 0.5, 0.1);
        g_allocations = 0;
        g_counting = true;
        double loss = 0;
        for (int i = 0; i < 3; ++i) loss += step.run(pixels, batch, labels, teacher, 0.5, 0.1).loss;
        g_counting = false;
        qInfo("%s, training %s with %s, batch %d, %d thread(s): %ld allocations in 3 steps (mean loss %.4f)", model_dir.c_str(),
              scope.c_str(), optimizer.c_str(), batch, threads, g_allocations.load(), loss / 3);
        QVERIFY(std::isfinite(loss));
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
    void trainingStepsAllParameters() { checkTraining(levit_test::testDataDir() + "/golden/tiny_seed0", 5, 2, "all", "adamw"); }
    void trainingStepsHeadOnlyOneThread() { checkTraining(levit_test::testDataDir() + "/golden/tiny_seed0", 4, 1, "head", "sgd"); }
    void trainingStepsLevit128S() { checkTraining(levit_test::goldenDir("levit-128S_seed0"), 4, 2, "last-stage", "adamw"); }
    // What an explanation asks for: the input pixels' gradient only, repeatedly.
    void pixelGradients() {
        levit::LoadedCheckpoint ck = levit::loadCheckpoint(levit_test::testDataDir() + "/golden/tiny_seed0");
        levit::GradientEngine engine(ck.config, ck.weights);
        const int batch = 2;
        std::vector<float> pixels(size_t(batch) * ck.config.num_channels * ck.config.image_size * ck.config.image_size, 0.3f);
        const std::vector<int> labels = {1, 2};
        levit::LossTargets targets;
        targets.labels = labels;
        levit::GradientRequest request;
        request.pixels = true;
        request.parameters = {"classifier.linear.bias"};
        engine.compute(pixels, batch, targets, request);
        g_allocations = 0;
        g_counting = true;
        for (int i = 0; i < 3; ++i) engine.compute(pixels, batch, targets, request);
        g_counting = false;
        qInfo("pixel gradients, batch %d: %ld allocations in 3 computations", batch, g_allocations.load());
        QCOMPARE(g_allocations.load(), 0L);
    }
};

QTEST_GUILESS_MAIN(TestNoAllocation)
#include "test_no_allocation.moc"
