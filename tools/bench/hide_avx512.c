// LD_PRELOAD library that hides AVX-512 (and AMX) from a process's CPUID, so that a runtime choosing its
// kernels by CPUID (ONNX Runtime's MLAS has no switch) runs its AVX2 kernels on an AVX-512 CPU: the
// comparison of issue 20 (AVX2 against AVX2) without an AVX2-only machine. Uses CPUID faulting
// (Linux arch_prctl ARCH_SET_CPUID; the CPU flag "cpuid_fault", which KVM guests have too): every CPUID
// after start-up traps, and the SIGSEGV handler runs it, clears the AVX-512 bits and skips the
// instruction. Faulting is inherited by threads and children created later and ends at execve.
//   cc -O2 -shared -fPIC -o hide_avx512.so hide_avx512.c
//   LD_PRELOAD=$PWD/hide_avx512.so node ...    (HIDE_AVX512_VERBOSE=1: a line per masked CPUID at exit)
// If faulting cannot be enabled the library says so on stderr and the process runs unchanged.
// Programs that set their own SIGSEGV handler (node resets every signal at start-up) get it chained behind
// this one: sigaction and signal are interposed for SIGSEGV.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static atomic_long masked_calls;
static struct sigaction previous;  // the handler the program asked for, called for real faults
static int active;

typedef int (*SigactionFunction)(int, const struct sigaction*, struct sigaction*);
static SigactionFunction realSigaction(void) {
    static SigactionFunction real;
    if (!real) real = (SigactionFunction)dlsym(RTLD_NEXT, "sigaction");
    return real;
}

int sigaction(int signal, const struct sigaction* action, struct sigaction* old) {
    if (signal != SIGSEGV || !active) return realSigaction()(signal, action, old);
    if (old) *old = previous;
    if (action) previous = *action;
    return 0;
}

sighandler_t signal(int signal, sighandler_t handler) {
    struct sigaction action, old;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal, &action, &old) != 0) return SIG_ERR;
    return old.sa_handler;
}

static long setCpuidAllowed(int allowed) { return syscall(SYS_arch_prctl, ARCH_SET_CPUID, allowed); }

static void runCpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
    __asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3]) : "a"(leaf), "c"(subleaf));
}

static void hideAvx512(uint32_t leaf, uint32_t subleaf, uint32_t r[4]) {
    if (leaf == 7 && subleaf == 0) {
        // EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31.
        r[1] &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
        // ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14.
        r[2] &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        // EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, AVX512-FP16 23, AMX-TILE 24, AMX-INT8 25.
        r[3] &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25));
    } else if (leaf == 7 && subleaf == 1) {
        r[0] &= ~(1u << 5);   // EAX: AVX512-BF16
        r[3] &= ~(1u << 19);  // EDX: AVX10
    } else if (leaf == 0xD && subleaf == 0) {
        r[0] &= ~((1u << 5) | (1u << 6) | (1u << 7) | (1u << 17) | (1u << 18));  // opmask, ZMM, TILE state
    }
}

static void onSegv(int signal, siginfo_t* info, void* context) {
    ucontext_t* uc = (ucontext_t*)context;
    const unsigned char* ip = (const unsigned char*)uc->uc_mcontext.gregs[REG_RIP];
    if (ip[0] == 0x0F && ip[1] == 0xA2) {  // CPUID
        uint32_t r[4];
        const uint32_t leaf = (uint32_t)uc->uc_mcontext.gregs[REG_RAX];
        const uint32_t subleaf = (uint32_t)uc->uc_mcontext.gregs[REG_RCX];
        setCpuidAllowed(1);
        runCpuid(leaf, subleaf, r);
        setCpuidAllowed(0);
        hideAvx512(leaf, subleaf, r);
        uc->uc_mcontext.gregs[REG_RAX] = r[0];
        uc->uc_mcontext.gregs[REG_RBX] = r[1];
        uc->uc_mcontext.gregs[REG_RCX] = r[2];
        uc->uc_mcontext.gregs[REG_RDX] = r[3];
        uc->uc_mcontext.gregs[REG_RIP] += 2;
        atomic_fetch_add(&masked_calls, 1);
        return;
    }
    // A real fault: hand it on (or die of it as the process would have).
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
        previous.sa_sigaction(signal, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
        previous.sa_handler(signal);
    } else {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        realSigaction()(SIGSEGV, &dfl, NULL);  // the fault happens again on return, unhandled
    }
}

static void report(void) {
    if (getenv("HIDE_AVX512_VERBOSE"))
        fprintf(stderr, "hide_avx512: %ld CPUID instructions answered without AVX-512\n", atomic_load(&masked_calls));
}

__attribute__((constructor)) static void start(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = onSegv;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (realSigaction()(SIGSEGV, &action, &previous) != 0 || setCpuidAllowed(0) != 0) {
        realSigaction()(SIGSEGV, &previous, NULL);
        fprintf(stderr, "hide_avx512: this CPU or kernel has no CPUID faulting; AVX-512 stays visible\n");
        return;
    }
    active = 1;
    atexit(report);
}
