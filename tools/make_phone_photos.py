#!/usr/bin/python3
"""Writes N photo-like 12 MP JPEGs (4000x3000, like a phone camera's) into a folder, for measuring how the
window opens a folder of real-sized photos: smooth gradients (sky, light falloff), textures at several
scales (foliage, fabric), sensor noise, and on every third photo an EXIF orientation (6: rotate 90°, as a
phone held upright writes) so the decoder's rotation is exercised.

    /usr/bin/python3 tools/make_phone_photos.py OUT_DIR [--count N] [--width W] [--height H] [--seed S]

Deterministic for a given seed. Needs numpy and Pillow (Debian's python3-numpy, python3-pil).
"""
import argparse
import os

import numpy as np
from PIL import Image

EXIF_ORIENTATION = 0x0112


def texture(rng, height, width, cells):
    """Smooth random field: a coarse grid of random values scaled up (bicubic) to the full size."""
    coarse = rng.random((max(2, height // cells), max(2, width // cells)), dtype=np.float32)
    return np.asarray(Image.fromarray(coarse, mode="F").resize((width, height), Image.BICUBIC))


def photo(rng, height, width):
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    sky = rng.random(3).astype(np.float32)
    ground = rng.random(3).astype(np.float32)
    horizon = 0.3 + 0.4 * rng.random()
    blend = np.clip((y - horizon) * 8.0 + 0.5, 0.0, 1.0)  # soft horizon between two colours
    # Vignetting: the lens darkens the corners.
    falloff = 1.0 - 0.35 * ((x - 0.5) ** 2 + (y - 0.5) ** 2)
    detail = 0.5 * texture(rng, height, width, 400) + 0.35 * texture(rng, height, width, 60) + 0.15 * texture(rng, height, width, 8)
    rgb = np.empty((height, width, 3), dtype=np.float32)
    for c in range(3):
        base = sky[c] * (1.0 - blend) + ground[c] * blend
        rgb[..., c] = (base * 0.6 + detail * 0.4 * (0.4 + blend)) * falloff
    rgb += rng.normal(0.0, 0.02, size=(height, width, 1)).astype(np.float32)  # luminance noise
    return Image.fromarray(np.clip(rgb * 255.0, 0, 255).astype(np.uint8), mode="RGB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for i in range(args.count):
        rng = np.random.default_rng(args.seed * 100003 + i)
        image = photo(rng, args.height, args.width)
        exif = Image.Exif()
        if i % 3 == 2:
            exif[EXIF_ORIENTATION] = 6
        path = os.path.join(args.out_dir, "IMG_%04d.jpg" % (i + 1))
        image.save(path, "JPEG", quality=90, exif=exif.tobytes())
        print(path, flush=True)


if __name__ == "__main__":
    main()
