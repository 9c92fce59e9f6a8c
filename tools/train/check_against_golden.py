"""Proves levit_hf.py is Hugging Face's LeViT: loads each golden set's weights and compares the logits.
    /usr/bin/python3 check_against_golden.py GOLDEN_DIR [GOLDEN_DIR ...]"""
import json
import sys

import numpy as np
import torch

import levit_hf
import safetensors_io


def check(golden):
    cfg = json.load(open(f"{golden}/config.json"))
    model = levit_hf.LevitForImageClassificationWithTeacher(cfg).eval()
    state = {k: v for k, v in safetensors_io.load(f"{golden}/model.safetensors").items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (golden, missing, unexpected)
    pixels = torch.from_numpy(np.load(f"{golden}/npy/pixel_values.npy"))
    with torch.no_grad():
        logits, cls, dist = model(pixels)
    for name, ours in (("logits", logits), ("cls_logits", cls), ("distillation_logits", dist)):
        diff = np.abs(ours.numpy() - np.load(f"{golden}/npy/{name}.npy")).max()
        print(f"{golden}: {name} max |diff| = {diff:.2e}")
        assert diff < 1e-5, f"{golden}: {name} differs from Hugging Face by {diff:.2e}"


if len(sys.argv) < 2:
    sys.exit(__doc__)
for golden_dir in sys.argv[1:]:
    check(golden_dir)
