#pragma once
// Which hand-written kernels this CPU runs, decided once per process. LEVIT_NO_AVX512=1 in the environment
// selects the portable kernels instead (to test them on an AVX-512 machine, or to compare the two).
#include <cstdlib>
#include <cstring>

namespace levit::detail {

inline bool avx512Disabled() {
    const char* v = std::getenv("LEVIT_NO_AVX512");
    return v && std::strcmp(v, "1") == 0;
}

inline bool useAvx512() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool use = __builtin_cpu_supports("avx512f") && !avx512Disabled();
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
