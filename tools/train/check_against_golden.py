"""Proves levit_hf.py is Hugging Face's LeViT: loads a golden set's weights and compares the logits."""
import json
import sys

import numpy as np
import torch

import levit_hf
import safetensors_io

golden = sys.argv[1]
cfg = json.load(open(f"{golden}/config.json"))
model = levit_hf.LevitForImageClassificationWithTeacher(cfg).eval()
state = {k: v for k, v in safetensors_io.load(f"{golden}/model.safetensors").items()}
missing, unexpected = model.load_state_dict(state, strict=False)
assert not missing and not unexpected, (missing, unexpected)
pixels = torch.from_numpy(np.load(f"{golden}/npy/pixel_values.npy"))
with torch.no_grad():
    logits, cls, dist = model(pixels)
for name, ours in (("logits", logits), ("cls_logits", cls), ("distillation_logits", dist)):
    diff = np.abs(ours.numpy() - np.load(f"{golden}/npy/{name}.npy")).max()
    print(f"{golden}: {name} max |diff| = {diff:.2e}")
    assert diff < 1e-5, diff
