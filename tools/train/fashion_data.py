"""Fashion-MNIST from Debian's dataset-fashion-mnist package, put through exactly the pipeline the app
uses for any image: PIL convert("RGB"), bicubic resize of the shortest edge to int(256/224*S), centre
crop S, /255, ImageNet mean/std (LevitImageProcessor)."""
import gzip
import os

import numpy as np
import torch
from PIL import Image

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def read_split(split):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(f"{DATA_DIR}/{prefix}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(f"{DATA_DIR}/{prefix}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return images, labels


def resized_size(size):
    return int((256 / 224) * size)


def resize_gray(images, size):
    """Resize every 28x28 image like the processor does (a square image: both sides to int(256/224*S)).
    Gray in, gray out: the three RGB channels PIL's convert("RGB") makes are identical."""
    target = resized_size(size)
    out = np.empty((len(images), target, target), np.uint8)
    for i, img in enumerate(images):
        rgb = Image.fromarray(img, "L").convert("RGB").resize((target, target), Image.BICUBIC)
        out[i] = np.asarray(rgb)[:, :, 0]
    return out


def cached_resized(split, size, cache_dir):
    os.makedirs(cache_dir, exist_ok=True)
    path = f"{cache_dir}/{split}_{size}.npz"
    if os.path.exists(path):
        z = np.load(path)
        return z["images"], z["labels"]
    images, labels = read_split(split)
    resized = resize_gray(images, size)
    np.savez(path, images=resized, labels=labels)
    return resized, labels


def center_crop(images, size):
    top = (images.shape[1] - size) // 2
    left = (images.shape[2] - size) // 2
    return images[:, top:top + size, left:left + size]


def normalize(gray_uint8):
    """[N,H,W] uint8 -> [N,3,H,W] float32 exactly as transformers computes it (rescale in float64 then
    float32, normalise in float32)."""
    x = (gray_uint8.astype(np.float64) * (1 / 255)).astype(np.float32)
    x = np.repeat(x[:, None, :, :], 3, axis=1)
    return (x - MEAN[None, :, None, None]) / STD[None, :, None, None]


def rescaled_levels():
    """[256] float32: every gray level rescaled exactly as normalize() does (float64 multiply, then float32)."""
    return torch.from_numpy((np.arange(256, dtype=np.uint8).astype(np.float64) * (1 / 255)).astype(np.float32))


def normalize_torch(gray_uint8, levels):
    """[N,H,W] uint8 tensor -> [N,3,H,W] float32 tensor, bit-identical to normalize() (a table lookup, then
    the same float32 subtraction and division, each correctly rounded) at a fraction of its cost."""
    x = levels[gray_uint8.long()].unsqueeze(1)
    mean = torch.from_numpy(MEAN).view(1, 3, 1, 1)
    std = torch.from_numpy(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def random_crops(images, size, generator):
    """Per image: a random size x size window of the resized [N,R,R] uint8 images, mirrored with
    probability 1/2."""
    n, margin = len(images), images.shape[1] - size
    dy = torch.randint(0, margin + 1, (n,), generator=generator).tolist()
    dx = torch.randint(0, margin + 1, (n,), generator=generator).tolist()
    flip = (torch.rand(n, generator=generator) < 0.5).tolist()
    out = torch.empty((n, size, size), dtype=images.dtype)
    for i in range(n):
        window = images[i, dy[i]:dy[i] + size, dx[i]:dx[i] + size]
        out[i] = window.flip(-1) if flip[i] else window
    return out
