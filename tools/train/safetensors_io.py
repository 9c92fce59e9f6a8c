"""Minimal safetensors reader/writer (no dependency beyond numpy/torch): 8-byte little-endian header
length, JSON header, raw little-endian data. Writes like the official writer: tensors sorted by dtype
(I64 first) then name, header padded with spaces to a multiple of 8, __metadata__ {"format": "pt"}."""
import json
import struct

import numpy as np
import torch

_DTYPES = {"F32": np.float32, "I64": np.int64, "F16": np.float16}


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def save(path, tensors):
    names = sorted(tensors, key=lambda k: (0 if tensors[k].dtype == torch.int64 else 1, k))
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in names:
        t = tensors[name].detach().cpu().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        raw = t.numpy().astype("<f4" if dtype == "F32" else "<i8").tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for c in chunks:
            f.write(c)
