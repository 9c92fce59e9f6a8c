#pragma once
// Which hand-written kernels this CPU runs, decided once per process. LEVIT_NO_AVX512=1 in the environment
// turns the AVX-512 kernels off (AVX2 + FMA then, where the CPU has them), LEVIT_NO_AVX2=1 the AVX2 ones
// (portable C++ then): to test every path on one machine, or to compare them.
#include <cstdlib>
#include <cstring>

namespace levit::detail {

inline bool disabledByEnvironment(const char* name) {
    const char* v = std::getenv(name);
    return v && std::strcmp(v, "1") == 0;
}

inline bool useAvx512() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool use = __builtin_cpu_supports("avx512f") && !disabledByEnvironment("LEVIT_NO_AVX512");
    return use;
#else
    return false;
#endif
}

inline bool useAvx2() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool use =
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && !disabledByEnvironment("LEVIT_NO_AVX2");
    return use;
#else
    return false;
#endif
}

inline bool useAvx512Bf16() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool use = useAvx512() && __builtin_cpu_supports("avx512bf16");
    return use;
#else
    return false;
#endif
}

}  // namespace levit::detail
