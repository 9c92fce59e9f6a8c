#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora: OUT/<harness>/<seed> for every harness of fuzz_entries.cpp.

    python3 tests/fuzz/make_seed_corpus.py OUT [SHARED_DIR]

Seeds come from the committed golden set (tests/data/golden/tiny_seed0: safetensors, torch.save checkpoint,
config and preprocessor JSON, npy arrays, PNG images), the bundled model's JSON files, the small committed
images of tests/fuzz/seeds, a LeViT of 26 k parameters (seeds/micro_model), the shared golden data when
SHARED_DIR is given (its small files only), plus a few small files written here so that the fuzzers also start
from inputs of a few hundred bytes (every dtype of safetensors, a minimal torch.save archive, PNG/BMP
variants). Standard library only.
"""
import json
import pathlib
import shutil
import struct
import sys
import zipfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden" / "tiny_seed0"
SMALL = 64 * 1024  # shared files above this size would only slow the fuzzers down


def safetensors(tensors, metadata=None):
    """tensors: [(name, dtype, shape, raw bytes)] -> safetensors file bytes."""
    header, offset, data = {}, 0, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def small_safetensors():
    f32 = struct.pack("<6f", 1, -2, 0.5, 3, 1e-3, -7)
    return [
        safetensors([("w", "F32", [2, 3], f32), ("b", "F32", [3], f32[:12])], {"format": "pt"}),
        safetensors([("h", "F16", [2, 2], struct.pack("<4e", 1, 2, -0.5, 65504)),
                     ("bf", "BF16", [3], bytes.fromhex("803f0040c0bf")),
                     ("idx", "I64", [2], struct.pack("<2q", 0, 5)),
                     ("empty", "F32", [0, 4], b"")]),
        safetensors([("scalar", "F32", [], struct.pack("<f", 4)), ("d", "F64", [1], struct.pack("<d", 2))]),
    ]


def pickle_state_dict(entries):
    """A protocol-2 pickle of an OrderedDict of tensors as torch.save writes it.
    entries: [(name, storage class, key, numel, size, stride)]."""
    out = bytearray(b"\x80\x02}q\x00(")

    def unicode(s):
        b = s.encode()
        return b"X" + struct.pack("<I", len(b)) + b

    def tuple_of_ints(values):
        return b"(" + b"".join(b"J" + struct.pack("<i", v) for v in values) + b"t"

    for name, storage, key, numel, size, stride in entries:
        out += unicode(name)
        out += b"ctorch._utils\n_rebuild_tensor_v2\n("
        out += b"(" + unicode("storage") + b"ctorch\n" + storage.encode() + b"\n" + unicode(key) + unicode("cpu")
        out += b"J" + struct.pack("<i", numel) + b"tQ"
        out += b"K\x00" + tuple_of_ints(size) + tuple_of_ints(stride)
        out += b"\x89ccollections\nOrderedDict\n)RtR"
    out += b"u."
    return bytes(out)


def torch_zip(entries, storages, prefix="archive"):
    """torch.save's ZIP layout: PREFIX/data.pkl, PREFIX/data/<key>, PREFIX/version (stored, no compression)."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(prefix + "/data.pkl", pickle_state_dict(entries))
        for key, raw in storages.items():
            z.writestr(prefix + "/data/" + key, raw)
        z.writestr(prefix + "/version", b"3\n")
    return buf.getvalue()


def small_torch():
    f32 = struct.pack("<6f", 1, 2, 3, 4, 5, 6)
    return [
        torch_zip([("w", "FloatStorage", "0", 6, [2, 3], [3, 1]), ("wt", "FloatStorage", "0", 6, [3, 2], [1, 3])],
                  {"0": f32}),
        torch_zip([("h", "HalfStorage", "0", 2, [2], [1]), ("n", "LongStorage", "1", 1, [], [])],
                  {"0": struct.pack("<2e", 1, -1), "1": struct.pack("<q", 3)}, prefix="pytorch_model"),
    ]


def png(width, height, color_type, bit_depth, seed):
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row_bytes = width * channels * bit_depth // 8
    raw = b"".join(b"\x00" + bytes((seed * 31 + y * 7 + x * 13) & 255 for x in range(row_bytes)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(width, height):
    row = (width * 3 + 3) & ~3
    pixels = b"".join(bytes((x * 40 + y * 9) & 255 for x in range(width * 3)) + b"\x00" * (row - width * 3)
                      for y in range(height))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


# The image harness reads LevitImageProcessor's options from four bytes before the image (fuzz_entries.cpp,
# runImage). The seeds cycle through them: the default 224-pixel options, every PIL filter, resize and crop
# off in turn, a fixed-size resize, crops larger and smaller than the resized image.
IMAGE_OPTIONS = [
    bytes([0xc0, 0, 0, 0]),           # the default options (shortest edge 224, bicubic, crop 224)
    bytes([3 << 2, 23, 15, 15]),      # bicubic, shortest edge 24, crop 16
    bytes([0 << 2, 7, 31, 31]),       # nearest, shortest edge 8, crop 32 (larger than the image: padded)
    bytes([1 << 2 | 2, 40, 0, 0]),    # lanczos, no crop
    bytes([2 << 2 | 1, 0, 11, 5]),    # bilinear, no resize, crop 12 x 6
    bytes([4 << 2 | 0x20, 15, 9, 20]),  # box, fixed 16 x 21 resize, crop 10 x 21
    bytes([5 << 2 | 3, 0, 0, 0]),     # hamming, neither resize nor crop
]


def length_prefixed(data):
    return struct.pack("<I", len(data)) + data


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    shared = pathlib.Path(sys.argv[2]) / "golden" if len(sys.argv) == 3 else None
    seeds = {}

    def add(harness, name, data):
        seeds.setdefault(harness, {})[name] = data

    def add_file(harness, path, prefix=""):
        add(harness, prefix + path.parent.name + "_" + path.name, path.read_bytes())

    sets = [GOLDEN] + ([p for p in sorted(shared.iterdir()) if p.is_dir()] if shared and shared.is_dir() else [])
    json_files = [ROOT / "resources" / "models" / "levit-fashion" / n for n in ("config.json", "preprocessor_config.json")]
    for s in sets:
        json_files += [s / "config.json", s / "preprocessor_config.json"]
        for f in sorted((s / "npy").glob("*.npy")) if (s / "npy").is_dir() else []:
            if f.stat().st_size <= SMALL:
                add_file("npy", f, s.name + "_")
        for f in sorted((s / "images").glob("*")) if (s / "images").is_dir() else []:
            if f.stat().st_size <= SMALL:
                add_file("image", f, s.name + "_")
    for f in json_files:
        if f.is_file():
            add_file("config_json", f, f.parent.parent.name + "_")
    add("config_json", "timm_config.json", json.dumps(
        {"architecture": "levit_128s", "num_classes": 3, "label_names": ["a", "b", "c"]}).encode())

    # The tiny golden model: every weights reader and the whole load start from a real checkpoint.
    model_st = (GOLDEN / "model.safetensors").read_bytes()
    model_bin = (GOLDEN / "formats" / "pytorch_model.bin").read_bytes()
    config = (GOLDEN / "config.json").read_bytes()
    add("safetensors", "tiny_model.safetensors", model_st)
    add("safetensors", "tiny_model_hubstyle.safetensors", (GOLDEN / "model_hubstyle.safetensors").read_bytes())
    for i, data in enumerate(small_safetensors()):
        add("safetensors", f"small_{i}.safetensors", data)
    add("torch_checkpoint", "tiny_pytorch_model.bin", model_bin)
    add("zip", "tiny_pytorch_model.bin", model_bin)
    for i, data in enumerate(small_torch()):
        add("torch_checkpoint", f"small_{i}.pth", data)
        add("zip", f"small_{i}.pth", data)
    with zipfile.ZipFile(GOLDEN / "formats" / "pytorch_model.bin") as z:
        add("pickle", "tiny_data.pkl", z.read([n for n in z.namelist() if n.endswith("/data.pkl")][0]))
    for i, data in enumerate(small_torch()):
        with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
            add("pickle", f"small_{i}.pkl", z.read([n for n in z.namelist() if n.endswith("/data.pkl")][0]))
    add("checkpoint", "file_torch", b"\x01" + model_bin)
    # The whole load starts from a LeViT of 26 k parameters (seeds/micro_model, written once with
    # levit::initialWeights): the tiny model's load path at a fifth of its bytes, which the fuzzer hashes and
    # copies on every execution. The PyTorch seeds stay the tiny model's.
    micro = HERE / "seeds" / "micro_model"
    micro_st = (micro / "model.safetensors").read_bytes()
    add("safetensors", "micro_model.safetensors", micro_st)
    add("checkpoint", "file_micro_safetensors", b"\x00" + micro_st)
    add("checkpoint", "folder_micro_safetensors", b"\x02" + length_prefixed((micro / "config.json").read_bytes()) +
        length_prefixed((micro / "preprocessor_config.json").read_bytes()) + micro_st)
    add("checkpoint", "folder_torch_no_processor", b"\x03" + length_prefixed(config) + length_prefixed(b"") + model_bin)

    for f in sorted((HERE / "seeds" / "image").glob("*")):
        add("image", "committed_" + f.name, f.read_bytes())
    for f in sorted((ROOT / "resources" / "samples").glob("*.png")):
        add("image", "sample_" + f.name, f.read_bytes())
    for color_type, depth in ((0, 8), (2, 8), (4, 8), (6, 8), (2, 16), (0, 1)):
        add("image", f"png_{color_type}_{depth}.png", png(13, 9, color_type, depth, color_type + depth))
    add("image", "bmp_24.bmp", bmp(7, 5))

    images = seeds.get("image", {})
    for i, name in enumerate(sorted(images)):
        images[name] = IMAGE_OPTIONS[i % len(IMAGE_OPTIONS)] + images[name]

    for harness, files in sorted(seeds.items()):
        folder = out / harness
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        print(f"{folder}: {len(files)} seeds")


if __name__ == "__main__":
    main()
