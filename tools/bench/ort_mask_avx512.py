#!/usr/bin/env python3
"""A copy of onnxruntime-node whose library believes the OS saves no AVX-512 state, so that ONNX Runtime
runs its AVX2 kernels on an AVX-512 CPU: the like-for-like comparison of issue 20 on machines without
CPUID faulting (tools/bench/hide_avx512.c needs the cpuid_fault flag, which e.g. AMD Zen 5 VMs lack).

ONNX Runtime picks kernels once, at start-up, from CPUID *and* XCR0 (read with XGETBV): MLAS runs its
AVX-512 kernels only if XCR0 has the opmask/ZMM state bits (0xE0) set. XGETBV cannot be trapped from user
space, so each XGETBV in the copied library is replaced by an instruction of the same length that loads
XCR0 = 7 (x87, SSE and AVX state: what an AVX2-only OS reports). Only the byte sequences known from
onnxruntime 1.30.0 are patched; anything else is refused rather than guessed, and the copy is checked to
hold no XGETBV afterwards.
  tools/bench/ort_mask_avx512.py SOURCE_NODE_MODULES DEST_NODE_MODULES
"""
import os
import shutil
import struct
import subprocess
import sys

# (before, after): same length; the XGETBV (0f 01 d0) and its neighbours as the compiler emitted them.
PATCHES = [
    # xgetbv; mov eax,eax (zero-extend before combining with edx) -> mov eax,7 (zero-extends rax too)
    (bytes.fromhex("0f01d089c0"), bytes.fromhex("b807000000")),
    # xor ecx,ecx; xgetbv; mov edx,edi (edx is overwritten) -> xor ecx,ecx; push 7; pop rax. Only seen in a
    # function that calls others, so no red zone lives below the stack pointer to be overwritten.
    (bytes.fromhex("31c90f01d089fa"), bytes.fromhex("31c96a075889fa")),
]


def file_offset(elf, vaddr):
    """File offset of a virtual address, from the ELF64 program headers (PT_LOAD)."""
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:
            return vaddr - p_vaddr + p_offset
    raise ValueError(f"address {vaddr:#x} is in no loaded segment")


def xgetbv_addresses(path):
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", path], check=True,
                             capture_output=True, text=True).stdout
    return [int(line.split(":")[0], 16) for line in listing.splitlines()
            if line.rstrip().endswith("\txgetbv")]


def patch_library(path):
    elf = bytearray(open(path, "rb").read())
    sites = xgetbv_addresses(path)
    if not sites:
        sys.exit(f"ort_mask_avx512: {path}: no XGETBV found: not the library this script knows")
    for vaddr in sites:
        at = file_offset(elf, vaddr)
        for before, after in PATCHES:
            start = at - before.index(b"\x0f\x01\xd0")
            if elf[start:start + len(before)] == before:
                elf[start:start + len(before)] = after
                break
        else:
            context = elf[at - 4:at + 6].hex(" ")
            sys.exit(f"ort_mask_avx512: {path}: XGETBV at {vaddr:#x} in an unknown context ({context}); "
                     "refusing to guess a patch")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(elf)
    os.replace(tmp, path)
    left = xgetbv_addresses(path)
    if left:
        sys.exit(f"ort_mask_avx512: {path}: XGETBV left at {', '.join(hex(a) for a in left)}")
    return len(sites)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, dest = sys.argv[1], sys.argv[2]
    package = os.path.join(dest, "onnxruntime-node")
    if os.path.isdir(package):
        shutil.rmtree(package)
    shutil.copytree(os.path.join(source, "onnxruntime-node"), package, symlinks=True)
    library = os.path.join(package, "bin", "napi-v6", "linux", "x64", "libonnxruntime.so.1")
    print(f"ort_mask_avx512: {patch_library(library)} XGETBV patched in {library}")


if __name__ == "__main__":
    main()
