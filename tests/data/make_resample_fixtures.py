#!/usr/bin/env python3
"""Writes tests/data/resample/: a small deterministic RGB image and Pillow's resize of it with every filter
(NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING) to sizes that shrink, grow and do both, as .npy (uint8
HWC). The engine's resizePIL must reproduce them exactly (tests/core/test_preprocess_options.cpp).
Needs Debian's python3-pil and python3-numpy: /usr/bin/python3 tests/data/make_resample_fixtures.py"""
import os

import numpy as np
from PIL import Image

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resample")
os.makedirs(here, exist_ok=True)
rng = np.random.default_rng(7)
h, w = 23, 37
y, x = np.mgrid[0:h, 0:w]
image = np.stack([(x * 7) % 256, (y * 11) % 256, rng.integers(0, 256, (h, w))], axis=-1).astype(np.uint8)
image[5:9, 10:20] = 255  # a hard edge: ringing filters overshoot and clip here
np.save(os.path.join(here, "input.npy"), image)
sizes = [(17, 11), (53, 41), (50, 9), (37, 5), (3, 23)]
for f in range(6):
    for out_w, out_h in sizes:
        out = np.asarray(Image.fromarray(image).resize((out_w, out_h), resample=f))
        np.save(os.path.join(here, f"filter{f}_{out_w}x{out_h}.npy"), out)
print("wrote", len(os.listdir(here)), "files to", here)
